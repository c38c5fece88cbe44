SELECT target_name AS "targetName", view_name AS "viewName", project_id AS "projectId", data_source_id AS "dataSourceId"
FROM managed_view WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
