SELECT DISTINCT project_id AS "projectId", data_source_id AS "dataSourceId" FROM managed_view
