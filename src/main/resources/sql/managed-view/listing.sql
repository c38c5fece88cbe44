SELECT target_name AS "target", schema_name AS "schema", view_name AS "view", project_id AS "projectId",
       project_name AS "projectName", data_source_id AS "dataSourceId", data_source_name AS "dataSourceName",
       view_sql AS "sql", sql_hash AS "sqlHash", applied_at AS "appliedAt"
FROM managed_view ORDER BY target_name, schema_name, view_name
