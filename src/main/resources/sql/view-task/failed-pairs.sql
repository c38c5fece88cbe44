SELECT project_id AS "projectId", data_source_id AS "dataSourceId" FROM view_task WHERE status = 'FAILED'
