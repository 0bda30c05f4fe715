-- 0025: the practice library (issue #10, step 5; docs/practices.md). What worked, in a
-- copy the Department edited to remove names, for every school to find: published by an
-- officer from a resolved issue (with the files the officer chose, and nothing else of the
-- issue), or proposed by a principal ("what worked for us") and published once the
-- Department approves it.

CREATE TABLE practices (
    id           serial PRIMARY KEY,
    origin       text NOT NULL CHECK (origin IN ('department', 'school')),
    issue_id     bigint REFERENCES issues(id),      -- the resolved issue it was drawn from
    school_id    integer NOT NULL REFERENCES schools(id),   -- where it was done
    category_id  integer NOT NULL REFERENCES categories(id),
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    problem      text NOT NULL CHECK (length(problem) BETWEEN 1 AND 5000),
    solution     text NOT NULL CHECK (length(solution) BETWEEN 1 AND 5000),
    status       text NOT NULL CHECK (status IN ('proposed', 'published', 'declined',
                                                 'withdrawn')),
    proposed_by  integer NOT NULL REFERENCES users(id),
    proposed_at  timestamptz NOT NULL DEFAULT now(),
    reviewed_by  integer REFERENCES users(id),
    reviewed_at  timestamptz,
    review_note  text CHECK (length(review_note) <= 2000),
    published_at timestamptz,
    -- The text the search compares, accent-folded as the issues' is (dl_fold, 0001).
    folded       text GENERATED ALWAYS AS (dl_fold(title || ' ' || problem || ' ' || solution))
                 STORED,
    CONSTRAINT practices_origin_issue CHECK ((origin = 'department') = (issue_id IS NOT NULL)),
    CONSTRAINT practices_published_when CHECK ((status = 'published') = (published_at IS NOT NULL)
                                               OR status = 'withdrawn')
);
CREATE INDEX practices_folded_idx ON practices USING gin (folded gin_trgm_ops);
CREATE INDEX practices_published_idx ON practices (published_at DESC, id DESC)
    WHERE status = 'published';
CREATE INDEX practices_proposed_idx ON practices (proposed_at) WHERE status = 'proposed';
-- One live practice per issue: publishing it again edits that one.
CREATE UNIQUE INDEX practices_one_per_issue ON practices (issue_id)
    WHERE issue_id IS NOT NULL AND status <> 'withdrawn';

-- The files that travel with a practice: chosen by the officer among the issue's own.
CREATE TABLE practice_attachments (
    practice_id   integer NOT NULL REFERENCES practices(id),
    attachment_id bigint NOT NULL REFERENCES attachments(id),
    PRIMARY KEY (practice_id, attachment_id)
);
CREATE INDEX practice_attachments_file_idx ON practice_attachments (attachment_id);

-- --- row-level security --------------------------------------------------------------
-- Everyone signed in reads what is published; a school reads its own proposals too; staff
-- read all. A principal proposes in the school's own name only; staff publish, review and
-- change (directline.writes = 'all'); which staff may is decided in C (practice_rules.c).
ALTER TABLE practices ENABLE ROW LEVEL SECURITY;
ALTER TABLE practices FORCE ROW LEVEL SECURITY;
CREATE POLICY practices_read ON practices FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR (status = 'published' AND (SELECT current_setting('directline.context', true)
                                         IN ('principal', 'cluster_leader')))
    OR school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer));
CREATE POLICY practices_propose ON practices FOR INSERT WITH CHECK (
    (SELECT current_setting('directline.writes', true) = 'all')
    OR (origin = 'school' AND status = 'proposed' AND issue_id IS NULL
        AND school_id = (SELECT nullif(current_setting('directline.school_id', true),
                                       '')::integer)
        AND proposed_by = (SELECT nullif(current_setting('directline.user_id', true),
                                         '')::integer)));
CREATE POLICY practices_review ON practices FOR UPDATE
    USING ((SELECT current_setting('directline.writes', true) = 'all'))
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

ALTER TABLE practice_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE practice_attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_attachments_read ON practice_attachments FOR SELECT USING (
    EXISTS (SELECT 1 FROM practices p WHERE p.id = practice_attachments.practice_id));
