-- SQLite twin of postgres/0001_initial.sql: dates are ISO text, instants ISO text in UTC.
-- The suite's first schema. Every table carries municipality_code so several cities can share
-- one database and, at national scale, a distributed PostgreSQL can shard on it.

CREATE TABLE batch_run (
    run_id              INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code   text     NOT NULL,
    job                 text        NOT NULL,
    parameters          text        NOT NULL,
    parameters_key      text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('STARTED','COMPLETED','COMPLETED_WITH_ERRORS','FAILED','ABANDONED')),
    started_at          text NOT NULL,
    ended_at            text,
    host                text        NOT NULL,
    os_user             text        NOT NULL,
    process_id          integer     NOT NULL,
    exit_code           integer,
    error               text,
    counts              text,
    checkpoint          text,
    resumed_from_run_id integer REFERENCES batch_run (run_id)
);
CREATE INDEX ix_batch_run_job ON batch_run (municipality_code, job, run_id);
CREATE INDEX ix_batch_run_params ON batch_run (municipality_code, job, parameters_key, run_id);

-- Rejected rows and warnings of a run; values are stored masked (no 個人番号 ever).
CREATE TABLE run_problem (
    problem_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id            integer  NOT NULL REFERENCES batch_run (run_id),
    municipality_code text NOT NULL,
    severity          text    NOT NULL CHECK (severity IN ('error','warning')),
    file_name         text,
    line_number       integer,
    field             text,
    value             text,
    reason            text    NOT NULL
);
CREATE INDEX ix_run_problem_run ON run_problem (run_id, line_number);

-- 宛名 + 年金基本
CREATE TABLE person (
    municipality_code    text  NOT NULL,
    atena_number         text     NOT NULL,
    basic_pension_number text,
    name                 text     NOT NULL,
    name_kana            text     NOT NULL,
    birth_date           text,
    birth_date_text      text,
    sex                  integer NOT NULL,
    postal_code          text,
    address              text     NOT NULL,
    address_suffix       text,
    resident_status      integer NOT NULL,
    removed_on           text,
    created_run_id       integer   NOT NULL,
    updated_run_id       integer   NOT NULL,
    PRIMARY KEY (municipality_code, atena_number)
);
CREATE INDEX ix_person_pension ON person (municipality_code, basic_pension_number) WHERE basic_pension_number IS NOT NULL;
CREATE INDEX ix_person_birth ON person (municipality_code, birth_date);

-- 個人番号 lives apart from the person, sealed (AES-GCM) with a key outside the database, and
-- findable only through a keyed digest: a SELECT * export of any table leaks no number.
CREATE TABLE person_individual_number (
    municipality_code text NOT NULL,
    atena_number      text    NOT NULL,
    number_digest     blob   NOT NULL,
    number_sealed     blob   NOT NULL,
    updated_run_id    integer  NOT NULL,
    PRIMARY KEY (municipality_code, atena_number),
    FOREIGN KEY (municipality_code, atena_number) REFERENCES person (municipality_code, atena_number) ON DELETE CASCADE
);
CREATE INDEX ix_individual_number_digest ON person_individual_number (municipality_code, number_digest);

-- 資格
CREATE TABLE qualification (
    municipality_code  text  NOT NULL,
    atena_number       text     NOT NULL,
    acquired_on        text     NOT NULL,
    insured_category   integer NOT NULL,
    acquisition_reason text,
    lost_on            text,
    loss_reason        text,
    created_run_id     integer   NOT NULL,
    updated_run_id     integer   NOT NULL,
    PRIMARY KEY (municipality_code, atena_number, acquired_on),
    FOREIGN KEY (municipality_code, atena_number) REFERENCES person (municipality_code, atena_number) ON DELETE CASCADE
);

-- 処理結果一覧表: one row per file taken, identified by its content.
CREATE TABLE jps_result_file (
    file_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code text     NOT NULL,
    file_name         text        NOT NULL,
    sha256            text    NOT NULL,
    layout            text        NOT NULL,
    encoding          text        NOT NULL,
    row_count         integer      NOT NULL DEFAULT 0,
    rejected_count    integer      NOT NULL DEFAULT 0,
    imported_run_id   integer      NOT NULL REFERENCES batch_run (run_id),
    imported_at       text NOT NULL,
    replaced_by_run_id integer     REFERENCES batch_run (run_id)
);
CREATE UNIQUE INDEX ux_jps_result_file_content ON jps_result_file (municipality_code, sha256) WHERE replaced_by_run_id IS NULL;

