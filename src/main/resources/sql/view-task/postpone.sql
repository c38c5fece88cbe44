-- Immuta's circuit breaker is open: due again once it lets calls through, without using up an attempt.
UPDATE view_task SET due_at = :#${variable.nextAttemptAt}, claim = NULL, claimed_until = NULL
WHERE project_id = :#${variable.item[projectId]} AND data_source_id = :#${variable.item[dataSourceId]}
