-- 市区町村コード and 宛名番号 compare byte by byte, as on SQLite (and as record_key does since 0003). They are digits, so
-- the order is the same under any collation; only the cost differs: under the database's linguistic collation (C.UTF-8,
-- ja_JP.UTF-8 …) every btree step on them goes through strcoll, which made the primary keys of the people's tables
-- cost a first load of the 住基 history more than their rows did. Every such column changes at once, so that two of
-- them always compare under one collation. The tables are not rewritten; their indexes are rebuilt.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.table_name,
               string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', c.column_name), ', ' ORDER BY c.column_name) AS changes
        FROM information_schema.columns c
        JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.column_name IN ('municipality_code', 'atena_number') AND c.data_type = 'text'
          AND c.collation_name IS DISTINCT FROM 'C'
        GROUP BY c.table_name
        ORDER BY c.table_name
    LOOP
        EXECUTE format('ALTER TABLE %I %s', t.table_name, t.changes);
    END LOOP;
END
$$;
