-- SQLite twin of postgres/0009_purge.sql: dates are ISO text, instants ISO text in UTC.
-- purge_plan, purge_plan_item and purge_log of 0001 were never written by any job; they are replaced by the shape the
-- purge needs. Dropping them loses nothing: nothing ever wrote a row.
DROP TRIGGER purge_log_no_update;
DROP TRIGGER purge_log_no_delete;
DROP TABLE purge_log;
DROP TABLE purge_plan_item;
DROP TABLE purge_plan;

CREATE TABLE purge_plan (
    plan_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code text    NOT NULL,
    planned_run_id    integer NOT NULL REFERENCES batch_run (run_id),
    as_of             text    NOT NULL,
    policy            text    NOT NULL,
    policy_digest     text    NOT NULL,
    item_count        integer NOT NULL,
    person_count      integer NOT NULL,
    persons_on_file   integer NOT NULL,
    counts            text    NOT NULL,
    held_count        integer NOT NULL,
    report_csv        text,
    report_xlsx       text,
    status            text    NOT NULL CHECK (status IN ('PLANNING', 'PLANNED', 'EXECUTING', 'EXECUTED')),
    executed_run_id   integer REFERENCES batch_run (run_id),
    created_at        text    NOT NULL,
    executed_at       text
);

CREATE TABLE purge_plan_item (
    plan_id           integer NOT NULL REFERENCES purge_plan (plan_id),
    seq               integer NOT NULL,
    municipality_code text    NOT NULL,
    kind              text    NOT NULL,
    record_key        text,
    event_date        text    NOT NULL,
    outcome           text    CHECK (outcome IN ('DELETED', 'SKIPPED')),
    reason            text,
    done_run_id       integer,
    PRIMARY KEY (plan_id, seq)
);

CREATE TABLE purge_log (
    purge_id          INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code text    NOT NULL,
    plan_id           integer NOT NULL REFERENCES purge_plan (plan_id),
    item_seq          integer NOT NULL,
    run_id            integer NOT NULL,
    kind              text    NOT NULL,
    key_digest        text    NOT NULL,
    rule              text    NOT NULL,
    event_date        text    NOT NULL,
    period_years      integer NOT NULL,
    deleted_at        text    NOT NULL,
    UNIQUE (plan_id, item_seq)
);
CREATE INDEX ix_purge_log_digest ON purge_log (municipality_code, kind, key_digest);
CREATE TRIGGER purge_log_no_update BEFORE UPDATE ON purge_log BEGIN SELECT RAISE(ABORT, 'purge_log is append-only'); END;
CREATE TRIGGER purge_log_no_delete BEFORE DELETE ON purge_log BEGIN SELECT RAISE(ABORT, 'purge_log is append-only'); END;

CREATE TABLE purge_hold (
    hold_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code text    NOT NULL,
    kind              text    NOT NULL CHECK (kind IN ('person', 'jpsFile')),
    record_key        text    NOT NULL,
    reason            text    NOT NULL,
    until             text    NOT NULL,
    added_run_id      integer NOT NULL,
    added_at          text    NOT NULL,
    removed_run_id    integer,
    removed_at        text,
    removed_reason    text
);
CREATE INDEX ix_purge_hold_key ON purge_hold (municipality_code, kind, record_key);

-- The audit log's controlled way through: a trigger in the main schema cannot name a TEMP table, but it can ask
-- pragma_table_list which tables the connection has. Only nenkin-purge execute's connection creates TEMP purge_gate,
-- so only it may delete or rewrite audit rows; every other connection is refused as before. A rewrite may only take
-- personal data out (before and after emptied; run, job, action and time unchanged).
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT (EXISTS (SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'purge_gate')
              AND NEW.before_data IS NULL AND NEW.after_data IS NULL AND NEW.audit_id = OLD.audit_id AND NEW.run_id = OLD.run_id
              AND NEW.job = OLD.job AND NEW.action = OLD.action AND NEW.recorded_at = OLD.recorded_at)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN NOT EXISTS (SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'purge_gate')
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE INDEX ix_batch_run_ended ON batch_run (municipality_code, ended_at);
-- On the date alone: the audit log's lookups by key keep their own index (an index led by municipality_code would compete for them).
CREATE INDEX ix_audit_log_recorded ON audit_log (recorded_at);
-- An erased person's reconcile results go with them: looked up by person, not by run.
CREATE INDEX ix_reconcile_result_person ON reconcile_result (municipality_code, atena_number);
