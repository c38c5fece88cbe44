-- The attempt failed: due again after the backoff, FAILED after the last attempt.
UPDATE inbox SET attempts = attempts + 1, next_attempt_at = :#${variable.nextAttemptAt}, last_error = :#${variable.failure},
       claim = NULL, claimed_until = NULL,
       status = CASE WHEN attempts + 1 >= :#${variable.maxAttempts} THEN 'FAILED' ELSE 'PENDING' END
WHERE id = :#${variable.notificationId}
