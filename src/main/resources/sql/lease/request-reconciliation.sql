UPDATE lease SET requested_at = :#${variable.now} WHERE name = 'reconciliation'
