-- The view tasks' claim takes the first batch in the order (due_at, project_id, data_source_id), the key breaking
-- ties, and bounds what it updates by the batch's last row in that order. With the index on (status, due_at) alone,
-- PostgreSQL read every task due at the batch's due time for each claim and ran the batch subquery again for each:
-- 106 ms a claim with 20,000 tasks due at one instant, as after an admin replays every failed view task. With the key
-- in the index the bound is an index condition and a claim reads its batch. An index is dropped differently per
-- database, hence a file per vendor.
CREATE INDEX view_task_due_in_claim_order ON view_task (status, due_at, project_id, data_source_id);
DROP INDEX view_task_due;
