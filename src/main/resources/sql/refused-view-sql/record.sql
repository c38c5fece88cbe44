INSERT INTO refused_view_sql (project_id, data_source_id, project_name, data_source_name, sql_hash, reason, refused_at)
VALUES (:#${variable.projectId}, :#${variable.dataSourceId}, :#${variable.projectName}, :#${variable.dataSourceName},
        :#${variable.sqlHash}, :#${variable.sqlRefusal}, :#${variable.refusedAt})