-- Written a whole file at a time in one transaction; no foreign key to jps_result_file (the import writes both together),
-- whose per-row check costs more than the insert itself on a million-row list.
-- JPS's 個人番号 is kept only as a keyed digest: reconcile compares numbers, and nothing needs this one in clear.
CREATE TABLE jps_result (
    municipality_code    text  NOT NULL,
    file_id              integer   NOT NULL,
    line_number          integer   NOT NULL,
    filing_code          text  NOT NULL,
    received_on          text     NOT NULL,
    processed_on         text     NOT NULL,
    basic_pension_number text,
    kana_name            text     NOT NULL,
    kanji_name           text,
    birth_date           text     NOT NULL,
    sex                  integer NOT NULL,
    postal_code          text,
    address              text,
    insured_category     integer,
    acquired_on          text,
    acquisition_reason   text,
    lost_on              text,
    loss_reason          text,
    result               integer NOT NULL,
    error_code           text,
    error_text           text,
    number_digest        blob,
    warnings             text,
    PRIMARY KEY (file_id, line_number)
);

CREATE TABLE jps_result_rejected (
    municipality_code text NOT NULL,
    file_id           integer  NOT NULL REFERENCES jps_result_file (file_id) ON DELETE CASCADE,
    seq               integer NOT NULL,
    line_number       integer  NOT NULL,
    field             text,
    value             text,
    reason            text    NOT NULL,
    PRIMARY KEY (file_id, seq)
);

-- 住基 changes already applied, so a rerun never applies one twice.
CREATE TABLE juki_change_applied (
    municipality_code text     NOT NULL,
    atena_number      text        NOT NULL,
    history_number    integer     NOT NULL,
    change_reason     text     NOT NULL,
    changed_on        text,
    processed_on      text        NOT NULL,
    applied_run_id    integer      NOT NULL REFERENCES batch_run (run_id),
    applied_at        text NOT NULL,
    PRIMARY KEY (municipality_code, atena_number, history_number)
);

CREATE TABLE reconcile_result (
    municipality_code text  NOT NULL,
    run_id            integer   NOT NULL REFERENCES batch_run (run_id),
    file_id           integer   REFERENCES jps_result_file (file_id),
    line_number       integer,
    seq               integer   NOT NULL,
    verdict           text     NOT NULL,
    atena_number      text,
    score             real,
    evidence          text,
    differences       text,
    proposed_action   text,
    other_candidates  text,
    applied           integer  NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, seq)
);

-- Every change to a person's records; append-only (a trigger refuses UPDATE and DELETE).
CREATE TABLE audit_log (
    audit_id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code          text     NOT NULL,
    run_id                     integer      NOT NULL REFERENCES batch_run (run_id),
    job                        text        NOT NULL,
    table_name                 text        NOT NULL,
    record_key                 text        NOT NULL,
    action                     text        NOT NULL CHECK (action IN ('INSERT','UPDATE','DELETE')),
    before_data                text,
    after_data                 text,
    individual_number_accessed integer     NOT NULL,
    recorded_at                text NOT NULL
);
CREATE INDEX ix_audit_log_run ON audit_log (run_id);
CREATE INDEX ix_audit_log_record ON audit_log (municipality_code, table_name, record_key);

CREATE TABLE purge_plan (
    plan_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code text     NOT NULL,
    planned_run_id    integer      NOT NULL REFERENCES batch_run (run_id),
    business_date     text        NOT NULL,
    policy            text        NOT NULL,
    item_count        integer      NOT NULL,
    status            text        NOT NULL CHECK (status IN ('PLANNED','EXECUTED','CANCELLED')),
    executed_run_id   integer      REFERENCES batch_run (run_id),
    created_at        text NOT NULL
);

CREATE TABLE purge_plan_item (
    plan_id           integer  NOT NULL REFERENCES purge_plan (plan_id),
    seq               integer  NOT NULL,
    municipality_code text NOT NULL,
    table_name        text    NOT NULL,
    record_key        text    NOT NULL,
    event_date        text    NOT NULL,
    retention_rule    text    NOT NULL,
    PRIMARY KEY (plan_id, seq)
);

-- What was deleted, without personal data; append-only like the audit log.
CREATE TABLE purge_log (
    purge_id          INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code text     NOT NULL,
    plan_id           integer      NOT NULL REFERENCES purge_plan (plan_id),
    run_id            integer      NOT NULL REFERENCES batch_run (run_id),
    table_name        text        NOT NULL,
    record_key        text        NOT NULL,
    deleted_at        text NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER purge_log_no_update BEFORE UPDATE ON purge_log BEGIN SELECT RAISE(ABORT, 'purge_log is append-only'); END;
CREATE TRIGGER purge_log_no_delete BEFORE DELETE ON purge_log BEGIN SELECT RAISE(ABORT, 'purge_log is append-only'); END;
