-- Dead letters: unreadable records and records whose projection failed, with the reason; also sent to the dead-letter
-- topic. retried_at and retry_result record what an ADMIN's retry did.
ALTER TABLE unreadable_record
    ADD COLUMN retried_at   TIMESTAMPTZ,
    ADD COLUMN retry_result TEXT;
