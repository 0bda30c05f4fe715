-- 0028: the filing's two heaviest triggers do less for the same result (performance.md,
-- round 9). Most of a trigger's cost is the executor starting each of its statements, so
-- statements are taken away. On 100,000 issues, the filing's same SQL under pgbench at 16
-- clients, alternated 4 rounds of 10 s: 530 filings a second as 0027 left them, 590 with
-- the states' filing path, 623 with both changes below (CPU 3.52, 3.19 and 2.98 ms a
-- filing); a second series with tests/bench/filing_variants.py, 594 against 623. Runs
-- of one variant spread over 20%, so the gain is 5-18%, not a single figure.
--
-- * issue_states: a filing no longer goes through the replay (a DELETE that finds nothing,
--   a pass over the history for earlier field changes, a loop over one event): it opens
--   its first stretch from the issue's row (issue_states_first). test_history_states.py
--   still holds every stretch the triggers leave to a full rebuild's.
-- * issue_events_notify: the same people told for the same reasons, in fewer statements
--   the executor has to start: the staff-or-school test is run only for a comment or an
--   answer, an assignee is taken without a query, and the rows come from one pair of
--   arrays rather than a union of three.

-- A filing's event is its issue's first, and the issue's row holds its values as filed:
-- the stretch it opens is that row stepped by the event, which is what the replay would
-- give without reading a history that has nothing before it.
CREATE FUNCTION issue_states_first(ev issue_events) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    cur issue_states;
BEGIN
    SELECT ev.issue_id, is_.school_id, 'new', c.code, d.code, is_.priority, u.login, 0::smallint,
           false, is_.due_first_response_at, is_.due_resolution_at
      INTO cur.issue_id, cur.school_id, cur.status, cur.category, cur.division, cur.priority,
           cur.assignee, cur.escalation_level, cur.resolved_here, cur.due_first_response_at,
           cur.due_resolution_at
      FROM issues is_
      JOIN categories c ON c.id = is_.category_id
      JOIN divisions d ON d.id = is_.division_id
      LEFT JOIN users u ON u.id = is_.assignee_id
     WHERE is_.id = ev.issue_id;
    cur := issue_states_step(cur, ev);      -- valid_to stays NULL: the open stretch
    PERFORM issue_states_insert(cur);
END $$;

-- Restated whole from 0012, with the filing's own path.
CREATE OR REPLACE FUNCTION issue_states_after_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    names  text[] := ARRAY['directline.context', 'directline.reads', 'directline.internal'];
    wanted text[] := ARRAY['history', 'all', 'on'];
    saved  text[];
BEGIN
    IF NEW.action <> 'filed' AND issue_states_apply(NEW) THEN
        RETURN NULL;
    END IF;
    saved := ARRAY(SELECT coalesce(current_setting(n, true), '') FROM unnest(names) n);
    FOR k IN 1 .. array_length(names, 1) LOOP
        PERFORM set_config(names[k], wanted[k], true);
    END LOOP;
    IF NEW.action = 'filed' THEN
        PERFORM issue_states_first(NEW);
    ELSE
        PERFORM issue_states_replay(NEW.issue_id, NEW.id);
    END IF;
    FOR k IN 1 .. array_length(names, 1) LOOP
        PERFORM set_config(names[k], saved[k], true);
    END LOOP;
    RETURN NULL;
END $$;

-- Restated whole from 0026.
CREATE OR REPLACE FUNCTION issue_events_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    saved_reads  text := coalesce(current_setting('directline.reads', true), '');
    iss          record;
    first        integer[];     -- the main audience
    first_why    text;
    following    integer[];     -- the principals of the schools that follow the issue
    flagging     integer[];     -- supervisors, of a confirmation rated 1 or 2
    schools      integer[];
    from_school  boolean := false;  -- a principal's or cluster leader's comment or answer
