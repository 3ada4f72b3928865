-- Fixed-width codes (市区町村コード, 基礎年金番号, 事由コード, SHA-256 …) become text. PostgreSQL compares a char(n) column with a
-- text value by casting the column, and an index on a cast column serves no such comparison: every query of the suite binds
-- its codes as text, so "municipality_code = @m AND atena_number = ANY(@keys)" walked the whole primary key instead of
-- finding the keys, a cost that grew with the number of people on file. The values were checked before they were written
-- (docs/domain.md) and stay as they were; only their type changes. Each table is rewritten once, with its indexes.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.table_name, string_agg(format('ALTER COLUMN %I TYPE text', c.column_name), ', ' ORDER BY c.ordinal_position) AS changes
        FROM information_schema.columns c JOIN information_schema.tables r ON r.table_schema = c.table_schema AND r.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND c.data_type = 'character' AND r.table_type = 'BASE TABLE'
        GROUP BY c.table_name ORDER BY c.table_name
    LOOP
        EXECUTE format('ALTER TABLE %I %s', t.table_name, t.changes);
    END LOOP;
END $$;

-- The audit log no longer points at batch_run by a foreign key: PostgreSQL checked it row by row, the largest cost of
-- writing a first load's audit rows, and the two are kept for different periods (docs/domain.md, "Retention"), so a
-- run's registry row may go while its audit rows must stay. Every audit row is written by its run, in its run's
-- transactions, with the run's own id.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_run_id_fkey;
