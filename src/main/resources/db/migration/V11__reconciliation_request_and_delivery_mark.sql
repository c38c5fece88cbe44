-- A whole reconciliation asked for by a notification that names no model: any instance's poller starts it, and the
-- run that takes the lease clears it.
ALTER TABLE lease ADD COLUMN requested_at TIMESTAMP(3) NULL;
-- A singleton's progress: for delivery-recovery, the id of the newest failed delivery of Immuta's webhook history
-- already asked to be made again.
ALTER TABLE lease ADD COLUMN mark BIGINT NULL;
INSERT INTO lease (name) VALUES ('delivery-recovery');
