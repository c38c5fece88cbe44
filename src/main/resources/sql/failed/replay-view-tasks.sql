UPDATE view_task SET status = 'PENDING', attempts = 0, due_at = :#${variable.now} WHERE status = 'FAILED'
