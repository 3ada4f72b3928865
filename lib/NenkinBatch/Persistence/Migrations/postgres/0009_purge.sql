-- nenkin-purge (docs/architecture.md, "Purge"): retention plans, their items, legal holds and the purge log.
--
-- purge_plan, purge_plan_item and purge_log were laid down by 0001 and never written by any job; they are replaced
-- here by the shape the purge needs (a plan's policy and its digest, per-kind counts, an outcome per item; a log row
-- that keeps a keyed digest of the key, never the key). Dropping them loses nothing: nothing ever wrote a row.
DROP TABLE purge_log;
DROP TABLE purge_plan_item;
DROP TABLE purge_plan;

-- One plan per nenkin-purge plan run: what the policy in force (its text and SHA-256) would erase as of a business date.
-- Execute deletes only what a plan names; status PLANNED until its first execute, EXECUTING while one is under way (a
-- killed one is continued by the same command), EXECUTED when every item has its outcome.
CREATE TABLE purge_plan (
    plan_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code text        NOT NULL,
    planned_run_id    bigint      NOT NULL REFERENCES batch_run (run_id),
    as_of             date        NOT NULL,
    policy            text        NOT NULL,
    policy_digest     text        NOT NULL,
    item_count        bigint      NOT NULL,
    person_count      bigint      NOT NULL,
    persons_on_file   bigint      NOT NULL,
    counts            text        NOT NULL,
    held_count        bigint      NOT NULL,
    report_csv        text,
    report_xlsx       text,
    status            text        NOT NULL CHECK (status IN ('PLANNING', 'PLANNED', 'EXECUTING', 'EXECUTED')),
    executed_run_id   bigint      REFERENCES batch_run (run_id),
    created_at        timestamptz NOT NULL,
    executed_at       timestamptz
);

-- Every key a plan names, in the order execute takes them (persons before their numbers, files, runs last). The key of a
-- person (宛名番号) is cleared once the item is done: the plan must not keep what it erased.
CREATE TABLE purge_plan_item (
    plan_id           bigint  NOT NULL REFERENCES purge_plan (plan_id),
    seq               bigint  NOT NULL,
    municipality_code text    NOT NULL,
    kind              text    NOT NULL,
    record_key        text,
    event_date        date    NOT NULL,
    outcome           text    CHECK (outcome IN ('DELETED', 'SKIPPED')),
    reason            text,
    done_run_id       bigint,
    PRIMARY KEY (plan_id, seq)
);

-- What was erased, without personal data: the kind, a keyed digest (HMAC-SHA-256 under a key derived from the 個人番号 master
-- key for this use alone) of the key, the rule, the event date and period, the plan and the run. Append-only and never purged.
CREATE TABLE purge_log (
    purge_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code text        NOT NULL,
    plan_id           bigint      NOT NULL REFERENCES purge_plan (plan_id),
    item_seq          bigint      NOT NULL,
    run_id            bigint      NOT NULL,
    kind              text        NOT NULL,
    key_digest        text        NOT NULL,
    rule              text        NOT NULL,
    event_date        date        NOT NULL,
    period_years      integer     NOT NULL,
    deleted_at        timestamptz NOT NULL,
    UNIQUE (plan_id, item_seq)
);
CREATE INDEX ix_purge_log_digest ON purge_log (municipality_code, kind, key_digest);
CREATE TRIGGER purge_log_append_only BEFORE UPDATE OR DELETE ON purge_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only();

-- Legal holds: a person (宛名番号) or a JPS list (file id) held for a dispute or an inquiry is never planned nor erased while
-- the hold is in force (not removed, until on or after the business date). Adding and removing are audited.
CREATE TABLE purge_hold (
    hold_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('person', 'jpsFile')),
    record_key        text        NOT NULL,
    reason            text        NOT NULL,
    until             date        NOT NULL,
    added_run_id      bigint      NOT NULL,
    added_at          timestamptz NOT NULL,
    removed_run_id    bigint,
    removed_at        timestamptz,
    removed_reason    text
);
CREATE INDEX ix_purge_hold_key ON purge_hold (municipality_code, kind, record_key);

-- The audit log's controlled way through (5-year retention, and an erased person's rows stripped of what names them): only a
-- transaction that set nenkinbatch.purge on (SET LOCAL, nenkin-purge execute alone does) may delete or rewrite audit rows;
-- everything else is still refused. The purge log has no such door.
CREATE FUNCTION refuse_change_to_audit_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('nenkinbatch.purge', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        -- A rewrite may only take personal data out: the row's run, job, action and time stay as they were.
        IF NEW.before_data IS NULL AND NEW.after_data IS NULL AND NEW.audit_id = OLD.audit_id AND NEW.run_id = OLD.run_id
           AND NEW.job = OLD.job AND NEW.action = OLD.action AND NEW.recorded_at = OLD.recorded_at THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_audit_log();

-- The retention queries: runs by their end, audit rows by their date.
CREATE INDEX ix_batch_run_ended ON batch_run (municipality_code, ended_at);
-- On the date alone: the audit log's lookups by key keep their own index (an index led by municipality_code would compete for them).
CREATE INDEX ix_audit_log_recorded ON audit_log (recorded_at);
-- An erased person's reconcile results go with them: looked up by person, not by run.
CREATE INDEX ix_reconcile_result_person ON reconcile_result (municipality_code, atena_number);
