-- MariaDB and MySQL: their own UPDATE ... ORDER BY ... LIMIT, in the index's order.
UPDATE view_task SET claim = :#${variable.claim}, claimed_until = :#${variable.claimedUntil}
WHERE status = 'PENDING' AND due_at <= :#${variable.now} AND (claimed_until IS NULL OR claimed_until < :#${variable.now})
ORDER BY due_at, project_id, data_source_id LIMIT :#${variable.batchSize}
