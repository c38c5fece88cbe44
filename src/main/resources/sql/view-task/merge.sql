-- A newer request for a view that has a task: the task takes it, and a worker holding it runs it again.
UPDATE view_task SET action = :#${variable.viewAction}, project = :#${variable.projectJson}, data_source = :#${variable.dataSourceJson},
       version = version + 1, status = 'PENDING', attempts = 0, last_error = NULL, requested_by = :#${variable.correlationId},
       requested_at = COALESCE(requested_at, :#${variable.requestedAt})
WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
