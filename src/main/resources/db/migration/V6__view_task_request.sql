-- Which notification last asked for the view (its inbox id: the correlation id the view task logs under) and when
-- the earliest request not yet served was received (the apply latency runs from there to the DDL).
ALTER TABLE view_task ADD COLUMN requested_by VARCHAR(64) NULL;
ALTER TABLE view_task ADD COLUMN requested_at TIMESTAMP(3) NULL;
