SELECT project_id AS "projectId", data_source_id AS "dataSourceId" FROM managed_view WHERE applied_at >= :#${variable.since}
