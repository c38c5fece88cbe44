-- The view's definition as the target database reports it right after the service wrote it: reconciliation
-- compares it with what the target says now, and replaces a view edited by hand.
ALTER TABLE managed_view ADD COLUMN definition_hash CHAR(64) NULL;

-- Singleton work across instances (reconciliation): whoever holds an unexpired lease does it.
CREATE TABLE lease (
    name   VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder VARCHAR(64)  NULL,
    until  TIMESTAMP(3) NULL
);
INSERT INTO lease (name) VALUES ('reconciliation');
