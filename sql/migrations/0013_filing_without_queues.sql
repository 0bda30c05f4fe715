-- 0013: a filing that queues behind no other filing and reads nothing that rarely changes.
-- - Issue references come from one sequence per year (issue_ref_YYYY) instead of one
--   counter row per year: that row stayed locked from a filing's upsert until its COMMIT,
--   so every filing in the province waited for the one before it to reach the disk. A
--   sequence hands out numbers without a lock that lasts; the price is that a number
--   taken by a filing that then fails is never given out again (a gap), which the
--   references allow (unique, per year, never reused; not gap-free).
-- - The SLA settings (policies, working hours, holidays) get a version number, raised
--   in the same transaction as any change to them, so that a server may keep them in
--   memory and reload them only when the version it reads with each filing has moved,
--   whichever server (or psql session) made the change.

-- --- references -------------------------------------------------------------------------
-- A year's sequence, made when missing. The server's role owns nothing and may not
-- create objects, so the sequence of a new year is made here, with the owner's rights,
-- by the first filing of that year. Two first filings at once: the second's CREATE waits
-- for the first's transaction and then fails (it committed: use its sequence) or
-- succeeds (it rolled back, and its sequence with it).
CREATE FUNCTION dl_issue_ref_sequence(p_year integer) RETURNS regclass
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    seq text := format('public.issue_ref_%s', p_year);
BEGIN
    IF p_year IS NULL OR p_year NOT BETWEEN 1000 AND 9999 THEN
        RAISE EXCEPTION 'no references for the year %', p_year;
    END IF;
    IF to_regclass(seq) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE %s AS bigint MINVALUE 1 NO CYCLE', seq);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            NULL;                   -- made by another filing that has committed since
        END;
    END IF;
    RETURN seq::regclass;
END $$;
REVOKE EXECUTE ON FUNCTION dl_issue_ref_sequence(integer) FROM PUBLIC;

-- The next number of a year's references (the filing's; the demo loader's). Made
-- SECURITY DEFINER so that the server's role, which may create nothing, can start a
-- new year's sequence at the year's first filing.
CREATE FUNCTION dl_issue_ref_next(p_year integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    seq regclass := to_regclass(format('public.issue_ref_%s', p_year));
BEGIN
    IF seq IS NULL THEN
        seq := dl_issue_ref_sequence(p_year);
    END IF;
    RETURN nextval(seq);
END $$;

-- Loaders that write references themselves (the benchmark's bulk load) move the year's
-- sequence past them; it never goes back, so nothing given out is given again.
CREATE FUNCTION dl_issue_ref_at_least(p_year integer, p_last bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    seq regclass := dl_issue_ref_sequence(p_year);
    cur bigint;
    called boolean;
BEGIN
    EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO cur, called;
    IF p_last > 0 AND (NOT called OR p_last > cur) THEN
        PERFORM setval(seq, p_last);
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION dl_issue_ref_at_least(integer, bigint) FROM PUBLIC;

-- `directline demo --force` and the benchmark empty the issues and start the numbers
-- again, as truncating the counters did.
CREATE FUNCTION dl_issue_ref_reset() RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    seq text;
BEGIN
    FOR seq IN SELECT c.oid::regclass::text FROM pg_class c
                WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace
                  AND c.relname ~ '^issue_ref_[0-9]{4}$' LOOP
        EXECUTE format('DROP SEQUENCE %s', seq);
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION dl_issue_ref_reset() FROM PUBLIC;

-- Each year's sequence continues from the counter, or from the highest reference stored
-- if that is higher. A server of the previous version still filing would take a number
-- after it was read here: the lock makes it wait, and fail once the table is gone.
LOCK TABLE issue_ref_counters IN EXCLUSIVE MODE;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT year, max(last) AS last FROM (
                 SELECT year, last::bigint FROM issue_ref_counters
                 UNION ALL
                 SELECT split_part(ref, '-', 2)::int, split_part(ref, '-', 3)::bigint FROM issues
             ) k GROUP BY year LOOP
        PERFORM dl_issue_ref_at_least(r.year, r.last);
    END LOOP;
END $$;

-- The counters stay readable where they were: the last number given out in each year
-- (what the sequence shows; the server never reads this).
DROP TABLE issue_ref_counters;
CREATE VIEW issue_ref_counters AS
SELECT substr(sequencename, 11)::integer AS year, coalesce(last_value, 0) AS last
  FROM pg_sequences
 WHERE schemaname = 'public' AND sequencename ~ '^issue_ref_[0-9]{4}$';

-- --- the SLA settings' version ----------------------------------------------------------
-- One row. Everyone reads it; only the owner's trigger below changes it (row-level
-- security without FORCE holds every role but the owner to the one read policy).
CREATE TABLE sla_settings_version (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    version  bigint NOT NULL
);
INSERT INTO sla_settings_version (version) VALUES (1);
ALTER TABLE sla_settings_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY sla_settings_version_read ON sla_settings_version FOR SELECT USING (true);

-- Per statement, not per row: an admin replacing the calendar raises it once per
-- statement, and a reader only compares it for equality.
CREATE FUNCTION sla_settings_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    UPDATE public.sla_settings_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER sla_policies_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON sla_policies FOR EACH STATEMENT EXECUTE FUNCTION sla_settings_changed();
CREATE TRIGGER working_hours_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON working_hours FOR EACH STATEMENT EXECUTE FUNCTION sla_settings_changed();
CREATE TRIGGER holidays_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON holidays FOR EACH STATEMENT EXECUTE FUNCTION sla_settings_changed();
