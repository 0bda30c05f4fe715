-- 0021: one problem, many schools (issue #10, step 2; docs/dialogue.md). An officer links
-- issues of different schools as one systemic problem: a parent with children, one level
-- deep. Resolving the parent resolves its open children in the same transaction (the
-- server does that; the lifecycle's rule is in domain/lifecycle.c). A parent is read by
-- whoever reads one of its children.
--
-- The history is the truth: `link` and `unlink` events, on the child (naming the parent)
-- and on the parent (naming the child). issue_links, issues.parent_id and
-- issues.child_count follow the child's events by the owner's trigger, as issue_states
-- follows the history: issue_links says over which stretch of time a child belonged to
-- a parent, so that a past month's report shows what was true at that month's end.
--
-- issues.affected_schools is who follows an issue besides the Department: its own school,
-- the schools that co-signed it, and for a parent its children's schools and their
-- co-signers. The issue counts them, and issues_read compares them with the reader's
-- schools in one test (it made three before).

ALTER TABLE issues ADD COLUMN parent_id bigint REFERENCES issues(id);
ALTER TABLE issues ADD COLUMN child_count integer NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN affected_schools integer[] NOT NULL DEFAULT '{}';
CREATE INDEX issues_parent_idx ON issues (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE issue_links (
    child_id     bigint NOT NULL REFERENCES issues(id),
    parent_id    bigint NOT NULL REFERENCES issues(id),
    linked_at    timestamptz NOT NULL,
    unlinked_at  timestamptz,
    -- (linked, unlinked]: an event at exactly an instant belongs after it, as in
    -- issue_states (0002).
    linked_during tstzrange GENERATED ALWAYS AS
        (tstzrange(linked_at, unlinked_at, '(]')) STORED,
    PRIMARY KEY (child_id, linked_at),
    CHECK (child_id <> parent_id),
    CHECK (unlinked_at IS NULL OR unlinked_at >= linked_at)
);
CREATE INDEX issue_links_parent_idx ON issue_links (parent_id);
-- A child belongs to one parent at a time.
CREATE UNIQUE INDEX issue_links_current_idx ON issue_links (child_id) WHERE unlinked_at IS NULL;

DO $$
DECLARE
    def text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO STRICT def FROM pg_constraint
     WHERE conrelid = 'issue_events'::regclass AND conname = 'issue_events_action_check';
    IF def NOT LIKE '%ARRAY[%' THEN
        RAISE EXCEPTION 'unexpected form of issue_events_action_check: %', def;
    END IF;
    ALTER TABLE issue_events DROP CONSTRAINT issue_events_action_check;
    EXECUTE 'ALTER TABLE issue_events ADD CONSTRAINT issue_events_action_check '
         || replace(def, 'ARRAY[', 'ARRAY[''link''::text, ''unlink''::text, ');
END $$;

-- The schools that follow an issue, sorted and distinct. Run as the owner, who reads
-- every row: a co-signature or a child may be one the caller cannot see.
CREATE FUNCTION issue_affected_refresh(p_issue bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    UPDATE issues SET affected_schools = ARRAY(
        SELECT i.school_id FROM issues i WHERE i.id = p_issue OR i.parent_id = p_issue
        UNION
        SELECT c.school_id FROM issue_cosigns c JOIN issues i ON i.id = c.issue_id
         WHERE i.id = p_issue OR i.parent_id = p_issue
        ORDER BY 1)
     WHERE id = p_issue;
$$;
REVOKE EXECUTE ON FUNCTION issue_affected_refresh(bigint) FROM PUBLIC;

-- A new issue follows its own school.
CREATE FUNCTION issues_affected_on_filing() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.affected_schools := ARRAY[NEW.school_id];
    RETURN NEW;
END $$;
CREATE TRIGGER issues_affected_on_filing
    BEFORE INSERT ON issues
    FOR EACH ROW EXECUTE FUNCTION issues_affected_on_filing();

UPDATE issues SET affected_schools = ARRAY(
    SELECT DISTINCT s FROM unnest(issues.school_id || issues.cosigned_schools) AS s ORDER BY 1);

-- A co-signature: as 0020, and the schools that follow the issue (and its parent's).
CREATE OR REPLACE FUNCTION issue_cosigns_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    saved_reads  text := coalesce(current_setting('directline.reads', true), '');
    saved_writes text := coalesce(current_setting('directline.writes', true), '');
    parent       bigint;
BEGIN
    PERFORM set_config('directline.reads', 'all', true);
    PERFORM set_config('directline.writes', 'all', true);
    UPDATE issues SET cosigned_schools = array_append(cosigned_schools, NEW.school_id),
                      updated_at = now()
     WHERE id = NEW.issue_id
    RETURNING parent_id INTO parent;
    PERFORM issue_affected_refresh(NEW.issue_id);
    IF parent IS NOT NULL THEN
        PERFORM issue_affected_refresh(parent);
    END IF;
    PERFORM set_config('directline.writes', saved_writes, true);
    PERFORM set_config('directline.reads', saved_reads, true);
    RETURN NULL;
END $$;

-- The child's link or unlink event moves its stretch in issue_links and the summaries.
-- One level only: a parent is nobody's child, a child nobody's parent (the server checks
-- first, with the rows locked; this is the last word, named for db_errors.c).
CREATE FUNCTION issue_links_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    saved_reads  text := coalesce(current_setting('directline.reads', true), '');
    saved_writes text := coalesce(current_setting('directline.writes', true), '');
    parent       bigint := (NEW.details->>'parent_id')::bigint;
BEGIN
    PERFORM set_config('directline.reads', 'all', true);
    PERFORM set_config('directline.writes', 'all', true);
    IF NEW.action = 'link' THEN
        IF EXISTS (SELECT 1 FROM issues WHERE id = parent AND parent_id IS NOT NULL)
           OR EXISTS (SELECT 1 FROM issues WHERE id = NEW.issue_id AND child_count > 0) THEN
            RAISE EXCEPTION 'a systemic problem is one level deep'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'issue_links_one_level';
        END IF;
        INSERT INTO issue_links (child_id, parent_id, linked_at)
        VALUES (NEW.issue_id, parent, NEW.created_at);
        UPDATE issues SET parent_id = parent WHERE id = NEW.issue_id;
        UPDATE issues SET child_count = child_count + 1 WHERE id = parent;
    ELSE
        UPDATE issue_links SET unlinked_at = NEW.created_at
         WHERE child_id = NEW.issue_id AND parent_id = parent AND unlinked_at IS NULL;
        UPDATE issues SET parent_id = NULL WHERE id = NEW.issue_id AND parent_id = parent;
        UPDATE issues SET child_count = child_count - 1 WHERE id = parent;
    END IF;
    PERFORM issue_affected_refresh(parent);
    PERFORM set_config('directline.writes', saved_writes, true);
    PERFORM set_config('directline.reads', saved_reads, true);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_links_follow() FROM PUBLIC;
CREATE TRIGGER issue_links_follow
    AFTER INSERT ON issue_events
    FOR EACH ROW WHEN (NEW.action IN ('link', 'unlink') AND NEW.details ? 'parent_id')
    EXECUTE FUNCTION issue_links_follow();

-- Whoever reads the child reads its stretches. Only the owner's trigger writes them: the
-- server's role has no grant to (below), and the owner is not held by the policy (RLS is
-- enabled, not forced, so that the SECURITY DEFINER trigger needs no policy of its own).
ALTER TABLE issue_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY issue_links_read ON issue_links FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR EXISTS (SELECT 1 FROM issues i WHERE i.id = issue_links.child_id));

-- Restated whole from 0020 with issue_links written by the owner alone.
CREATE OR REPLACE FUNCTION dl_grant_server_role(app text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF app IS NULL OR app = '' OR app = current_user THEN
        RETURN;                    -- one role does everything: nothing to grant
    END IF;
    -- The migrations' own lock (db/migrate.c): two GRANTs on one object at once fail.
    PERFORM pg_advisory_xact_lock(7310093817);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',
                   app);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public'
                   ' GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public'
                   ' GRANT USAGE, SELECT ON SEQUENCES TO %I', app);
    -- The history, its co-signatures and the audit log are written once, by INSERT;
    -- issue_states and issue_links only by the owner's triggers (issue_states read
    -- through issue_states_visible); attachment bytes are only added (read through
    -- attachment_content_slice); an issue or an attachment is never deleted; only
    -- migrate writes the list of migrations.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON issue_events, admin_events,'
                   ' issue_cosigns FROM %I', app);
    EXECUTE format('REVOKE ALL ON issue_states FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON issue_links FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON issue_states_visible FROM %I',
                   app);
    EXECUTE format('REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON attachment_contents FROM %I',
                   app);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON issues, attachments FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM %I',
                   app);
    -- A filing takes its reference number through the owner's function (0013, 0018).
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_issue_ref_next(integer) TO %I', app);
END $$;

-- The report's unresolved list counts a systemic problem once and lists its schools:
-- kept documents of the old shape go.
TRUNCATE report_cache;

-- --- policies, restated whole -----------------------------------------------------------
-- directline.reach (db/db.c): the schools whose issues the reader reaches as a school, a
-- principal's own or a cluster leader's cluster, as an array; '' for anyone else. One
-- overlap with affected_schools says what 0020 said in three tests (own school, cluster,
-- co-signed), and now also "a parent of one of my children".
ALTER POLICY issues_read ON issues USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR affected_schools && (SELECT nullif(current_setting('directline.reach', true),
                                          '')::integer[])
    OR (shared AND (SELECT current_setting('directline.context', true)
                           IN ('principal', 'cluster_leader'))));

ALTER POLICY issue_events_read ON issue_events USING (
    ((SELECT current_setting('directline.reads', true) = 'all')
     OR school_id = ANY ((SELECT nullif(current_setting('directline.reach', true),
                                        '')::integer[])::integer[])
     OR EXISTS (SELECT 1 FROM issues i WHERE i.id = issue_events.issue_id))
    AND (NOT internal OR (SELECT current_setting('directline.internal', true) = 'on')));
