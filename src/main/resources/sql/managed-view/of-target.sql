SELECT target_name AS "targetName", project_id AS "projectId", data_source_id AS "dataSourceId", view_name AS "viewName",
       sql_hash AS "sqlHash", definition_hash AS "definitionHash"
FROM managed_view WHERE target_name = :#${variable.targetName}
