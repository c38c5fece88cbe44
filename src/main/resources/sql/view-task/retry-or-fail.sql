-- The attempt failed: due again after the backoff, FAILED after the last attempt.
UPDATE view_task SET attempts = attempts + 1, due_at = :#${variable.nextAttemptAt}, last_error = :#${variable.failure},
       claim = NULL, claimed_until = NULL,
       status = CASE WHEN attempts + 1 >= :#${variable.maxAttempts} THEN 'FAILED' ELSE 'PENDING' END
WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
