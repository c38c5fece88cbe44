-- A completed run answers every request made before it started.
UPDATE lease SET requested_at = NULL WHERE name = 'reconciliation' AND requested_at <= :#${variable.run.startedAt}
