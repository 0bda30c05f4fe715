-- 0010: row-level security, the second wall behind domain/access.c. Each transaction
-- says who is acting (directline.context, .user_id, .school_id, .cluster_id, set with
-- set_config(..., true) by db/db.c with its first statement), and the policies below let
-- it reach only what that actor may: a principal their school's issues, a cluster leader
-- their cluster's, Department staff every issue, and a transaction without a context
-- nothing at all. System contexts (the sweep, the sign-in lookup, the CLI's commands) get
-- exactly what each needs. The server's role owns nothing and may not rewrite the
-- history; the owner runs the migrations and is held to the same policies (FORCE).
--
-- Contexts are a guard against the application's own mistakes (a query that forgot its
-- WHERE), not against someone who runs SQL of their choosing as the server's role: that
-- someone could set any context. What such a someone still cannot do is enforced by
-- privileges: rewrite or truncate the history or the audit log, or drop their triggers.

-- The context, read once per statement: the policies call these inside a scalar
-- subquery, which PostgreSQL evaluates once (an InitPlan), not once per row.
CREATE FUNCTION dl_context() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('directline.context', true), '') $$;

CREATE FUNCTION dl_context_id(setting text) RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('directline.' || setting, true), '')::integer $$;

-- Reads every school: Department staff, and the system contexts that work on the whole
-- Department (the sweep, the CLI's report, the demo loader, migrations, and the history
-- trigger below).
CREATE FUNCTION dl_reads_all() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT dl_context() IN ('officer', 'supervisor', 'admin', 'sweep', 'report',
                                  'demo', 'migrate', 'history') $$;

-- Changes issues of every school: the same, less the report, which only reads.
CREATE FUNCTION dl_writes_all() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT dl_context() IN ('officer', 'supervisor', 'admin', 'sweep',
                                  'demo', 'migrate', 'history') $$;

-- Internal notes are the Department's own.
CREATE FUNCTION dl_sees_internal() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT dl_context() IN ('officer', 'supervisor', 'admin', 'sweep',
                                  'demo', 'migrate', 'history') $$;

-- The schools of the acting cluster leader's cluster (none for anyone else).
CREATE FUNCTION dl_cluster_schools() RETURNS integer[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(id), '{}') FROM schools
           WHERE cluster_id = dl_context_id('cluster_id') $$;

-- An issue never changes school, so each event carries its issue's school: the policy
-- on the history then needs no look-up in issues per row. Filled by a trigger (which
-- reads the issue under the actor's own policies: an issue out of reach gives no school,
-- and the row is refused).
ALTER TABLE issue_events ADD COLUMN school_id integer REFERENCES schools(id);
ALTER TABLE issue_events DISABLE TRIGGER issue_events_append_only;
UPDATE issue_events e SET school_id = i.school_id FROM issues i WHERE i.id = e.issue_id;
ALTER TABLE issue_events ENABLE TRIGGER issue_events_append_only;
ALTER TABLE issue_events ALTER COLUMN school_id SET NOT NULL;

CREATE FUNCTION issue_events_set_school() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.school_id := (SELECT i.school_id FROM issues i WHERE i.id = NEW.issue_id);
    RETURN NEW;
END $$;

CREATE TRIGGER issue_events_school
    BEFORE INSERT ON issue_events
    FOR EACH ROW EXECUTE FUNCTION issue_events_set_school();

