-- Whether view work is still pending (reconciliation waits for its own).
SELECT COUNT(*) AS "pending" FROM view_task WHERE status = 'PENDING'
