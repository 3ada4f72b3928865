-- nenkin-reconcile: which imported lists it has reported on and applied, and JPS's word that it processed a filing.

-- A list is reported on once by default (the nightly dry run) and applied once (--apply); both can be asked again
-- with --file. undo clears applied_run_id.
CREATE TABLE jps_result_reconciled (
    file_id           bigint NOT NULL PRIMARY KEY REFERENCES jps_result_file (file_id),
    municipality_code char(6) NOT NULL,
    reported_run_id   bigint NOT NULL REFERENCES batch_run (run_id),
    applied_run_id    bigint REFERENCES batch_run (run_id)
);

-- 処理済 filings JPS confirmed for a person, recorded by reconcile --apply (one row per list line).
CREATE TABLE jps_filing_processed (
    municipality_code char(6) NOT NULL,
    file_id           bigint NOT NULL REFERENCES jps_result_file (file_id),
    line_number       bigint NOT NULL,
    atena_number      text   NOT NULL,
    filing_code       char(2) NOT NULL,
    received_on       date   NOT NULL,
    processed_on      date   NOT NULL,
    recorded_run_id   bigint NOT NULL REFERENCES batch_run (run_id),
    PRIMARY KEY (municipality_code, file_id, line_number),
    FOREIGN KEY (municipality_code, atena_number) REFERENCES person (municipality_code, atena_number) ON DELETE CASCADE
);
CREATE INDEX ix_jps_filing_processed_person ON jps_filing_processed (municipality_code, atena_number);
