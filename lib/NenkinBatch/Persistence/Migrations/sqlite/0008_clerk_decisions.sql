-- The rows a clerk may decide (要確認, 市未登録), as the report run wrote them: the digest of the row's cells (the workbook's
-- hidden 照合ID ends with it) and its candidates with the version (updated_run_id) of each person's record at the time.
-- nenkin-reconcile decide checks a decision against them (docs/architecture.md, "The clerk's decisions").
ALTER TABLE reconcile_result ADD COLUMN digest text;
ALTER TABLE reconcile_result ADD COLUMN candidates text;
CREATE INDEX ix_reconcile_result_line ON reconcile_result (run_id, file_id, line_number);

-- A clerk's decision about one list row, remembered: the row's person is (same) or is not (not same) the person of
-- 宛名番号 atena_number. identity_key is the row's identity as JPS wrote it ('P:' and the 基礎年金番号, else 'F:' and a
-- digest of its 4情報), so the same person in a later list is recognised. 別人 on a row without candidates is kept with
-- an empty atena_number: the row is decided, no person is ruled out. Removed by undo of the deciding run.
CREATE TABLE match_decision (
    decision_id       integer PRIMARY KEY AUTOINCREMENT,
    municipality_code text    NOT NULL,
    file_id           integer NOT NULL REFERENCES jps_result_file (file_id),
    line_number       bigint  NOT NULL,
    identity_key      text    NOT NULL,
    atena_number      text    NOT NULL,
    same              integer NOT NULL,
    report_run_id     bigint  NOT NULL,
    decided_run_id    bigint  NOT NULL,
    decided_on        date    NOT NULL,
    decided_by        text    NOT NULL,
    UNIQUE (municipality_code, file_id, line_number, atena_number)
);
CREATE INDEX ix_match_decision_identity ON match_decision (municipality_code, identity_key);
CREATE INDEX ix_match_decision_run ON match_decision (decided_run_id);
-- The purge erases a person's decisions with them, and a list's with the list.
CREATE INDEX ix_match_decision_person ON match_decision (municipality_code, atena_number);
CREATE INDEX ix_match_decision_file ON match_decision (file_id);
