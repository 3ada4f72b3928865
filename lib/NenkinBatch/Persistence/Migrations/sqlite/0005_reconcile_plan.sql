-- nenkin-reconcile --apply decides everything before it changes anything: the report and the safe changes are made
-- against the records as they were, the changes kept here in chunks, and only then applied, chunk by chunk. A run
-- killed half-way is continued by the next --apply from the first chunk not applied, under the planning run's
-- number, so its report, its changes and its audit rows are those of one uninterrupted run.
CREATE TABLE reconcile_plan (
    run_id              integer NOT NULL PRIMARY KEY REFERENCES batch_run (run_id),
    municipality_code   text NOT NULL,
    scope_key           text NOT NULL,
    scope               text NOT NULL,
    file_ids            text NOT NULL,
    state               text NOT NULL CHECK (state IN ('PLANNING', 'READY', 'DONE')),
    chunk_count         integer NOT NULL DEFAULT 0,
    applied_chunks      integer NOT NULL DEFAULT 0,
    counts              text,
    report_csv          text,
    report_xlsx         text,
    completed_by_run_id integer REFERENCES batch_run (run_id)
);
CREATE INDEX ix_reconcile_plan_open ON reconcile_plan (municipality_code, state);

-- The changes of a plan not yet done, as JSON (one array per chunk); removed when the plan is done.
CREATE TABLE reconcile_plan_chunk (
    run_id   integer NOT NULL REFERENCES reconcile_plan (run_id) ON DELETE CASCADE,
    chunk_no integer NOT NULL,
    changes  text NOT NULL,
    PRIMARY KEY (run_id, chunk_no)
);
