-- One row whatever is recorded: the view's own record (null when there is none) and how many other views hold the
-- name it should have, so that a name clash never replaces another view.
SELECT own.view_name AS "recordedViewName", own.sql_hash AS "recordedSqlHash",
       (SELECT COUNT(*) FROM managed_view other WHERE other.target_name = :#${variable.targetName}
        AND other.schema_name = :#${variable.targetSchema} AND other.view_name = :#${variable.viewName}
        AND NOT (other.project_id = :#${variable.projectId} AND other.data_source_id = :#${variable.dataSourceId})) AS "otherOwners"
FROM (SELECT 1 AS one) single_row LEFT JOIN managed_view own ON own.target_name = :#${variable.targetName}
     AND own.project_id = :#${variable.projectId} AND own.data_source_id = :#${variable.dataSourceId}