CREATE POLICY practice_attachments_add ON practice_attachments FOR INSERT
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

-- The files chosen for a published practice travel with it, and nothing else of its
-- issue: the attachments' own policy stays as it was (0023; every read of an issue pays
-- for each clause it has), and these owner's functions hand out the chosen files of a
-- practice the caller reads (its policy decides, in the caller's context) that is
-- published. Inside, the owner reads the file with every school's reach, then puts the
-- caller's back.
CREATE FUNCTION dl_practice_files(p_practice integer)
    RETURNS TABLE (id bigint, name text, media_type text, size integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    saved text := coalesce(current_setting('directline.reads', true), '');
BEGIN
    IF NOT EXISTS (SELECT 1 FROM practices p WHERE p.id = p_practice
                      AND p.status = 'published') THEN
        RETURN;
    END IF;
    PERFORM set_config('directline.reads', 'all', true);
    RETURN QUERY SELECT a.id, a.name, a.media_type, a.size
                   FROM practice_attachments pa JOIN attachments a ON a.id = pa.attachment_id
                  WHERE pa.practice_id = p_practice AND a.hidden_at IS NULL
                  ORDER BY a.id;
    PERFORM set_config('directline.reads', saved, true);
END $$;
REVOKE EXECUTE ON FUNCTION dl_practice_files(integer) FROM PUBLIC;

-- One such file, by its attachment id; nothing when no published practice the caller
-- reads has it.
CREATE FUNCTION dl_practice_file(p_attachment bigint)
    RETURNS TABLE (id bigint, name text, media_type text, size integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    practice integer;
BEGIN
    SELECT pa.practice_id INTO practice FROM practice_attachments pa
      JOIN practices p ON p.id = pa.practice_id
     WHERE pa.attachment_id = p_attachment AND p.status = 'published' LIMIT 1;
    IF practice IS NOT NULL THEN
        RETURN QUERY SELECT f.* FROM dl_practice_files(practice) f WHERE f.id = p_attachment;
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION dl_practice_file(bigint) FROM PUBLIC;

-- Its bytes, a slice at a time (as attachment_content_slice, 0010).
CREATE FUNCTION dl_practice_file_slice(p_attachment bigint, p_from integer, p_count integer)
    RETURNS bytea
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT substring(c.content FROM p_from FOR p_count)
            FROM attachment_contents c
           WHERE c.attachment_id = p_attachment
             AND EXISTS (SELECT 1 FROM dl_practice_file(p_attachment)) $$;
REVOKE EXECUTE ON FUNCTION dl_practice_file_slice(bigint, integer, integer) FROM PUBLIC;

-- Restated whole from 0024 with the practices' tables.
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
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON notifications FROM %I', app);
    EXECUTE format('GRANT UPDATE (read_at, email_due_at, email_attempts, email_sent_at,'
                   ' email_error) ON notifications TO %I', app);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON webhooks FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON webhook_deliveries FROM %I',
                   app);
    EXECUTE format('GRANT UPDATE (due_at, attempts, delivered_at, last_status, last_error)'
                   ' ON webhook_deliveries TO %I', app);
    -- A decision's history is written once; a decision, its issues and a meeting are never
    -- deleted (an agenda is a plan, replaced whole); a meeting is not changed.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON decision_events, decision_issues'
                   ' FROM %I', app);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON meetings, decisions FROM %I', app);
    EXECUTE format('REVOKE UPDATE ON meetings FROM %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_decisions_falling_due(timestamptz) TO %I', app);
    -- A practice is never deleted (withdrawn instead); which files travel with it is
    -- chosen once, when it is published.
    EXECUTE format('REVOKE DELETE, TRUNCATE ON practices FROM %I', app);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON practice_attachments FROM %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_practice_files(integer),'
                   ' dl_practice_file(bigint), dl_practice_file_slice(bigint, integer, integer)'
                   ' TO %I', app);
    -- A filing takes its reference number through the owner's function (0013, 0018).
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_issue_ref_next(integer) TO %I', app);
END $$;
