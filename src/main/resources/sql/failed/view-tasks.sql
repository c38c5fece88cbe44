SELECT project_id AS "projectId", data_source_id AS "dataSourceId", action AS "action", attempts AS "attempts",
       last_error AS "lastError"
FROM view_task WHERE status = 'FAILED' ORDER BY project_id, data_source_id