-- issue_states is derived from the history by the owner, in a context of its own: the
-- server's role can neither change it nor see more of it than its policies allow. (A
-- function's SET clause cannot name a placeholder setting unless a superuser made it,
-- so the context is switched and restored by hand; an error aborts the statement, and
-- the switch with it.)
CREATE OR REPLACE FUNCTION issue_states_after_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    acting text := current_setting('directline.context', true);
BEGIN
    PERFORM set_config('directline.context', 'history', true);
    PERFORM issue_states_rebuild(NEW.issue_id);
    PERFORM set_config('directline.context', coalesce(acting, ''), true);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_states_after_event() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_rebuild(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_insert(issue_states) FROM PUBLIC;

-- --- policies ---------------------------------------------------------------------------

ALTER TABLE issues ENABLE ROW LEVEL SECURITY;
ALTER TABLE issues FORCE ROW LEVEL SECURITY;
CREATE POLICY issues_read ON issues FOR SELECT USING (
    (SELECT dl_reads_all())
    OR school_id = (SELECT dl_context_id('school_id'))
    OR school_id = ANY ((SELECT dl_cluster_schools())::integer[]));
-- Filing: a principal, for their own school.
CREATE POLICY issues_file ON issues FOR INSERT WITH CHECK (
    school_id = (SELECT dl_context_id('school_id'))
    OR (SELECT dl_context()) IN ('demo', 'migrate'));
-- Actions and comments move the summary row (a cluster leader's public comment too).
CREATE POLICY issues_change ON issues FOR UPDATE
    USING ((SELECT dl_writes_all())
           OR school_id = (SELECT dl_context_id('school_id'))
           OR school_id = ANY ((SELECT dl_cluster_schools())::integer[]))
    WITH CHECK ((SELECT dl_writes_all())
                OR school_id = (SELECT dl_context_id('school_id'))
                OR school_id = ANY ((SELECT dl_cluster_schools())::integer[]));

ALTER TABLE issue_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE issue_events FORCE ROW LEVEL SECURITY;
CREATE POLICY issue_events_read ON issue_events FOR SELECT USING (
    ((SELECT dl_reads_all())
     OR school_id = (SELECT dl_context_id('school_id'))
     OR school_id = ANY ((SELECT dl_cluster_schools())::integer[]))
    AND (NOT internal OR (SELECT dl_sees_internal())));
CREATE POLICY issue_events_write ON issue_events FOR INSERT WITH CHECK (
    ((SELECT dl_writes_all())
     OR school_id = (SELECT dl_context_id('school_id'))
     OR school_id = ANY ((SELECT dl_cluster_schools())::integer[]))
    AND (NOT internal OR (SELECT dl_sees_internal())));

-- The report's source. Its probes (a range containing an instant) use an operator that
-- PostgreSQL does not mark leakproof, and such a condition may not use an index ahead of
-- a table's policies: behind a policy every month-end probe would read all unresolved
-- stretches of all time. So the server reads issue_states only through the view below,
-- which the owner's rights run: the same rule, as a plain condition the planner may
-- combine with the probe. The table keeps its policies for anyone else, without FORCE:
-- the view reads it as the owner, and only the owner's history trigger writes it.
ALTER TABLE issue_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY issue_states_read ON issue_states FOR SELECT USING (
    (SELECT dl_reads_all())
    OR school_id = (SELECT dl_context_id('school_id'))
    OR school_id = ANY ((SELECT dl_cluster_schools())::integer[]));

CREATE VIEW issue_states_visible AS
    SELECT * FROM issue_states st
     WHERE (SELECT dl_reads_all())
        OR st.school_id = (SELECT dl_context_id('school_id'))
        OR st.school_id = ANY ((SELECT dl_cluster_schools())::integer[]);

-- Attachments follow their issue (whose own policy applies inside the sub-select); a
-- hidden one is out of sight for the school and the cluster. Only staff hide one (the
-- rows a reader sees may be locked, FOR UPDATE, so that the API can answer 403).
ALTER TABLE attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY attachments_read ON attachments FOR SELECT USING (
    EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id)
    AND (hidden_at IS NULL OR (SELECT dl_sees_internal())));
CREATE POLICY attachments_add ON attachments FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id));
CREATE POLICY attachments_hide ON attachments FOR UPDATE
    USING (EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id)
           AND (hidden_at IS NULL OR (SELECT dl_sees_internal())))
    WITH CHECK ((SELECT dl_writes_all()));

