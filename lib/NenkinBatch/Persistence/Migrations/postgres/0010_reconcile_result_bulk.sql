-- A report run keeps every row a clerk may decide (要確認, 市未登録): hundreds of thousands for a million-row list, taken by
-- COPY while the report is written. PostgreSQL checked both foreign keys row by row, a third of the time those rows took;
-- they go, as the audit log's did (0007). Each row is written by its own run with the run's id, and the purge erases a
-- list's or a run's rows itself before it erases the list or the run (docs/domain.md, "Retention"). The index by person
-- serves the purge's erasure of a person, and a row a clerk decides names no person: it holds only rows that do.
ALTER TABLE reconcile_result DROP CONSTRAINT IF EXISTS reconcile_result_run_id_fkey;
ALTER TABLE reconcile_result DROP CONSTRAINT IF EXISTS reconcile_result_file_id_fkey;
DROP INDEX IF EXISTS ix_reconcile_result_person;
CREATE INDEX ix_reconcile_result_person ON reconcile_result (municipality_code, atena_number) WHERE atena_number IS NOT NULL;
