INSERT INTO managed_view (target_name, project_id, data_source_id, schema_name, view_name, project_name, data_source_name,
                          view_sql, sql_hash, definition_hash, applied_at)
VALUES (:#${variable.targetName}, :#${variable.projectId}, :#${variable.dataSourceId}, :#${variable.targetSchema}, :#${variable.viewName},
        :#${variable.projectName}, :#${variable.dataSourceName}, :#${variable.viewSql}, :#${variable.sqlHash},
        :#${variable.definitionHash}, :#${variable.appliedAt})
