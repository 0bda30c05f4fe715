-- 0012: issue_states follows the history one event at a time. Until now every new event
-- replayed the issue's whole history (issue_states_rebuild), so a write cost more the
-- longer the issue had lived (the trigger took 28 ms of a comment on an issue with 200
-- events, 1.4 ms on one with 2: tests/bench/history_write.py). Now an event changes
-- only the issue's open stretch (valid_to IS NULL): it leaves it as it is, rewrites it
-- (an event at the stretch's own instant, or stamped before it), or closes it and opens
-- the next one. The rules are those of the replay, written once (issue_states_step) and
-- used by both; the replay stays for the cases the open stretch cannot answer and for a
-- full rebuild.
--
-- Order: events apply in id order. Every writer of an event that changes a state holds
-- the issue's row lock before its event takes an id (the API locks the issue first; the
-- sweep's and an admin's releases lock it in the same statement; filing creates the row),
-- so the triggers of two transactions on one issue run in that order too. The open
-- stretch is also locked here, so a writer that forgot the issue's lock waits instead of
-- losing an update, and finds the replay when the stretch it waited for was closed.

-- An issue has at most one open stretch, found without reading its others (however long
-- its history).
CREATE UNIQUE INDEX issue_states_open_idx ON issue_states (issue_id) WHERE valid_to IS NULL;

-- The state after one event, from the state before it: the rules of 0002 and 0003.
-- (valid_from is the event's instant; whether it opens a stretch is the caller's rule.)
CREATE FUNCTION issue_states_step(cur issue_states, ev issue_events) RETURNS issue_states
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    nxt issue_states := cur;
BEGIN
    nxt.valid_from := ev.created_at;
    nxt.resolved_here := ev.action = 'resolve';
    IF ev.to_status IS NOT NULL THEN
        nxt.status := ev.to_status;
    END IF;
    CASE ev.action
        WHEN 'set_category' THEN nxt.category := ev.details->>'to';
        WHEN 'set_division' THEN nxt.division := ev.details->>'to';
        WHEN 'set_priority' THEN nxt.priority := ev.details->>'to';
        WHEN 'set_assignee' THEN nxt.assignee := ev.details->>'to';
        WHEN 'escalate', 'escalated' THEN
            nxt.escalation_level := coalesce((ev.details->>'level')::smallint,
                                             least(cur.escalation_level + 1, 2));
        ELSE NULL;
    END CASE;
    IF ev.details ? 'due_resolution_at' THEN
        nxt.due_first_response_at := (ev.details->>'due_first_response_at')::timestamptz;
        nxt.due_resolution_at := (ev.details->>'due_resolution_at')::timestamptz;
    END IF;
    IF ev.action = 'filed' THEN
        nxt.category := coalesce(ev.details->>'category', nxt.category);
        nxt.division := coalesce(ev.details->>'division', nxt.division);
        nxt.priority := coalesce(ev.details->>'priority', nxt.priority);
    END IF;
    RETURN nxt;
END $$;

-- Whether two states differ in what a stretch holds (not in when, nor resolved_here).
CREATE FUNCTION issue_states_differ(a issue_states, b issue_states) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (a.status, a.category, a.division, a.priority, a.assignee, a.escalation_level,
            a.due_first_response_at, a.due_resolution_at)
           IS DISTINCT FROM
           (b.status, b.category, b.division, b.priority, b.assignee, b.escalation_level,
            b.due_first_response_at, b.due_resolution_at)
$$;

