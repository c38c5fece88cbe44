SELECT COUNT(*) AS "requested" FROM lease WHERE name = 'reconciliation' AND requested_at <= :#${variable.now}
