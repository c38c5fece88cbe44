INSERT INTO managed_view (target_name, project_id, data_source_id, schema_name, view_name, project_name, data_source_name,
                          view_sql, sql_hash, definition_hash, applied_at)
VALUES (:#${variable.targetName}, :#${variable.projectId}, :#${variable.dataSourceId}, :#${variable.targetSchema}, :#${variable.viewName},
        :#${variable.project[name]}, :#${variable.dataSource[name]}, :#${variable.viewSql}, :#${variable.sqlHash},
        :#${variable.definitionHash}, :#${variable.appliedAt})
