-- The view holds the SQL fetched for this version: done, unless a newer request came meanwhile.
DELETE FROM view_task
WHERE project_id = :#${variable.item[projectId]} AND data_source_id = :#${variable.item[dataSourceId]} AND version = :#${variable.item[version]}