-- The bytes arrive by COPY, which PostgreSQL refuses for a table with row-level
-- security; so this one table has no policies, and the server's role may only add
-- bytes, never read them: it reads them through attachment_content_slice, which runs as
-- the owner and returns them only when the caller may see the attachment (the policy
-- above applies there, with the caller's context).
CREATE FUNCTION attachment_content_slice(p_attachment bigint, p_from integer, p_count integer)
    RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT substring(c.content FROM p_from FOR p_count)
            FROM attachment_contents c
           WHERE c.attachment_id = p_attachment
             AND EXISTS (SELECT 1 FROM attachments a WHERE a.id = p_attachment) $$;

-- A user's own stored answers; the sweep forgets old ones.
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_own ON idempotency_keys FOR ALL
    USING (user_id = (SELECT dl_context_id('user_id')))
    WITH CHECK (user_id = (SELECT dl_context_id('user_id')));
CREATE POLICY idempotency_keys_sweep ON idempotency_keys FOR DELETE
    USING ((SELECT dl_context()) = 'sweep');
CREATE POLICY idempotency_keys_sweep_read ON idempotency_keys FOR SELECT
    USING ((SELECT dl_context()) = 'sweep');

-- The audit log: admins read it; whoever acts writes their own rows, the CLI writes
-- rows by nobody.
ALTER TABLE admin_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_events FORCE ROW LEVEL SECURITY;
CREATE POLICY admin_events_read ON admin_events FOR SELECT
    USING ((SELECT dl_context()) IN ('admin', 'demo', 'migrate'));
CREATE POLICY admin_events_write ON admin_events FOR INSERT WITH CHECK (
    actor_id = (SELECT dl_context_id('user_id'))
    OR (actor_id IS NULL AND (SELECT dl_context()) = 'user_cli')
    OR (SELECT dl_context()) IN ('demo', 'migrate'));

-- Sessions: made and looked up before anyone is known (the sign-in context); a user
-- ends their own, an admin anyone's.
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_sign_in ON sessions FOR ALL
    USING ((SELECT dl_context()) IN ('sign_in', 'admin', 'demo', 'migrate'))
    WITH CHECK ((SELECT dl_context()) IN ('sign_in', 'admin', 'demo', 'migrate'));
CREATE POLICY sessions_own ON sessions FOR ALL
    USING (user_id = (SELECT dl_context_id('user_id')))
    WITH CHECK (user_id = (SELECT dl_context_id('user_id')));

-- Users: names are shown to everyone who is signed in (and the sign-in lookup reads
-- them); only admins and `directline user` add them; a user changes only their own row
-- (their password), an admin anyone's.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_read ON users FOR SELECT USING ((SELECT dl_context()) <> '');
CREATE POLICY users_add ON users FOR INSERT
    WITH CHECK ((SELECT dl_context()) IN ('admin', 'user_cli', 'demo', 'migrate'));
CREATE POLICY users_change ON users FOR UPDATE
    USING ((SELECT dl_context()) IN ('admin', 'demo', 'migrate')
           OR id = (SELECT dl_context_id('user_id')))
    WITH CHECK ((SELECT dl_context()) IN ('admin', 'demo', 'migrate')
                OR id = (SELECT dl_context_id('user_id')));

-- Sign-in throttling (0008), when present: the sign-in context counts, an admin clears.
DO $$
BEGIN
    IF to_regclass('sign_in_failures') IS NOT NULL THEN
        ALTER TABLE sign_in_failures ENABLE ROW LEVEL SECURITY;
        ALTER TABLE sign_in_failures FORCE ROW LEVEL SECURITY;
        CREATE POLICY sign_in_failures_counting ON sign_in_failures FOR ALL
            USING ((SELECT dl_context()) IN ('sign_in', 'admin', 'sweep', 'demo', 'migrate'))
            WITH CHECK ((SELECT dl_context()) IN ('sign_in', 'admin', 'sweep', 'demo',
                                                  'migrate'));
    END IF;
END $$;

-- --- the server's role -----------------------------------------------------------------
-- What the server's role may do, granted by the owner. `directline migrate` calls this
-- after every run with the role of DATABASE_URL (so a role named later, or tables a later
-- migration adds, are covered too); default privileges cover tables made in between. A
-- later migration that adds history revokes what must not be done to it, here as well.
CREATE FUNCTION dl_grant_server_role(app text) RETURNS void
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
    -- The history and the audit log are written once, by INSERT; issue_states only by the
    -- owner's trigger, and read through issue_states_visible; attachment bytes are only
    -- added (read through attachment_content_slice); an issue or an attachment is never
    -- deleted; only migrate writes the list of migrations.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON issue_events, admin_events FROM %I',
                   app);
    EXECUTE format('REVOKE ALL ON issue_states FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON issue_states_visible FROM %I',
                   app);
    EXECUTE format('REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON attachment_contents FROM %I',
                   app);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON issues, attachments FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM %I',
                   app);
END $$;
REVOKE EXECUTE ON FUNCTION dl_grant_server_role(text) FROM PUBLIC;
