-- 0020: sharing and co-signing (issue #10, step 1; docs/dialogue.md has the table of who
-- sees and does what). An issue stays private to its school, the school's cluster leader
-- and the Department until its principal shares it with all schools; another school's
-- principal may then add "our school has this too" (a co-signature) and follows the issue
-- from then on, even if it is unshared later. A sensitive category (personnel, complaints,
-- discipline) is never shared: the server refuses, and so does the trigger below.
--
-- issue_cosigns is the truth (who signed, when, with what note); issues.shared and
-- issues.cosigned_schools are the issue's current summary, like its status, so that the
-- policies compare columns of the row and look nothing up for the common reader.

ALTER TABLE categories ADD COLUMN sensitive boolean NOT NULL DEFAULT false;
ALTER TABLE issues ADD COLUMN shared boolean NOT NULL DEFAULT false;
ALTER TABLE issues ADD COLUMN cosigned_schools integer[] NOT NULL DEFAULT '{}';

CREATE TABLE issue_cosigns (
    issue_id      bigint NOT NULL REFERENCES issues(id),
    school_id     integer NOT NULL REFERENCES schools(id),
    principal_id  integer NOT NULL REFERENCES users(id),
    note          text CHECK (length(note) BETWEEN 1 AND 10000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_id, school_id)
);
-- "What our school follows", newest first.
CREATE INDEX issue_cosigns_school_idx ON issue_cosigns (school_id, created_at DESC);

-- A co-signature is part of the history: never changed, never taken back.
CREATE FUNCTION issue_cosigns_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issue_cosigns is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER issue_cosigns_append_only
    BEFORE UPDATE OR DELETE ON issue_cosigns
    FOR EACH ROW EXECUTE FUNCTION issue_cosigns_refuse_change();
CREATE TRIGGER issue_cosigns_no_truncate
    BEFORE TRUNCATE ON issue_cosigns
    FOR EACH STATEMENT EXECUTE FUNCTION issue_cosigns_refuse_change();

-- The history learns three actions (added to whatever the constraint allows now, as 0005).
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
         || replace(def, 'ARRAY[', 'ARRAY[''share''::text, ''unshare''::text, ''cosign''::text, ');
END $$;

-- A shared issue never has a sensitive category, whichever way round it would come: an
-- issue shared into one, or moved into one while shared (the server unshares it first,
-- with its event), or its category marked sensitive while one of its issues is shared
-- (the admin API unshares them first). The error's constraint name is what the server
-- turns into 409 sensitive_category.
CREATE FUNCTION issues_refuse_shared_sensitive() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM categories c WHERE c.id = NEW.category_id AND c.sensitive) THEN
        RAISE EXCEPTION 'an issue of a sensitive category cannot be shared'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'issues_shared_not_sensitive';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER issues_shared_not_sensitive
    BEFORE INSERT OR UPDATE OF shared, category_id ON issues
    FOR EACH ROW WHEN (NEW.shared) EXECUTE FUNCTION issues_refuse_shared_sensitive();

CREATE FUNCTION categories_refuse_sensitive_shared() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM issues i WHERE i.category_id = NEW.id AND i.shared) THEN
        RAISE EXCEPTION 'category % has shared issues: unshare them first', NEW.code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'issues_shared_not_sensitive';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER categories_sensitive_not_shared
    BEFORE UPDATE OF sensitive ON categories
    FOR EACH ROW WHEN (NEW.sensitive AND NOT OLD.sensitive)
    EXECUTE FUNCTION categories_refuse_sensitive_shared();
CREATE INDEX issues_shared_idx ON issues (created_at DESC, id DESC) WHERE shared;

