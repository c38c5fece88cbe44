-- The intake stores a notification unless the same one still waits (InboxWriter): a lookup by body_hash and
-- status. With an index on body_hash alone, PostgreSQL, planning without statistics of a freshly grown inbox,
-- costed it no better than inbox_due, whose first column is status, and was seen reading every waiting row through
-- inbox_due for each delivery (docs/benchmarks.md, the ninth round). An index on both columns matches the lookup in
-- full, so no plan reads more than the duplicates. An index is dropped differently per database, hence a file per
-- vendor.
CREATE INDEX inbox_waiting_by_body_hash ON inbox (body_hash, status);
DROP INDEX inbox_body_hash;
