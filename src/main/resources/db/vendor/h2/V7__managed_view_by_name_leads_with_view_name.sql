-- The record lookup (view-apply.camel.yaml, find-view-records) must find a view's own record by the primary key.
-- With target_name first in both indexes, PostgreSQL's cached generic plan could take this one for that lookup,
-- with only target_name to go on, while the table's statistics still described it as nearly empty (a first
-- reconciliation fills it from nothing): every lookup then read all of the target's records. Led by view_name,
-- this index serves only lookups by name. Dropping an index is written differently per database, hence a file
-- per vendor (spring.flyway.locations).
DROP INDEX managed_view_by_name;
CREATE UNIQUE INDEX managed_view_by_name ON managed_view (view_name, schema_name, target_name);
