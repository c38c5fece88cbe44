-- Claims the first due view tasks in the order (due_at, project_id, data_source_id), the key breaking ties. The bound by
-- the batch's last row in that order (an index condition on view_task_due_in_claim_order) keeps PostgreSQL from
-- reading, and running the batch subquery for, every task due at the same instant.
UPDATE view_task SET claim = :#${variable.claim}, claimed_until = :#${variable.claimedUntil}
WHERE status = 'PENDING' AND due_at <= :#${variable.now} AND (claimed_until IS NULL OR claimed_until < :#${variable.now})
  AND (due_at, project_id, data_source_id) <= (SELECT due_at, project_id, data_source_id FROM (SELECT due_at, project_id,
      data_source_id FROM view_task WHERE status = 'PENDING' AND due_at <= :#${variable.now}
      AND (claimed_until IS NULL OR claimed_until < :#${variable.now}) ORDER BY due_at, project_id, data_source_id
      LIMIT :#${variable.batchSize}) batch ORDER BY due_at DESC, project_id DESC, data_source_id DESC LIMIT 1)
  AND (project_id, data_source_id) IN (SELECT project_id, data_source_id FROM (SELECT project_id, data_source_id
      FROM view_task WHERE status = 'PENDING' AND due_at <= :#${variable.now} AND (claimed_until IS NULL OR claimed_until < :#${variable.now})
      ORDER BY due_at, project_id, data_source_id LIMIT :#${variable.batchSize}) due)