-- The replay of 0003, with the step above, and a field's value before its first change
-- (the `from` of its first set_* event, else the issue's current value) read in one pass
-- over the issue's events. issue_initial_value, one query per field ordered by the
-- events' id, could walk the history's primary key from its start to find an issue's
-- first change (or to learn that it has none); it is no longer used.
-- The replay stops at event p_upto when given: the trigger replays up to the event it
-- fires for, since one statement may have written more events of the issue, which their
-- own triggers then apply (a replay of them all would see them applied twice).
CREATE FUNCTION issue_states_replay(p_issue bigint, p_upto bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    i      record;
    firsts record;
    ev     issue_events;
    cur    issue_states;
    nxt    issue_states;
    opened boolean := false;
BEGIN
    DELETE FROM issue_states WHERE issue_id = p_issue;
    SELECT is_.*, c.code AS category_code, d.code AS division_code, u.login AS assignee_login
      INTO i
      FROM issues is_
      JOIN categories c ON c.id = is_.category_id
      JOIN divisions d ON d.id = is_.division_id
      LEFT JOIN users u ON u.id = is_.assignee_id
     WHERE is_.id = p_issue;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT array_agg(e.details->>'from' ORDER BY e.id) FILTER (WHERE e.action = 'set_category') AS category,
           array_agg(e.details->>'from' ORDER BY e.id) FILTER (WHERE e.action = 'set_division') AS division,
           array_agg(e.details->>'from' ORDER BY e.id) FILTER (WHERE e.action = 'set_priority') AS priority,
           array_agg(e.details->>'from' ORDER BY e.id) FILTER (WHERE e.action = 'set_assignee') AS assignee
      INTO firsts
      FROM issue_events e
     WHERE e.issue_id = p_issue AND e.action LIKE 'set\_%'
       AND (p_upto IS NULL OR e.id <= p_upto);
    cur.issue_id := p_issue;
    cur.school_id := i.school_id;
    cur.status := 'new';
    cur.escalation_level := 0;
    cur.resolved_here := false;
    cur.category := CASE WHEN cardinality(firsts.category) > 0 THEN firsts.category[1] ELSE i.category_code END;
    cur.division := CASE WHEN cardinality(firsts.division) > 0 THEN firsts.division[1] ELSE i.division_code END;
    cur.priority := CASE WHEN cardinality(firsts.priority) > 0 THEN firsts.priority[1] ELSE i.priority END;
    cur.assignee := CASE WHEN cardinality(firsts.assignee) > 0 THEN firsts.assignee[1] ELSE i.assignee_login END;
    cur.due_first_response_at := i.due_first_response_at;
    cur.due_resolution_at := i.due_resolution_at;

    FOR ev IN SELECT * FROM issue_events
               WHERE issue_id = p_issue AND (p_upto IS NULL OR id <= p_upto) ORDER BY id LOOP
        nxt := issue_states_step(cur, ev);
        IF NOT opened THEN
            cur := nxt;
            opened := true;
        ELSIF issue_states_differ(cur, nxt) THEN
            -- Several events at one instant (one transaction) make one stretch: the last
            -- wins; so does an event stamped before the stretch it follows.
            IF nxt.valid_from > cur.valid_from THEN
                cur.valid_to := nxt.valid_from;
                PERFORM issue_states_insert(cur);
                cur := nxt;
            ELSE
                nxt.valid_from := cur.valid_from;
                nxt.resolved_here := cur.resolved_here OR nxt.resolved_here;
                cur := nxt;
            END IF;
        END IF;
    END LOOP;
    IF opened THEN
        cur.valid_to := NULL;
        PERFORM issue_states_insert(cur);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION issue_states_rebuild(p_issue bigint) RETURNS void
    LANGUAGE sql AS $$ SELECT issue_states_replay(p_issue, NULL) $$;

DROP FUNCTION issue_initial_value(bigint, text, text);

-- One event applied to the issue's open stretch, as the replay would apply it after the
-- events before it. False when the open stretch cannot say: there is none (the issue's
-- first event, or states never built), or a field change whose `from` is not the
-- stretch's value, which happens only when the issue's row was written before its
-- history (a loader): the replay takes that `from` as the value since filing.
CREATE FUNCTION issue_states_apply(ev issue_events) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    cur issue_states;
    nxt issue_states;
BEGIN
    SELECT * INTO cur FROM issue_states
     WHERE issue_id = ev.issue_id AND valid_to IS NULL
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF ev.action LIKE 'set\_%' AND (ev.details->>'from') IS DISTINCT FROM
       (CASE ev.action WHEN 'set_category' THEN cur.category
                       WHEN 'set_division' THEN cur.division
                       WHEN 'set_priority' THEN cur.priority
                       WHEN 'set_assignee' THEN cur.assignee END) THEN
        RETURN false;
    END IF;
    nxt := issue_states_step(cur, ev);
    IF NOT issue_states_differ(cur, nxt) THEN
        RETURN true;
    END IF;
    IF nxt.valid_from > cur.valid_from THEN
        UPDATE issue_states SET valid_to = nxt.valid_from
         WHERE issue_id = cur.issue_id AND valid_from = cur.valid_from;
        PERFORM issue_states_insert(nxt);
    ELSE
        UPDATE issue_states
           SET status = nxt.status, category = nxt.category, division = nxt.division,
               priority = nxt.priority, assignee = nxt.assignee,
               escalation_level = nxt.escalation_level,
               due_first_response_at = nxt.due_first_response_at,
               due_resolution_at = nxt.due_resolution_at,
               resolved_here = cur.resolved_here OR nxt.resolved_here
         WHERE issue_id = cur.issue_id AND valid_from = cur.valid_from;
    END IF;
    RETURN true;
END $$;

-- The trigger of 0010, applying the event when it can. Only the replay reads issues and
-- issue_events (held to their policies even for the owner), so only the replay needs the
-- history context; the open stretch is issue_states alone, which the owner reads whole.
CREATE OR REPLACE FUNCTION issue_states_after_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    names  text[] := ARRAY['directline.context', 'directline.reads', 'directline.internal'];
    wanted text[] := ARRAY['history', 'all', 'on'];
    saved  text[];
BEGIN
    IF issue_states_apply(NEW) THEN
        RETURN NULL;
    END IF;
    saved := ARRAY(SELECT coalesce(current_setting(n, true), '') FROM unnest(names) n);
    FOR k IN 1 .. array_length(names, 1) LOOP
        PERFORM set_config(names[k], wanted[k], true);
    END LOOP;
    PERFORM issue_states_replay(NEW.issue_id, NEW.id);
    FOR k IN 1 .. array_length(names, 1) LOOP
        PERFORM set_config(names[k], saved[k], true);
    END LOOP;
    RETURN NULL;
END $$;

REVOKE EXECUTE ON FUNCTION issue_states_step(issue_states, issue_events) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_differ(issue_states, issue_states) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_apply(issue_events) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_replay(bigint, bigint) FROM PUBLIC;
