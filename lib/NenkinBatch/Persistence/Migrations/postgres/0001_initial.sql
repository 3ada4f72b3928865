-- The suite's first schema. Every table carries municipality_code so several cities can share
-- one database and, at national scale, a distributed PostgreSQL can shard on it.

CREATE TABLE batch_run (
    run_id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code   char(6)     NOT NULL,
    job                 text        NOT NULL,
    parameters          text        NOT NULL,
    parameters_key      text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('STARTED','COMPLETED','COMPLETED_WITH_ERRORS','FAILED','ABANDONED')),
    started_at          timestamptz NOT NULL,
    ended_at            timestamptz,
    host                text        NOT NULL,
    os_user             text        NOT NULL,
    process_id          integer     NOT NULL,
    exit_code           integer,
    error               text,
    counts              text,
    checkpoint          text,
    resumed_from_run_id bigint REFERENCES batch_run (run_id)
);
CREATE INDEX ix_batch_run_job ON batch_run (municipality_code, job, run_id);
CREATE INDEX ix_batch_run_params ON batch_run (municipality_code, job, parameters_key, run_id);

-- Rejected rows and warnings of a run; values are stored masked (no 個人番号 ever).
CREATE TABLE run_problem (
    problem_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id            bigint  NOT NULL REFERENCES batch_run (run_id),
    municipality_code char(6) NOT NULL,
    severity          text    NOT NULL CHECK (severity IN ('error','warning')),
    file_name         text,
    line_number       bigint,
    field             text,
    value             text,
    reason            text    NOT NULL
);
CREATE INDEX ix_run_problem_run ON run_problem (run_id, line_number);

-- 宛名 + 年金基本
CREATE TABLE person (
    municipality_code    char(6)  NOT NULL,
    atena_number         text     NOT NULL,
    basic_pension_number char(10),
    name                 text     NOT NULL,
    name_kana            text     NOT NULL,
    birth_date           date,
    birth_date_text      text,
    sex                  smallint NOT NULL,
    postal_code          text,
    address              text     NOT NULL,
    address_suffix       text,
    resident_status      smallint NOT NULL,
    removed_on           date,
    created_run_id       bigint   NOT NULL,
    updated_run_id       bigint   NOT NULL,
    PRIMARY KEY (municipality_code, atena_number)
);
CREATE INDEX ix_person_pension ON person (municipality_code, basic_pension_number) WHERE basic_pension_number IS NOT NULL;
CREATE INDEX ix_person_birth ON person (municipality_code, birth_date);

-- 個人番号 lives apart from the person, sealed (AES-GCM) with a key outside the database, and
-- findable only through a keyed digest: a SELECT * export of any table leaks no number.
CREATE TABLE person_individual_number (
    municipality_code char(6) NOT NULL,
    atena_number      text    NOT NULL,
    number_digest     bytea   NOT NULL,
    number_sealed     bytea   NOT NULL,
    updated_run_id    bigint  NOT NULL,
    PRIMARY KEY (municipality_code, atena_number),
    FOREIGN KEY (municipality_code, atena_number) REFERENCES person (municipality_code, atena_number) ON DELETE CASCADE
);
CREATE INDEX ix_individual_number_digest ON person_individual_number (municipality_code, number_digest);
REVOKE ALL ON person_individual_number FROM PUBLIC;

-- 資格
CREATE TABLE qualification (
    municipality_code  char(6)  NOT NULL,
    atena_number       text     NOT NULL,
    acquired_on        date     NOT NULL,
    insured_category   smallint NOT NULL,
    acquisition_reason char(2),
    lost_on            date,
    loss_reason        char(2),
    created_run_id     bigint   NOT NULL,
    updated_run_id     bigint   NOT NULL,
    PRIMARY KEY (municipality_code, atena_number, acquired_on),
    FOREIGN KEY (municipality_code, atena_number) REFERENCES person (municipality_code, atena_number) ON DELETE CASCADE
);

-- 処理結果一覧表: one row per file taken, identified by its content.
CREATE TABLE jps_result_file (
    file_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code char(6)     NOT NULL,
    file_name         text        NOT NULL,
    sha256            char(64)    NOT NULL,
    layout            text        NOT NULL,
    encoding          text        NOT NULL,
    row_count         bigint      NOT NULL DEFAULT 0,
    rejected_count    bigint      NOT NULL DEFAULT 0,
    imported_run_id   bigint      NOT NULL REFERENCES batch_run (run_id),
    imported_at       timestamptz NOT NULL,
    replaced_by_run_id bigint     REFERENCES batch_run (run_id)
);
CREATE UNIQUE INDEX ux_jps_result_file_content ON jps_result_file (municipality_code, sha256) WHERE replaced_by_run_id IS NULL;

