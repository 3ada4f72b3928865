-- PostgreSQL's 0010 drops reconcile_result's foreign keys, which it checked row by row while a report run kept its
-- hundreds of thousands of decidable rows. SQLite checks them in process at little cost and could drop them only by
-- rebuilding the table; nothing changes here, and the step keeps both stores at one schema version.
SELECT 1;
