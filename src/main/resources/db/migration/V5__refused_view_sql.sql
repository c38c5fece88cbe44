-- View SQL from Immuta that the service refused to put into DDL (not exactly one query), per project and data
-- source: the latest refusal, until a later SQL for the same view is accepted. The SQL itself is not kept, only its
-- hash, so that the table holds nothing an attacker chose to store.
CREATE TABLE refused_view_sql (
    project_id       BIGINT        NOT NULL,
    data_source_id   BIGINT        NOT NULL,
    project_name     VARCHAR(1000) NULL,
    data_source_name VARCHAR(1000) NULL,
    sql_hash         CHAR(64)      NOT NULL,
    reason           VARCHAR(500)  NOT NULL,
    refused_at       TIMESTAMP(3)  NOT NULL,
    PRIMARY KEY (project_id, data_source_id)
);
