-- PostgreSQL's 0011 makes 市区町村コード and 宛名番号 compare byte by byte (COLLATE "C"). SQLite's text compares byte by
-- byte already (BINARY); nothing changes here, and the step keeps both stores at one schema version.
SELECT 1;