-- A co-signature adds its school to the issue's summary. The co-signing principal may not
-- change another school's issue (issues_change), so the owner's trigger does it, in a
-- context that reads and writes every row (the issue may have been unshared since the
-- co-signature's own check: the summary must follow the row of record all the same), and
-- puts the caller's back (as 0010's history trigger).
CREATE FUNCTION issue_cosigns_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    saved_reads  text := coalesce(current_setting('directline.reads', true), '');
    saved_writes text := coalesce(current_setting('directline.writes', true), '');
BEGIN
    PERFORM set_config('directline.reads', 'all', true);
    PERFORM set_config('directline.writes', 'all', true);
    UPDATE issues SET cosigned_schools = array_append(cosigned_schools, NEW.school_id),
                      updated_at = now()
     WHERE id = NEW.issue_id;
    PERFORM set_config('directline.writes', saved_writes, true);
    PERFORM set_config('directline.reads', saved_reads, true);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_cosigns_follow() FROM PUBLIC;
CREATE TRIGGER issue_cosigns_follow
    AFTER INSERT ON issue_cosigns
    FOR EACH ROW EXECUTE FUNCTION issue_cosigns_follow();

-- The server's role may add a co-signature, never change or remove one: restated whole
-- from 0018 with issue_cosigns among the history's tables (`directline migrate` runs it
-- after the migrations).
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
    -- The history, its co-signatures and the audit log are written once, by INSERT; issue_states only by the
    -- owner's trigger, and read through issue_states_visible; attachment bytes are only
    -- added (read through attachment_content_slice); an issue or an attachment is never
    -- deleted; only migrate writes the list of migrations.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON issue_events, admin_events,'
                   ' issue_cosigns FROM %I', app);
    EXECUTE format('REVOKE ALL ON issue_states FROM %I', app);
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

-- The report's unresolved list gains how many schools each issue affected at the month's
-- end: kept documents of the old shape go (each is made again when next asked for).
TRUNCATE report_cache;

-- --- policies, restated whole -----------------------------------------------------------
-- Each setting is read once per statement (0014, 0016). A shared issue is read by every
-- principal and cluster leader; an issue a school co-signed by that school and by its
-- cluster's leader. The history and the co-signatures follow the issue (a look-up in
-- issues, under its own policy, made only for rows the school rule does not already let
-- through); internal notes stay the Department's.

ALTER POLICY issues_read ON issues USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
    OR school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                       '')::integer[])::integer[])
    OR (shared AND (SELECT current_setting('directline.context', true)
                           IN ('principal', 'cluster_leader')))
    OR (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
           = ANY (cosigned_schools)
    OR cosigned_schools && (SELECT nullif(current_setting('directline.schools', true),
                                          '')::integer[])::integer[]);

ALTER POLICY issue_events_read ON issue_events USING (
    ((SELECT current_setting('directline.reads', true) = 'all')
     OR school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
     OR school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                        '')::integer[])::integer[])
     OR EXISTS (SELECT 1 FROM issues i WHERE i.id = issue_events.issue_id))
    AND (NOT internal OR (SELECT current_setting('directline.internal', true) = 'on')));

-- Writing: as before, plus a principal's co-signature on another school's shared issue and
-- a co-signing school's public comment; never internal, always in the writer's own name.
ALTER POLICY issue_events_write ON issue_events WITH CHECK (
    ((SELECT current_setting('directline.writes', true) = 'all')
     OR school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
     OR school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                        '')::integer[])::integer[])
     OR (action = 'cosign' AND EXISTS (
            SELECT 1 FROM issues i WHERE i.id = issue_events.issue_id AND i.shared))
     OR (action = 'comment' AND EXISTS (
            SELECT 1 FROM issues i WHERE i.id = issue_events.issue_id
               AND (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
                   = ANY (i.cosigned_schools))))
    AND (NOT internal OR (SELECT current_setting('directline.internal', true) = 'on'))
    AND (actor_id = (SELECT nullif(current_setting('directline.user_id', true), '')::integer)
         OR (actor_id IS NULL AND (SELECT current_setting('directline.context', true) = 'sweep'))
         OR (SELECT current_setting('directline.context', true) IN ('demo', 'migrate'))));

