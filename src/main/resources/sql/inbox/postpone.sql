-- Immuta's circuit breaker is open, or Immuta pushed back: due again once calls may go, without using up an attempt.
UPDATE inbox SET next_attempt_at = :#${variable.nextAttemptAt}, claim = NULL, claimed_until = NULL
WHERE id = :#${variable.notificationId}
