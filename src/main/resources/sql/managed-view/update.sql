UPDATE managed_view SET schema_name = :#${variable.targetSchema}, view_name = :#${variable.viewName},
       project_name = :#${variable.project[name]}, data_source_name = :#${variable.dataSource[name]}, view_sql = :#${variable.viewSql},
       sql_hash = :#${variable.sqlHash}, definition_hash = :#${variable.definitionHash}, applied_at = :#${variable.appliedAt}
WHERE target_name = :#${variable.targetName} AND project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
