-- Work per view: one row per (project, data source), whatever number of notifications asked for it. A new
-- request for a view bumps version, so a worker that finishes an older version leaves the row for another run
-- with Immuta's newest state. The claim makes one worker, across instances, the only one on that view.
CREATE TABLE view_task (
    project_id     BIGINT        NOT NULL,
    data_source_id BIGINT        NOT NULL,
    action         VARCHAR(8)    NOT NULL,
    project        TEXT          NULL,
    data_source    TEXT          NULL,
    version        BIGINT        NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    attempts       INT           NOT NULL,
    due_at         TIMESTAMP(3)  NULL,
    claim          VARCHAR(64)   NULL,
    claimed_until  TIMESTAMP(3)  NULL,
    last_error     VARCHAR(2000) NULL,
    PRIMARY KEY (project_id, data_source_id)
);

CREATE INDEX view_task_due ON view_task (status, due_at);
CREATE INDEX view_task_claim ON view_task (claim);
