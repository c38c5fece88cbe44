DELETE FROM refused_view_sql WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
