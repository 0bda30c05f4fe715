-- 0027: "unresolved at instant T" through a GiST index again (0003's kind), not 0015's
-- SP-GiST one. Every filing adds a stretch [now, infinity) to the index; in the SP-GiST
-- quad tree all such points fall into the same quadrant at every level, so concurrent
-- filings queue behind each other's page locks there, and more so as filings accumulate.
-- Measured on 100,000 issues (performance.md, round 8), the filing's same SQL under
-- pgbench at 16 clients: the stretch's insert took 2.2-3.5 ms a filing with the SP-GiST
-- index and 0.18 ms with a GiST one (0.17 with none); 632 against 784 filings a second.
-- The report's ten month-end counts cost 23.7 ms against 20.5 (warm; at 1,000,000 issues
-- 145-215 ms against 109-153), so the report, computed once a month and then kept (0015),
-- pays little for what every filing saves.
-- Built beside the old one, which is dropped only then (as 0015 did).
CREATE INDEX issue_states_unresolved_gist_idx ON issue_states
    USING gist (unresolved_during) INCLUDE (issue_id, school_id)
    WHERE unresolved_during IS NOT NULL;
DROP INDEX issue_states_unresolved_idx;
ALTER INDEX issue_states_unresolved_gist_idx RENAME TO issue_states_unresolved_idx;
