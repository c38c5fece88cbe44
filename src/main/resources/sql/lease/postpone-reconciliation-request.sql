UPDATE lease SET requested_at = :#${variable.retryAt} WHERE name = 'reconciliation' AND requested_at IS NOT NULL
