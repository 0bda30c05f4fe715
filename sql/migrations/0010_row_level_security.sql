-- 0010: row-level security, the second wall behind domain/access.c. Each transaction
-- says who is acting and what that may reach, in settings that db/db.c sets with
-- set_config(..., true) together with the transaction's first statement:
--   directline.context     the role (principal, cluster_leader, officer, supervisor,
--                          admin) or a system context (sign_in, sweep, report, user_cli,
--                          demo, migrate; history inside the trigger below)
--   directline.user_id, .school_id, .cluster_id, .division_id   the binding ('' if none)
--   directline.schools     a cluster leader's schools, as an array ('' for anyone else)
--   directline.reads = 'all', .writes = 'all', .internal = 'on'   what the context may
--                          reach beyond its own school or cluster (db/db_context.c)
-- The policies let a principal reach their school's issues, a cluster leader their
-- cluster's, Department staff every issue, and a transaction without a context nothing.
-- They compare columns with those settings and call no function of ours and look
-- nothing up: PostgreSQL plans each statement again, and a policy that is cheap to plan
-- keeps a small query small. The server's role owns nothing and may not rewrite the
-- history; the owner runs the migrations and is held to the same policies (FORCE).
--
-- Contexts are a guard against the application's own mistakes (a query that forgot its
-- WHERE), not against someone who runs SQL of their choosing as the server's role: that
-- someone could set any context. What such a someone still cannot do is enforced by
-- privileges: rewrite or truncate the history or the audit log, or drop their triggers.

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

-- issue_states is derived from the history by the owner, in a context of its own that
-- reads the issue and all its history: the server's role can neither change it nor see
-- more of it than its own context allows. (A function's SET clause cannot name a
-- placeholder setting unless a superuser made it, so the settings are switched and
-- restored by hand; an error aborts the statement, and the switch with it.)
CREATE OR REPLACE FUNCTION issue_states_after_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    names  text[] := ARRAY['directline.context', 'directline.reads', 'directline.internal'];
    wanted text[] := ARRAY['history', 'all', 'on'];
    saved  text[];
BEGIN
    saved := ARRAY(SELECT coalesce(current_setting(n, true), '') FROM unnest(names) n);
    FOR k IN 1 .. array_length(names, 1) LOOP
        PERFORM set_config(names[k], wanted[k], true);
    END LOOP;
    PERFORM issue_states_rebuild(NEW.issue_id);
    FOR k IN 1 .. array_length(names, 1) LOOP
        PERFORM set_config(names[k], saved[k], true);
    END LOOP;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_states_after_event() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_rebuild(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_insert(issue_states) FROM PUBLIC;

-- --- policies ---------------------------------------------------------------------------

ALTER TABLE issues ENABLE ROW LEVEL SECURITY;
ALTER TABLE issues FORCE ROW LEVEL SECURITY;
CREATE POLICY issues_read ON issues FOR SELECT USING
    (current_setting('directline.reads', true) = 'all'
     OR school_id = nullif(current_setting('directline.school_id', true), '')::integer
     OR school_id = ANY (nullif(current_setting('directline.schools', true), '')::integer[]));
-- Filing: a principal, for their own school (and the owner's demo loader).
CREATE POLICY issues_file ON issues FOR INSERT WITH CHECK (
    school_id = nullif(current_setting('directline.school_id', true), '')::integer
    OR current_setting('directline.context', true) IN ('demo', 'migrate'));
-- Actions and comments move the summary row (a cluster leader's public comment too).
CREATE POLICY issues_change ON issues FOR UPDATE
    USING (current_setting('directline.writes', true) = 'all'
     OR school_id = nullif(current_setting('directline.school_id', true), '')::integer
     OR school_id = ANY (nullif(current_setting('directline.schools', true), '')::integer[]))
    WITH CHECK (current_setting('directline.writes', true) = 'all'
     OR school_id = nullif(current_setting('directline.school_id', true), '')::integer
     OR school_id = ANY (nullif(current_setting('directline.schools', true), '')::integer[]));

ALTER TABLE issue_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE issue_events FORCE ROW LEVEL SECURITY;
CREATE POLICY issue_events_read ON issue_events FOR SELECT USING (
    (current_setting('directline.reads', true) = 'all'
     OR school_id = nullif(current_setting('directline.school_id', true), '')::integer
     OR school_id = ANY (nullif(current_setting('directline.schools', true), '')::integer[]))
    AND (NOT internal OR current_setting('directline.internal', true) = 'on'));
CREATE POLICY issue_events_write ON issue_events FOR INSERT WITH CHECK (
    (current_setting('directline.writes', true) = 'all'
     OR school_id = nullif(current_setting('directline.school_id', true), '')::integer
     OR school_id = ANY (nullif(current_setting('directline.schools', true), '')::integer[]))
    AND (NOT internal OR current_setting('directline.internal', true) = 'on'));

-- The report's source. Its probes (a range containing an instant) use an operator that
-- PostgreSQL does not mark leakproof, and such a condition may not use an index ahead of
-- a table's policies: behind a policy every month-end probe would read all unresolved
-- stretches of all time. So the server reads issue_states only through the view below,
-- which the owner's rights run: the same rule, as a plain condition the planner may
-- combine with the probe (each setting read once per statement, in a sub-select). The
-- table keeps its policy for anyone else, without FORCE: the view reads it as the owner,
-- and only the owner's history trigger writes it.
ALTER TABLE issue_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY issue_states_read ON issue_states FOR SELECT USING
    (current_setting('directline.reads', true) = 'all'
     OR school_id = nullif(current_setting('directline.school_id', true), '')::integer
     OR school_id = ANY (nullif(current_setting('directline.schools', true), '')::integer[]));

CREATE VIEW issue_states_visible AS
    SELECT * FROM issue_states st
     WHERE (SELECT current_setting('directline.reads', true) = 'all')
        OR st.school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
        OR st.school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                              '')::integer[])::integer[]);

