-- 0011: the database's own wall also holds who a row is written in the name of, and
-- what a person may change of their own account. 0010 already let a transaction reach
-- only its context's issues; these close what a mistaken statement could still do in
-- a reachable row:
-- - an issue is filed, and an event written, in the acting user's name only (the
--   sweep's events have no actor; the owner's demo loader and migrations write any);
-- - in a signed-in user's context, their own row may change only in what the user
--   owns (the password and its must-change flag, the name and e-mail): never the
--   login, the role, the binding or whether the account is active.

ALTER POLICY issues_file ON issues WITH CHECK (
    (school_id = nullif(current_setting('directline.school_id', true), '')::integer
     AND filed_by = nullif(current_setting('directline.user_id', true), '')::integer)
    OR current_setting('directline.context', true) IN ('demo', 'migrate'));

ALTER POLICY issue_events_write ON issue_events WITH CHECK (
    (current_setting('directline.writes', true) = 'all'
     OR school_id = nullif(current_setting('directline.school_id', true), '')::integer
     OR school_id = ANY (nullif(current_setting('directline.schools', true), '')::integer[]))
    AND (NOT internal OR current_setting('directline.internal', true) = 'on')
    AND (actor_id = nullif(current_setting('directline.user_id', true), '')::integer
         OR (actor_id IS NULL AND current_setting('directline.context', true) = 'sweep')
         OR current_setting('directline.context', true) IN ('demo', 'migrate')));

CREATE FUNCTION users_guard_own_change() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public AS $$
BEGIN
    -- No context at all: an operator's own session (only a superuser gets past the
    -- policies without one), not the server.
    IF coalesce(current_setting('directline.context', true), '')
       IN ('', 'admin', 'demo', 'migrate') THEN
        RETURN NEW;
    END IF;
    IF (NEW.login, NEW.role, NEW.school_id, NEW.cluster_id, NEW.division_id, NEW.active)
       IS DISTINCT FROM
       (OLD.login, OLD.role, OLD.school_id, OLD.cluster_id, OLD.division_id, OLD.active) THEN
        RAISE EXCEPTION 'only an admin changes a login, role, binding or active flag'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
REVOKE EXECUTE ON FUNCTION users_guard_own_change() FROM PUBLIC;
CREATE TRIGGER users_guard_own_change BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_guard_own_change();
