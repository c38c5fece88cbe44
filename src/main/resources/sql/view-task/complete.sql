-- The view holds the SQL fetched for this version: done, unless a newer request came meanwhile.
DELETE FROM view_task
WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId} AND version = :#${variable.version}
