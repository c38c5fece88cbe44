-- Every acknowledged notification, stored before the service answers 202 and kept until it took effect
-- (deleted) or ran out of attempts (FAILED). A duplicate of a notification still waiting is not stored twice. Instances claim due rows by setting claim and claimed_until;
-- a claim that expires (its instance died) makes the row due again. Timestamps come from the service's clock.
CREATE TABLE inbox (
    id                VARCHAR(64)   NOT NULL PRIMARY KEY,
    received_at       TIMESTAMP(3)  NULL,
    notification_type VARCHAR(128)  NULL,
    body              TEXT          NOT NULL,
    body_hash         CHAR(64)      NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    attempts          INT           NOT NULL,
    next_attempt_at   TIMESTAMP(3)  NULL,
    claim             VARCHAR(64)   NULL,
    claimed_until     TIMESTAMP(3)  NULL,
    last_error        VARCHAR(2000) NULL
);

CREATE INDEX inbox_due ON inbox (status, next_attempt_at);
CREATE INDEX inbox_claim ON inbox (claim);
CREATE INDEX inbox_body_hash ON inbox (body_hash);
