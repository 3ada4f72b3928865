-- PostgreSQL's 0007 turns its char(n) code columns into text, so that an index on them serves a text parameter. SQLite
-- compares by value whatever the declared type; nothing changes here, and the step keeps both stores at one schema version.
SELECT 1;
