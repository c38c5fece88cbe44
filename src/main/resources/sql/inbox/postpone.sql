-- Immuta's circuit breaker is open: due again once it lets calls through, without using up an attempt.
UPDATE inbox SET next_attempt_at = :#${variable.nextAttemptAt}, claim = NULL, claimed_until = NULL
WHERE id = :#${variable.item[id]}