-- Files stay with the issue's own school, its cluster and the Department: a shared or
-- co-signed issue's readers see the history's events that name a file, never the file.
-- (0010 let attachments follow issues_read, which now reaches other schools.)
ALTER POLICY attachments_read ON attachments USING (
    EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id
              AND ((SELECT current_setting('directline.reads', true) = 'all')
                   OR i.school_id = (SELECT nullif(current_setting('directline.school_id',
                                                                   true), '')::integer)
                   OR i.school_id = ANY ((SELECT nullif(current_setting('directline.schools',
                                                        true), '')::integer[])::integer[])))
    AND (hidden_at IS NULL OR (SELECT current_setting('directline.internal', true) = 'on')));
ALTER POLICY attachments_add ON attachments WITH CHECK (
    EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id
              AND ((SELECT current_setting('directline.writes', true) = 'all')
                   OR i.school_id = (SELECT nullif(current_setting('directline.school_id',
                                                                   true), '')::integer))));

-- Co-signatures: read by whoever reads the issue; written by a principal, for their own
-- school, on another school's shared issue (and by the owner's demo loader).
ALTER TABLE issue_cosigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE issue_cosigns FORCE ROW LEVEL SECURITY;
CREATE POLICY issue_cosigns_read ON issue_cosigns FOR SELECT USING (
    EXISTS (SELECT 1 FROM issues i WHERE i.id = issue_cosigns.issue_id));
CREATE POLICY issue_cosigns_add ON issue_cosigns FOR INSERT WITH CHECK (
    (school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
     AND principal_id = (SELECT nullif(current_setting('directline.user_id', true), '')::integer)
     AND EXISTS (SELECT 1 FROM issues i WHERE i.id = issue_cosigns.issue_id
                   AND i.shared AND i.school_id <> issue_cosigns.school_id))
    OR (SELECT current_setting('directline.context', true) IN ('demo', 'migrate')));

-- The search (and the suggestions while filing) find what the reader may read. As 0014
-- explains, the view states the rule as plain conditions on issue_search's own columns so
-- that the planner can combine them with the trigram index and estimate them: a look-up
-- in issues there (tried first) made every estimate of a search a guess, and the queue's
-- search went from 89 to 12 pages a second at 100,000 issues. So issue_search keeps its
-- own copy of the sharing summary, which the owner's trigger below keeps in step.
ALTER TABLE issue_search ADD COLUMN shared boolean NOT NULL DEFAULT false;
ALTER TABLE issue_search ADD COLUMN cosigned_schools integer[] NOT NULL DEFAULT '{}';

CREATE FUNCTION issue_search_follow_sharing() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    UPDATE issue_search SET shared = NEW.shared, cosigned_schools = NEW.cosigned_schools
     WHERE issue_id = NEW.id;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_search_follow_sharing() FROM PUBLIC;
CREATE TRIGGER issue_search_follows_sharing
    AFTER UPDATE OF shared, cosigned_schools ON issues
    FOR EACH ROW WHEN (OLD.shared IS DISTINCT FROM NEW.shared
                       OR OLD.cosigned_schools IS DISTINCT FROM NEW.cosigned_schools)
    EXECUTE FUNCTION issue_search_follow_sharing();

CREATE OR REPLACE VIEW issue_search_visible AS
    SELECT s.issue_id, s.folded FROM issue_search s
     WHERE (SELECT current_setting('directline.reads', true) = 'all')
        OR s.school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
        OR s.school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                             '')::integer[])::integer[])
        OR (s.shared AND (SELECT current_setting('directline.context', true)
                                 IN ('principal', 'cluster_leader')))
        OR (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
               = ANY (s.cosigned_schools)
        OR s.cosigned_schools && (SELECT nullif(current_setting('directline.schools', true),
                                                '')::integer[])::integer[];