-- Attachments follow their issue (whose own policy applies inside the sub-select); a
-- hidden one is out of sight for the school and the cluster. Only staff hide one (the
-- rows a reader sees may be locked, FOR UPDATE, so that the API can answer 403).
ALTER TABLE attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY attachments_read ON attachments FOR SELECT USING (
    EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id)
    AND (hidden_at IS NULL OR current_setting('directline.internal', true) = 'on'));
CREATE POLICY attachments_add ON attachments FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id));
CREATE POLICY attachments_hide ON attachments FOR UPDATE
    USING (EXISTS (SELECT 1 FROM issues i WHERE i.id = attachments.issue_id)
           AND (hidden_at IS NULL OR current_setting('directline.internal', true) = 'on'))
    WITH CHECK (current_setting('directline.writes', true) = 'all');

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
    USING (user_id = nullif(current_setting('directline.user_id', true), '')::integer)
    WITH CHECK (user_id = nullif(current_setting('directline.user_id', true), '')::integer);
CREATE POLICY idempotency_keys_sweep ON idempotency_keys FOR DELETE
    USING (current_setting('directline.context', true) = 'sweep');
CREATE POLICY idempotency_keys_sweep_read ON idempotency_keys FOR SELECT
    USING (current_setting('directline.context', true) = 'sweep');

-- The audit log: admins read it; whoever acts writes their own rows, the CLI writes
-- rows by nobody.
ALTER TABLE admin_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_events FORCE ROW LEVEL SECURITY;
CREATE POLICY admin_events_read ON admin_events FOR SELECT
    USING (current_setting('directline.context', true) IN ('admin', 'demo', 'migrate'));
CREATE POLICY admin_events_write ON admin_events FOR INSERT WITH CHECK (
    actor_id = nullif(current_setting('directline.user_id', true), '')::integer
    OR (actor_id IS NULL AND current_setting('directline.context', true) = 'user_cli')
    OR current_setting('directline.context', true) IN ('demo', 'migrate'));

-- Sessions: made and looked up before anyone is known (the sign-in context); a user
-- ends their own, an admin anyone's, the sweep those that have ended.
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_sign_in ON sessions FOR ALL
    USING (current_setting('directline.context', true) IN ('sign_in', 'admin', 'demo', 'migrate'))
    WITH CHECK (current_setting('directline.context', true) IN ('sign_in', 'admin', 'demo', 'migrate'));
-- The sweep sees and deletes only sessions that have ended (a DELETE with a WHERE
-- reads its rows, so it needs SELECT as well).
CREATE POLICY sessions_sweep_read ON sessions FOR SELECT
    USING (current_setting('directline.context', true) = 'sweep' AND expires_at <= now());
CREATE POLICY sessions_sweep ON sessions FOR DELETE
    USING (current_setting('directline.context', true) = 'sweep' AND expires_at <= now());
CREATE POLICY sessions_own ON sessions FOR ALL
    USING (user_id = nullif(current_setting('directline.user_id', true), '')::integer)
    WITH CHECK (user_id = nullif(current_setting('directline.user_id', true), '')::integer);

-- Users: names are shown to everyone who is signed in (and the sign-in lookup reads
-- them); only admins and `directline user` add them; a user changes only their own row
-- (their password), an admin anyone's.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_read ON users FOR SELECT USING (current_setting('directline.context', true) <> '');
CREATE POLICY users_add ON users FOR INSERT
    WITH CHECK (current_setting('directline.context', true) IN ('admin', 'user_cli', 'demo', 'migrate'));
CREATE POLICY users_change ON users FOR UPDATE
    USING (current_setting('directline.context', true) IN ('admin', 'demo', 'migrate') OR id = nullif(current_setting('directline.user_id', true), '')::integer)
    WITH CHECK (current_setting('directline.context', true) IN ('admin', 'demo', 'migrate') OR id = nullif(current_setting('directline.user_id', true), '')::integer);

-- Sign-in throttling (0008): the sign-in context counts, an admin clears, the sweep
-- forgets what is older than the window.
ALTER TABLE sign_in_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_failures FORCE ROW LEVEL SECURITY;
CREATE POLICY sign_in_failures_counting ON sign_in_failures FOR ALL
    USING (current_setting('directline.context', true) IN ('sign_in', 'admin', 'sweep', 'demo', 'migrate'))
    WITH CHECK (current_setting('directline.context', true) IN ('sign_in', 'admin', 'sweep', 'demo', 'migrate'));

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