BEGIN
    PERFORM set_config('directline.reads', 'all', true);
    SELECT i.school_id, i.division_id, i.assignee_id, i.affected_schools, i.child_count
      INTO STRICT iss FROM issues i WHERE i.id = NEW.issue_id;
    IF NEW.action IN ('comment', 'answer_info') AND NOT NEW.internal AND NEW.actor_id IS NOT NULL THEN
        from_school := NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.actor_id
                                      AND role IN ('officer', 'supervisor', 'admin'));
    END IF;

    IF NEW.internal THEN
        IF NEW.action = 'comment' THEN
            first := ARRAY[iss.assignee_id];
        END IF;
        first_why := 'internal_note';
    ELSIF NEW.action IN ('filed', 'reopen', 'escalate', 'escalated') OR from_school THEN
        -- Whoever handles the issue hears of it.
        IF iss.assignee_id IS NOT NULL THEN
            first := ARRAY[iss.assignee_id];
        ELSE
            first := ARRAY(SELECT id FROM users WHERE role = 'officer' AND division_id = iss.division_id);
        END IF;
        first_why := CASE NEW.action WHEN 'filed' THEN 'new_issue'
                                     WHEN 'reopen' THEN 'reopened'
                                     WHEN 'escalate' THEN 'escalated'
                                     WHEN 'escalated' THEN 'escalated'
                                     ELSE 'school_replied' END;
        IF NEW.action IN ('escalate', 'escalated') THEN
            first := first || ARRAY(SELECT id FROM users WHERE role = 'supervisor'
                                       AND NOT id = ANY (first));
        END IF;
    ELSIF NEW.action IN ('comment', 'request_info', 'resolve', 'decline', 'mark_duplicate',
                         'cosign', 'link', 'decision', 'decision_done', 'decision_reopened') THEN
        -- The filing school hears of it (a link: only the child's own event says so).
        IF NEW.action <> 'link' OR NEW.details ? 'parent_id' THEN
            first := ARRAY(SELECT id FROM users
                            WHERE role = 'principal' AND school_id = iss.school_id);
        END IF;
        first_why := CASE NEW.action WHEN 'comment' THEN 'answered'
                                     WHEN 'request_info' THEN 'info_requested'
                                     WHEN 'resolve' THEN 'resolved'
                                     WHEN 'decline' THEN 'declined'
                                     WHEN 'mark_duplicate' THEN 'duplicate'
                                     WHEN 'cosign' THEN 'cosigned'
                                     WHEN 'link' THEN 'linked'
                                     ELSE NEW.action END;    -- the decisions' own
    ELSIF NEW.action = 'set_division' THEN
        first := ARRAY(SELECT u.id FROM users u JOIN divisions d ON d.id = u.division_id
                        WHERE u.role = 'officer' AND d.code = NEW.details->>'to');
        first_why := 'new_issue';
    ELSIF NEW.action = 'set_assignee' THEN
        first := ARRAY(SELECT id FROM users WHERE login = NEW.details->>'to');
        first_why := 'assigned';
    ELSIF NEW.action = 'confirm' THEN
        first := ARRAY[iss.assignee_id];
        first_why := 'confirmed';
        IF (NEW.details->>'rating')::integer <= 2 THEN
            flagging := ARRAY(SELECT id FROM users WHERE role = 'supervisor'
                                 AND id IS DISTINCT FROM iss.assignee_id);
        END IF;
    END IF;

    -- The schools that follow the issue hear of its public changes. A parent's resolution
    -- reaches each child's school through the child's own resolve event (written in the
    -- same transaction): only the parent's co-signers follow that one.
    IF NOT NEW.internal AND cardinality(iss.affected_schools) > 1
       AND (NEW.action IN ('resolve', 'decline', 'mark_duplicate', 'reopen', 'decision',
                            'decision_done', 'decision_reopened')
            OR (NEW.action = 'comment' AND first_why = 'answered')) THEN
        schools := CASE WHEN NEW.action = 'resolve' AND iss.child_count > 0
                        THEN ARRAY(SELECT school_id FROM issue_cosigns
                                    WHERE issue_id = NEW.issue_id)
                        ELSE array_remove(iss.affected_schools, iss.school_id) END;
        following := ARRAY(SELECT id FROM users
                            WHERE role = 'principal' AND school_id = ANY (schools));
    END IF;

    -- One list of people and one of reasons, pairwise: one function scan to insert from.
    INSERT INTO notifications (user_id, event_id, issue_id, reason, created_at, email_due_at)
    SELECT u.id, NEW.id, NEW.issue_id, a.why, NEW.created_at,
           CASE WHEN u.email IS NULL THEN NULL
                WHEN u.email_digest THEN dl_next_digest(NEW.created_at)
                ELSE NEW.created_at END
      FROM unnest(coalesce(first, '{}') || coalesce(following, '{}') || coalesce(flagging, '{}'),
                  array_fill(first_why, ARRAY[coalesce(cardinality(first), 0)])
                  || array_fill('followed'::text, ARRAY[coalesce(cardinality(following), 0)])
                  || array_fill('low_rating'::text, ARRAY[coalesce(cardinality(flagging), 0)])) AS a(uid, why)
      JOIN users u ON u.id = a.uid
     WHERE u.active AND u.id IS DISTINCT FROM NEW.actor_id;
    PERFORM set_config('directline.reads', saved_reads, true);
    RETURN NULL;
END $$;

REVOKE EXECUTE ON FUNCTION issue_states_first(issue_events) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_states_after_event() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION issue_events_notify() FROM PUBLIC;
