-- MariaDB and MySQL: UPDATE ... ORDER BY ... LIMIT reads the first due rows of inbox_due and stops (the portable
-- form's IN subquery is tested row by row along the whole inbox there).
UPDATE inbox SET claim = :#${variable.claim}, claimed_until = :#${variable.claimedUntil}
WHERE status = 'PENDING' AND next_attempt_at <= :#${variable.now} AND (claimed_until IS NULL OR claimed_until < :#${variable.now})
ORDER BY next_attempt_at, id LIMIT :#${variable.batchSize}
