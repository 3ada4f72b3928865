-- SQLite twin of postgres/0003_audit_keys.sql.
-- audit_log.record_key in one scheme, <municipality>/<table>/<key…> (docs/architecture.md, "Key scheme"), so one
-- lookup finds a record's or a person's whole history. Rows written before this migration are rewritten into it.
--
-- audit_log is append-only for the application (the triggers of 0001). This one-time, versioned rewrite of the key
-- format is the documented exception: it changes record_key only, in this migration's own transaction, and puts the
-- trigger back before it commits.
--
-- Each old format is told apart by its table, by how many '/' it holds and, where the municipality already leads, by
-- that prefix (which is kept, not doubled). No rewritten key has the shape of an old one, so no statement takes a row
-- another one has rewritten, and a row in none of these shapes is left as it is.

DROP TRIGGER audit_log_no_update;

-- person: load-members wrote <municipality>/<宛名番号>; reconcile --apply and its undo wrote <宛名番号>.
UPDATE audit_log SET record_key = municipality_code || '/person/' || substr(record_key, 8)
WHERE table_name = 'person' AND substr(record_key, 1, 7) = municipality_code || '/'
  AND length(record_key) - length(replace(record_key, '/', '')) = 1;
UPDATE audit_log SET record_key = municipality_code || '/person/' || record_key
WHERE table_name = 'person' AND instr(record_key, '/') = 0;

-- person_individual_number: load-members wrote <municipality>/<宛名番号>.
UPDATE audit_log SET record_key = municipality_code || '/person_individual_number/' || substr(record_key, 8)
WHERE table_name = 'person_individual_number' AND substr(record_key, 1, 7) = municipality_code || '/'
  AND length(record_key) - length(replace(record_key, '/', '')) = 1;

-- qualification: load-members wrote <municipality>/<宛名番号>/<取得日>; reconcile --apply and its undo <宛名番号>/<取得日>.
UPDATE audit_log SET record_key = municipality_code || '/qualification/' || substr(record_key, 8)
WHERE table_name = 'qualification' AND substr(record_key, 1, 7) = municipality_code || '/'
  AND length(record_key) - length(replace(record_key, '/', '')) = 2;
UPDATE audit_log SET record_key = municipality_code || '/qualification/' || record_key
WHERE table_name = 'qualification' AND length(record_key) - length(replace(record_key, '/', '')) = 1;

-- jps_filing_processed: reconcile --apply and its undo wrote <file id>/<line>.
UPDATE audit_log SET record_key = municipality_code || '/jps_filing_processed/' || record_key
WHERE table_name = 'jps_filing_processed' AND length(record_key) - length(replace(record_key, '/', '')) = 1;

-- jps_result_file: import --reimport wrote <municipality>/<file id>.
UPDATE audit_log SET record_key = municipality_code || '/jps_result_file/' || substr(record_key, 8)
WHERE table_name = 'jps_result_file' AND substr(record_key, 1, 7) = municipality_code || '/'
  AND length(record_key) - length(replace(record_key, '/', '')) = 1;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- No new index: text compares byte by byte here (BINARY), so ix_audit_log_record (municipality_code, table_name,
-- record_key) already serves equality and the prefix range AuditLog queries with (record_key >= p AND record_key < q).
