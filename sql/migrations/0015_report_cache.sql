-- 0015: the monthly report of a finished month, kept once computed, so that asking again
-- costs one look-up instead of the history's month-end probes. A finished month's figures
-- are fixed by the history, which is append-only and stamped with the time of writing;
-- what may still change is shown beside them (names of schools, clusters, categories and
-- divisions; which schools a cluster holds), and both are part of what a kept report is
-- checked against when it is read. Kept in PostgreSQL, so every server reads the same.
-- And computing one from the history probes an SP-GiST index instead of a GiST one.

-- "Unresolved at instant T" (0003): the same index as an SP-GiST one (a quad tree on the
-- ranges' bounds), which finds the ranges containing an instant with far fewer
-- comparisons. Measured on 200,000 issues (the report's own statements, EXPLAIN ANALYZE,
-- best of six on a busy 2-core machine): the trend's ten month-end counts 125-225 ms
-- against 280-415 ms, the month-end's list about the same, the index 52 MB against 85.
-- Built beside the old one, which is dropped only then: dropping it first would lock out
-- every event (the history trigger writes issue_states) for the whole build.
CREATE INDEX issue_states_unresolved_spgist_idx ON issue_states
    USING spgist (unresolved_during) INCLUDE (issue_id, school_id)
    WHERE unresolved_during IS NOT NULL;
DROP INDEX issue_states_unresolved_idx;
ALTER INDEX issue_states_unresolved_spgist_idx RENAME TO issue_states_unresolved_idx;

-- Raised by any transaction that writes an event dated in a month that has already ended
-- (a hand correction, a loader, a test writing a past history; the server itself stamps
-- every event with the time it is written). A kept report is used only while the number
-- it was computed under is still the current one.
CREATE TABLE report_history_epoch (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    epoch     bigint NOT NULL
);
INSERT INTO report_history_epoch (epoch) VALUES (0);

-- Every server role reads it; only the owner's trigger below changes it (no write policy).
ALTER TABLE report_history_epoch ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_history_epoch_read ON report_history_epoch FOR SELECT USING (true);

-- Once per transaction: the flag is local to it, so a loader's million rows raise it once.
CREATE FUNCTION report_history_backdated() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    IF current_setting('directline.report_epoch_raised', true) = 'on' THEN
        RETURN NULL;
    END IF;
    UPDATE report_history_epoch SET epoch = epoch + 1;
    PERFORM set_config('directline.report_epoch_raised', 'on', true);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION report_history_backdated() FROM PUBLIC;

-- The condition is evaluated in the row's own context, without calling PL/pgSQL: an event
-- stamped now() in the current month (every one the server writes) costs one comparison.
-- The clock is the wall clock (clock_timestamp), not the transaction's start, so an event
-- written after its month ended counts even when its transaction began before.
CREATE TRIGGER report_history_backdated
    AFTER INSERT ON issue_events
    FOR EACH ROW
    WHEN (NEW.created_at < (date_trunc('month', clock_timestamp() AT TIME ZONE 'Asia/Ho_Chi_Minh')
                            AT TIME ZONE 'Asia/Ho_Chi_Minh'))
    EXECUTE FUNCTION report_history_backdated();

-- What a kept report shows besides the history: every name the report may print (a
-- school's name and cluster, a cluster's name, a category's name and kind, a division's
-- name). A rename changes the digest, and the report is made again with the new name.
CREATE FUNCTION report_names_digest() RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT md5(concat_ws(E'\x1e',
        (SELECT string_agg(concat_ws(E'\x1f', id, code, name), E'\x1f' ORDER BY id)
           FROM clusters),
        (SELECT string_agg(concat_ws(E'\x1f', id, code, name, cluster_id), E'\x1f' ORDER BY id)
           FROM schools),
        (SELECT string_agg(concat_ws(E'\x1f', code, name, kind), E'\x1f' ORDER BY code)
           FROM categories),
        (SELECT string_agg(concat_ws(E'\x1f', code, name), E'\x1f' ORDER BY code)
           FROM divisions)))
$$;

-- Which report: the whole Department, one school, or one cluster with the schools it
-- holds now (a school moved to another cluster makes a different key, so the cluster's
-- kept report is not used). NULL for a code that does not exist.
CREATE FUNCTION report_scope_key(p_school text, p_cluster text) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN p_school IS NOT NULL THEN
            (SELECT 'school:' || sch.code FROM schools sch WHERE sch.code = p_school)
        WHEN p_cluster IS NOT NULL THEN
            (SELECT 'cluster:' || cl.code || ':' ||
                    coalesce((SELECT array_agg(sch.id ORDER BY sch.id) FROM schools sch
                               WHERE sch.cluster_id = cl.id), '{}')::text
               FROM clusters cl WHERE cl.code = p_cluster)
        ELSE 'department' END
$$;

-- A rendered report, per month, scope and format. UNLOGGED: it is derived, so losing it
-- in a crash costs only its recomputation, and writing a few megabytes costs no WAL.
-- The document is stored uncompressed (EXTERNAL): read back at memory speed.
CREATE UNLOGGED TABLE report_cache (
    month          date NOT NULL,
    scope_key      text NOT NULL,
    variant        text NOT NULL,       -- json, html, csv-issues, csv-summary
    scope_schools  integer[],           -- NULL: the Department; else the scope's schools
    logic          integer NOT NULL,    -- the report code's version (report_cache.c)
    history_epoch  bigint NOT NULL,     -- report_history_epoch when it was computed
    names_digest   text NOT NULL,       -- report_names_digest() when it was computed
    document       text NOT NULL,
    computed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (month, scope_key, variant)
);
ALTER TABLE report_cache ALTER COLUMN document SET STORAGE EXTERNAL;

-- Department staff (and the CLI's report context) reach every kept report; a cluster
-- leader only those whose schools all belong to their cluster, a principal only their
-- school's. With USING alone the same rule holds for writing (FOR ALL): nobody keeps a
-- report wider than they may read.
ALTER TABLE report_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_cache FORCE ROW LEVEL SECURITY;
CREATE POLICY report_cache_scope ON report_cache FOR ALL
    USING (current_setting('directline.reads', true) = 'all'
           OR (cardinality(scope_schools) > 0
               AND scope_schools <@ array_append(
                   coalesce(nullif(current_setting('directline.schools', true), '')::integer[],
                            '{}'),
                   nullif(current_setting('directline.school_id', true), '')::integer)));
