-- Every view the service created, so that it replaces and drops only its own views, and skips DDL when
-- Immuta's SQL has not changed. Portable across H2, PostgreSQL and MariaDB.
CREATE TABLE managed_view (
    target_name      VARCHAR(64)  NOT NULL,
    project_id       BIGINT       NOT NULL,
    data_source_id   BIGINT       NOT NULL,
    schema_name      VARCHAR(128) NOT NULL,
    view_name        VARCHAR(128) NOT NULL,
    project_name     VARCHAR(1024),
    data_source_name VARCHAR(1024),
    view_sql         TEXT         NOT NULL,
    sql_hash         CHAR(64)     NOT NULL,
    applied_at       TIMESTAMP    NOT NULL,
    PRIMARY KEY (target_name, project_id, data_source_id)
);

CREATE UNIQUE INDEX managed_view_by_name ON managed_view (target_name, schema_name, view_name);
CREATE INDEX managed_view_by_data_source ON managed_view (data_source_id);
