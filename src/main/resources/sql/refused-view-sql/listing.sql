SELECT project_id AS "projectId", project_name AS "projectName", data_source_id AS "dataSourceId",
       data_source_name AS "dataSourceName", sql_hash AS "sqlHash", reason AS "reason", refused_at AS "refusedAt"
FROM refused_view_sql ORDER BY refused_at
