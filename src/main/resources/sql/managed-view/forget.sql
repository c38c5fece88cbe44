DELETE FROM managed_view
WHERE target_name = :#${variable.record[targetName]} AND project_id = :#${variable.record[projectId]}
  AND data_source_id = :#${variable.record[dataSourceId]}
