UPDATE managed_view SET schema_name = :#${variable.targetSchema}, view_name = :#${variable.viewName},
       project_name = :#${variable.projectName}, data_source_name = :#${variable.dataSourceName}, view_sql = :#${variable.viewSql},
       sql_hash = :#${variable.sqlHash}, definition_hash = :#${variable.definitionHash}, applied_at = :#${variable.appliedAt}
WHERE target_name = :#${variable.targetName} AND project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
