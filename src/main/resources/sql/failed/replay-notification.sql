UPDATE inbox SET status = 'PENDING', attempts = 0, next_attempt_at = :#${variable.now}
WHERE status = 'FAILED' AND id = :#${variable.id}
