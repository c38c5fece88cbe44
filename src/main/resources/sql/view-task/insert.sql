-- A pending task for the view, unless it has one (the update count says which).
INSERT INTO view_task (project_id, data_source_id, action, project, data_source, version, status, attempts, due_at,
                       requested_by, requested_at)
SELECT :#${variable.projectId}, :#${variable.dataSourceId}, :#${variable.viewAction}, :#${variable.projectJson},
       :#${variable.dataSourceJson}, 1, 'PENDING', 0, :#${variable.dueAt}, :#${variable.correlationId}, :#${variable.requestedAt}
FROM (SELECT 1 AS one) single_row
WHERE NOT EXISTS (SELECT 1 FROM view_task WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId})
