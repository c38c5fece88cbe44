-- The record lookup before each DDL (view-apply.camel.yaml, find-view-records) counts the other records that hold
-- the name the view should have. PostgreSQL's cached generic plan for it was seen taking the primary key for that
-- count, with target_name, the key's first column, as its only condition (planned while the statistics described a
-- nearly empty table, the key costed no more than the name index), and so reading all of the target's records on
-- every lookup (docs/benchmarks.md, the seventh round). Led by data_source_id, the key shares no first column with
-- the name index, so each lookup has one index that matches it in full; the key also serves the lookups by data
-- source, whose own index goes. A primary key is changed differently per database, hence a file per vendor.
ALTER TABLE managed_view DROP PRIMARY KEY, ADD PRIMARY KEY (data_source_id, project_id, target_name),
    DROP INDEX managed_view_by_data_source;
