-- Immuta's circuit breaker is open, or Immuta pushed back: due again once calls may go, without using up an attempt.
UPDATE view_task SET due_at = :#${variable.nextAttemptAt}, claim = NULL, claimed_until = NULL
WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
