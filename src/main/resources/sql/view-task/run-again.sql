-- A newer request came while the task ran: run it again after the coalescing window, with Immuta's newest SQL.
UPDATE view_task SET claim = NULL, claimed_until = NULL, due_at = :#${variable.dueAt}
WHERE project_id = :#${variable.projectId} AND data_source_id = :#${variable.dataSourceId}
