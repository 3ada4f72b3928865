-- nenkin-juki-sync: 宛名 kept current from the 住民基本台帳, with its history (docs/architecture.md, "住基 sync").

-- The rest of 宛名 as the register sends it; juki_history_number is the last 履歴番号 applied (0: none yet).
ALTER TABLE person ADD COLUMN common_name text;
ALTER TABLE person ADD COLUMN household_number text;
ALTER TABLE person ADD COLUMN relationship text;
ALTER TABLE person ADD COLUMN resident_kind smallint;
ALTER TABLE person ADD COLUMN became_resident_on date;
ALTER TABLE person ADD COLUMN moved_out_to text;
ALTER TABLE person ADD COLUMN nationality text;
-- 支援措置 (DV等): while true, the person's address, 方書 and 転出先 appear in no output of the suite.
ALTER TABLE person ADD COLUMN disclosure_block boolean NOT NULL DEFAULT false;
ALTER TABLE person ADD COLUMN juki_history_number integer NOT NULL DEFAULT 0;
-- Every 履歴番号 applied, in order, as "履歴番号:異動事由:異動日" (";"-separated); a change a later 取消し undid ends in ":x" and
-- the 履歴番号 of the 取消し. Read with the person; what a 取消し needs to find the change it undoes.
ALTER TABLE person ADD COLUMN juki_changes text;

-- Nor does a sealed 個人番号 any more: a per-row key check doubled the time a million numbers take to load, and the
-- number is written in the same transaction as its person; whatever deletes a person deletes the number by key.
ALTER TABLE person_individual_number DROP CONSTRAINT person_individual_number_municipality_code_atena_number_fkey;

-- The first schema's juki_change_applied (one row per applied change) is replaced by person.juki_changes: nothing wrote it,
-- and a row per change costs a million-person initial load more than the person rows themselves.
DROP TABLE juki_change_applied;

-- The histories have no foreign key to person: the sync writes them in the same transaction as the person, and a per-row
-- key check would cost more than the row itself on an initial load; whatever deletes a person deletes its history by key.
-- 住所履歴: one row each time the address (郵便番号, 住所, 方書) became different, from its 異動日; a cancelled change's row
-- is kept, marked, and is not a former address.
CREATE TABLE person_address_history (
    municipality_code   char(6) NOT NULL,
    atena_number        text    NOT NULL,
    history_number      integer NOT NULL,
    change_reason       char(2) NOT NULL,
    valid_from          date    NOT NULL,
    postal_code         text,
    address             text    NOT NULL,
    address_suffix      text,
    cancelled_by        integer,
    run_id              bigint  NOT NULL,
    PRIMARY KEY (municipality_code, atena_number, history_number)
);

-- 氏名履歴: the same for 氏名, フリガナ and 通称.
CREATE TABLE person_name_history (
    municipality_code   char(6) NOT NULL,
    atena_number        text    NOT NULL,
    history_number      integer NOT NULL,
    change_reason       char(2) NOT NULL,
    valid_from          date    NOT NULL,
    name                text    NOT NULL,
    name_kana           text    NOT NULL,
    common_name         text,
    cancelled_by        integer,
    run_id              bigint  NOT NULL,
    PRIMARY KEY (municipality_code, atena_number, history_number)
);

-- A 住基 file taken, known by its content. completed_run_id is set when its last row is through.
CREATE TABLE juki_file (
    file_id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code   char(6) NOT NULL,
    file_name           text    NOT NULL,
    sha256              text    NOT NULL,
    newest_processed_on date,
    started_run_id      bigint  NOT NULL REFERENCES batch_run (run_id),
    completed_run_id    bigint  REFERENCES batch_run (run_id),
    UNIQUE (municipality_code, sha256)
);

-- Rows that came before the 履歴番号 they follow: kept, whole, until the run that brings the missing one applies them in order.
-- The 個人番号 is sealed as in person_individual_number; the snapshot (JSON) never holds it.
CREATE TABLE juki_pending (
    municipality_code   char(6) NOT NULL,
    atena_number        text    NOT NULL,
    history_number      integer NOT NULL,
    file_id             bigint  NOT NULL,
    line_number         bigint  NOT NULL,
    snapshot            text    NOT NULL,
    number_digest       bytea,
    number_sealed       bytea,
    first_seen_on       date    NOT NULL,
    -- Whether the row is recent enough in its file to raise follow-ups (docs/domain.md, "Follow-ups").
    raises_follow_ups   boolean NOT NULL,
    run_id              bigint  NOT NULL,
    PRIMARY KEY (municipality_code, atena_number, history_number)
);

-- What the 住基 changes ask of staff (the sync decides no 資格 by itself). One row per event, across runs: source_key is
-- "宛名番号:履歴番号" for a change or a gap, "file-digest:line" for a refused row.
CREATE TABLE follow_up (
    follow_up_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code   char(6) NOT NULL,
    kind                text    NOT NULL,
    source_key          text    NOT NULL,
    atena_number        text,
    history_number      integer,
    change_reason       char(2),
    changed_on          date,
    file_name           text,
    line_number         bigint,
    what_happened       text    NOT NULL,
    what_to_do          text    NOT NULL,
    due_on              date,
    status              text    NOT NULL CHECK (status IN ('OPEN', 'WITHDRAWN', 'RESOLVED')),
    raised_run_id       bigint  NOT NULL REFERENCES batch_run (run_id),
    closed_run_id       bigint  REFERENCES batch_run (run_id),
    UNIQUE (municipality_code, kind, source_key)
);
CREATE INDEX ix_follow_up_person ON follow_up (municipality_code, atena_number, history_number);
CREATE INDEX ix_follow_up_runs ON follow_up (raised_run_id);
