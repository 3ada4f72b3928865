-- The 個人番号 key's check value, one per municipality: a keyed digest of a fixed label (HMAC-SHA-256 under a key
-- derived from the master key for this use alone), recorded when a job first uses the key. Every job that seals or
-- digests a number compares it with the key file in force first, so a key file swapped for another stops the job
-- before anything is written under a key the stored numbers were not sealed with. It holds nothing of any person.
CREATE TABLE individual_number_key_check (
    municipality_code char(6)     NOT NULL PRIMARY KEY,
    key_check         bytea       NOT NULL,
    recorded_at       timestamptz NOT NULL,
    recorded_run_id   bigint      NOT NULL REFERENCES batch_run (run_id)
);
REVOKE ALL ON individual_number_key_check FROM PUBLIC;
