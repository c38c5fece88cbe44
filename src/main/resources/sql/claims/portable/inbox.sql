-- Claims the first due notifications. The bound on next_attempt_at (the due time of the batch's last row) narrows
-- what the batch subquery is joined with: planned with statistics of a table that had just grown from empty,
-- PostgreSQL otherwise ran that subquery again for every due row. The due conditions stand in the outer WHERE too,
-- so a row another instance claimed meanwhile no longer matches: each row is claimed once.
UPDATE inbox SET claim = :#${variable.claim}, claimed_until = :#${variable.claimedUntil}
WHERE status = 'PENDING' AND next_attempt_at <= :#${variable.now} AND (claimed_until IS NULL OR claimed_until < :#${variable.now})
  AND next_attempt_at <= (SELECT MAX(next_attempt_at) FROM (SELECT next_attempt_at FROM inbox WHERE status = 'PENDING'
      AND next_attempt_at <= :#${variable.now} AND (claimed_until IS NULL OR claimed_until < :#${variable.now})
      ORDER BY next_attempt_at LIMIT :#${variable.batchSize}) last_due)
  AND id IN (SELECT id FROM (SELECT id FROM inbox WHERE status = 'PENDING' AND next_attempt_at <= :#${variable.now}
      AND (claimed_until IS NULL OR claimed_until < :#${variable.now}) ORDER BY next_attempt_at LIMIT :#${variable.batchSize}) due)
