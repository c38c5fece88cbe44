-- The view tasks a claim took, with whether a refusal of the view's SQL is on record.
SELECT project_id AS "projectId", data_source_id AS "dataSourceId", action AS "action", project AS "projectJson",
       data_source AS "dataSourceJson", version AS "version", attempts AS "attempts", requested_by AS "correlationId",
       requested_at AS "requestedAt",
       CONCAT('View task for project ', project_id, ', data source ', data_source_id) AS "work",
       (SELECT COUNT(*) FROM refused_view_sql refused WHERE refused.project_id = view_task.project_id
        AND refused.data_source_id = view_task.data_source_id) AS "refusals"
FROM view_task WHERE claim = :#${variable.claim}
