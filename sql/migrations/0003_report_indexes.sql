-- 0003: what the monthly report reads, laid out so that it reads little. Unresolved-at-T
-- becomes one probe of an index that holds only unresolved stretches and whose statistics
-- describe only them; a month-end count is answered from that index alone; the month's
-- resolutions, with the division each was in, come from one index range; and the issue
-- fields the report lists come from a narrow index instead of the wide rows.

-- An issue never changes school, so its stretches can carry the school: a cluster's or a
-- school's report then filters inside the index instead of visiting every issue.
-- resolved_here: the stretch began with a `resolve` event (the report's "resolved in the
-- month" are these stretches). For the stretches already there, that is a resolve at the
-- instant the stretch begins, which is what issue_states_rebuild gives for every history
-- whose events were stamped in order.
ALTER TABLE issue_states ADD COLUMN school_id integer,
                         ADD COLUMN resolved_here boolean NOT NULL DEFAULT false;
UPDATE issue_states st
   SET school_id = i.school_id,
       resolved_here = EXISTS (SELECT 1 FROM issue_events e
                                WHERE e.issue_id = st.issue_id AND e.action = 'resolve'
                                  AND e.created_at = st.valid_from)
  FROM issues i WHERE i.id = st.issue_id;
ALTER TABLE issue_states ALTER COLUMN school_id SET NOT NULL;

-- The stretch's range while the issue was unresolved, NULL otherwise. A range over every
-- stretch would make the planner guess ten times too many rows (the open-ended ranges of
-- closed issues contain every later instant) and scan the whole table. Adding it rewrites
-- the table, which also sheds the old row versions the UPDATE above left.
ALTER TABLE issue_states ADD COLUMN unresolved_during tstzrange GENERATED ALWAYS AS (
    CASE WHEN status IN ('new', 'triaged', 'in_progress', 'awaiting_school')
         THEN tstzrange(valid_from, valid_to, '(]') END) STORED;

DROP INDEX issue_states_unresolved_idx;
CREATE INDEX issue_states_unresolved_idx ON issue_states
    USING gist (unresolved_during) INCLUDE (issue_id, school_id)
    WHERE unresolved_during IS NOT NULL;

CREATE INDEX issue_states_resolved_idx ON issue_states (valid_from)
    INCLUDE (issue_id, school_id, division) WHERE resolved_here;

CREATE INDEX issues_report_idx ON issues (id)
    INCLUDE (school_id, created_at, first_response_at, ref, title);

-- Columns named: unresolved_during is generated, so a whole row cannot be inserted as it
-- is. PL/pgSQL rather than SQL: it keeps the INSERT's plan for the session, where a SQL
-- function would plan it again for every stretch of every rebuild.
CREATE FUNCTION issue_states_insert(s issue_states) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO issue_states (issue_id, school_id, valid_from, valid_to, status, category,
                              division, priority, assignee, escalation_level,
                              due_first_response_at, due_resolution_at, resolved_here)
    VALUES (s.issue_id, s.school_id, s.valid_from, s.valid_to, s.status, s.category,
            s.division, s.priority, s.assignee, s.escalation_level,
            s.due_first_response_at, s.due_resolution_at, s.resolved_here);
END $$;

-- As in 0002, now filling school_id and resolved_here.
CREATE OR REPLACE FUNCTION issue_states_rebuild(p_issue bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    i      record;
    ev     record;
    cur    issue_states%ROWTYPE;
    nxt    issue_states%ROWTYPE;
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
    cur.issue_id := p_issue;
    cur.school_id := i.school_id;
    cur.status := 'new';
    cur.escalation_level := 0;
    cur.resolved_here := false;
    cur.category := issue_initial_value(p_issue, 'category', i.category_code);
    cur.division := issue_initial_value(p_issue, 'division', i.division_code);
    cur.priority := issue_initial_value(p_issue, 'priority', i.priority);
    cur.assignee := issue_initial_value(p_issue, 'assignee', i.assignee_login);
    cur.due_first_response_at := i.due_first_response_at;
    cur.due_resolution_at := i.due_resolution_at;

    FOR ev IN SELECT * FROM issue_events WHERE issue_id = p_issue ORDER BY id LOOP
        nxt := cur;
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
        IF NOT opened THEN
            cur := nxt;
            opened := true;
        ELSIF (nxt.status, nxt.category, nxt.division, nxt.priority, nxt.assignee,
               nxt.escalation_level, nxt.due_first_response_at, nxt.due_resolution_at)
              IS DISTINCT FROM
              (cur.status, cur.category, cur.division, cur.priority, cur.assignee,
               cur.escalation_level, cur.due_first_response_at, cur.due_resolution_at) THEN
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