-- Append-only, written a whole file at a time by one binary COPY: no foreign key and no btree, whose per-row
-- upkeep cost more than the load itself (measured on a million rows); a BRIN index on file_id finds a file's rows,
-- and (file_id, line_number) is unique by construction (the import writes each line of a file once, in one transaction).
-- JPS's 個人番号 is kept only as a keyed digest: reconcile compares numbers, and nothing needs this one in clear.
CREATE TABLE jps_result (
    municipality_code    char(6)  NOT NULL,
    file_id              bigint   NOT NULL,
    line_number          bigint   NOT NULL,
    filing_code          char(2)  NOT NULL,
    received_on          date     NOT NULL,
    processed_on         date     NOT NULL,
    basic_pension_number char(10),
    kana_name            text     NOT NULL,
    kanji_name           text,
    birth_date           date     NOT NULL,
    sex                  smallint NOT NULL,
    postal_code          text,
    address              text,
    insured_category     smallint,
    acquired_on          date,
    acquisition_reason   char(2),
    lost_on              date,
    loss_reason          char(2),
    result               smallint NOT NULL,
    error_code           text,
    error_text           text,
    number_digest        bytea,
    warnings             text
);
CREATE INDEX ix_jps_result_file ON jps_result USING brin (file_id);

CREATE TABLE jps_result_rejected (
    municipality_code char(6) NOT NULL,
    file_id           bigint  NOT NULL REFERENCES jps_result_file (file_id) ON DELETE CASCADE,
    seq               integer NOT NULL,
    line_number       bigint  NOT NULL,
    field             text,
    value             text,
    reason            text    NOT NULL,
    PRIMARY KEY (file_id, seq)
);

-- 住基 changes already applied, so a rerun never applies one twice.
CREATE TABLE juki_change_applied (
    municipality_code char(6)     NOT NULL,
    atena_number      text        NOT NULL,
    history_number    integer     NOT NULL,
    change_reason     char(2)     NOT NULL,
    changed_on        date,
    processed_on      date        NOT NULL,
    applied_run_id    bigint      NOT NULL REFERENCES batch_run (run_id),
    applied_at        timestamptz NOT NULL,
    PRIMARY KEY (municipality_code, atena_number, history_number)
);

CREATE TABLE reconcile_result (
    municipality_code char(6)  NOT NULL,
    run_id            bigint   NOT NULL REFERENCES batch_run (run_id),
    file_id           bigint   REFERENCES jps_result_file (file_id),
    line_number       bigint,
    seq               bigint   NOT NULL,
    verdict           text     NOT NULL,
    atena_number      text,
    score             double precision,
    evidence          text,
    differences       text,
    proposed_action   text,
    other_candidates  text,
    applied           boolean  NOT NULL DEFAULT false,
    PRIMARY KEY (run_id, seq)
);

-- Every change to a person's records; append-only (a trigger refuses UPDATE and DELETE).
CREATE TABLE audit_log (
    audit_id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code          char(6)     NOT NULL,
    run_id                     bigint      NOT NULL REFERENCES batch_run (run_id),
    job                        text        NOT NULL,
    table_name                 text        NOT NULL,
    record_key                 text        NOT NULL,
    action                     text        NOT NULL CHECK (action IN ('INSERT','UPDATE','DELETE')),
    before_data                text,
    after_data                 text,
    individual_number_accessed boolean     NOT NULL,
    recorded_at                timestamptz NOT NULL
);
CREATE INDEX ix_audit_log_run ON audit_log (run_id);
CREATE INDEX ix_audit_log_record ON audit_log (municipality_code, table_name, record_key);

CREATE TABLE purge_plan (
    plan_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code char(6)     NOT NULL,
    planned_run_id    bigint      NOT NULL REFERENCES batch_run (run_id),
    business_date     date        NOT NULL,
    policy            text        NOT NULL,
    item_count        bigint      NOT NULL,
    status            text        NOT NULL CHECK (status IN ('PLANNED','EXECUTED','CANCELLED')),
    executed_run_id   bigint      REFERENCES batch_run (run_id),
    created_at        timestamptz NOT NULL
);

CREATE TABLE purge_plan_item (
    plan_id           bigint  NOT NULL REFERENCES purge_plan (plan_id),
    seq               bigint  NOT NULL,
    municipality_code char(6) NOT NULL,
    table_name        text    NOT NULL,
    record_key        text    NOT NULL,
    event_date        date    NOT NULL,
    retention_rule    text    NOT NULL,
    PRIMARY KEY (plan_id, seq)
);

-- What was deleted, without personal data; append-only like the audit log.
CREATE TABLE purge_log (
    purge_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code char(6)     NOT NULL,
    plan_id           bigint      NOT NULL REFERENCES purge_plan (plan_id),
    run_id            bigint      NOT NULL REFERENCES batch_run (run_id),
    table_name        text        NOT NULL,
    record_key        text        NOT NULL,
    deleted_at        timestamptz NOT NULL
);

CREATE FUNCTION refuse_change_to_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only();
CREATE TRIGGER purge_log_append_only BEFORE UPDATE OR DELETE ON purge_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only();
