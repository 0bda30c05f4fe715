-- 0002: SLA clocks (calendar or working hours, the Department's calendar), the paused
-- clock while an issue waits on the school, and issue_states: each issue's state over
-- time, derived from its history, so a month-end report reads "as it was then".

ALTER TABLE sla_policies
    ADD COLUMN clock text NOT NULL DEFAULT 'calendar' CHECK (clock IN ('calendar', 'working'));

-- Working time: one or more stretches per ISO weekday (1 = Monday), local time.
CREATE TABLE working_hours (
    weekday  smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts   time NOT NULL,
    ends     time NOT NULL,
    CHECK (starts < ends),
    PRIMARY KEY (weekday, starts)
);
INSERT INTO working_hours (weekday, starts, ends)
SELECT d, s.starts, s.ends
FROM generate_series(1, 5) AS d,
     (VALUES (time '07:00', time '11:30'), (time '13:30', time '17:00')) AS s(starts, ends);

CREATE TABLE holidays (
    day   date PRIMARY KEY,
    name  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);
-- Vietnam's public holidays (Labour Code 2019, art. 112) with the government's announced
-- days off for Tết and National Day.
INSERT INTO holidays (day, name) VALUES
    ('2026-01-01', 'Tết Dương lịch'),
    ('2026-02-16', 'Tết Nguyên Đán'), ('2026-02-17', 'Tết Nguyên Đán'),
    ('2026-02-18', 'Tết Nguyên Đán'), ('2026-02-19', 'Tết Nguyên Đán'),
    ('2026-02-20', 'Tết Nguyên Đán'),
    ('2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)'),
    ('2026-04-30', 'Ngày Giải phóng miền Nam, thống nhất đất nước'),
    ('2026-05-01', 'Ngày Quốc tế Lao động'),
    ('2026-09-01', 'Quốc khánh'), ('2026-09-02', 'Quốc khánh'),
    ('2027-01-01', 'Tết Dương lịch'),
    ('2027-02-05', 'Tết Nguyên Đán'), ('2027-02-08', 'Tết Nguyên Đán'),
    ('2027-02-09', 'Tết Nguyên Đán'), ('2027-02-10', 'Tết Nguyên Đán'),
    ('2027-02-11', 'Tết Nguyên Đán'),
    ('2027-04-16', 'Giỗ Tổ Hùng Vương'),
    ('2027-04-30', 'Ngày Giải phóng miền Nam, thống nhất đất nước'),
    ('2027-05-03', 'Ngày Quốc tế Lao động (nghỉ bù)'),
    ('2027-09-02', 'Quốc khánh'), ('2027-09-03', 'Quốc khánh');

-- The clock pauses while the issue waits on the school: since when, and how long in all.
ALTER TABLE issues
    ADD COLUMN paused_at timestamptz,
    ADD COLUMN paused_seconds bigint NOT NULL DEFAULT 0 CHECK (paused_seconds >= 0);
UPDATE issues i SET paused_at = (SELECT max(e.created_at) FROM issue_events e
                                 WHERE e.issue_id = i.id AND e.action = 'request_info')
 WHERE i.status = 'awaiting_school';
UPDATE issues SET paused_at = updated_at WHERE status = 'awaiting_school' AND paused_at IS NULL;
ALTER TABLE issues
    ADD CONSTRAINT issues_paused_while_awaiting
    CHECK ((status = 'awaiting_school') = (paused_at IS NOT NULL));

CREATE INDEX issue_events_action_time_idx ON issue_events (action, created_at);
CREATE INDEX issues_escalation_idx ON issues (escalation_level) WHERE escalation_level > 0;

-- Each issue's state over time: one row per stretch [valid_from, valid_to) in which
-- status, category, division, priority, assignee, escalation level and due times held.
-- Derived from issue_events (the truth) by issue_states_rebuild, which a trigger runs
-- after every new event; it can be rebuilt from the history at any time. Events apply in
-- the order they were written (id): every writer holds the issue's row lock, whereas two
-- transactions' timestamps (their start) need not follow the order they took the lock.
CREATE TABLE issue_states (
    issue_id               bigint NOT NULL REFERENCES issues(id),
    valid_from             timestamptz NOT NULL,
    valid_to               timestamptz,            -- NULL: the current state
    status                 text NOT NULL,
    category               text NOT NULL,
    division               text NOT NULL,
    priority               text NOT NULL,
    assignee               text,
    escalation_level       smallint NOT NULL,
    due_first_response_at  timestamptz,
    due_resolution_at      timestamptz,
    PRIMARY KEY (issue_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
-- "Unresolved at instant T" is a containment query on the stretches of open statuses.
-- The range is (from, to]: an event at exactly T belongs after T.
CREATE INDEX issue_states_unresolved_idx ON issue_states
    USING gist (tstzrange(valid_from, valid_to, '(]'))
    WHERE status IN ('new', 'triaged', 'in_progress', 'awaiting_school');

-- A field's value before its first change: the "from" of its first set_* event (which
-- may be null: no assignee yet), else the issue's current value. Filing events written
-- since 0002 carry category, division and priority directly.
CREATE FUNCTION issue_initial_value(p_issue bigint, p_field text, p_current text)
    RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    first_change jsonb;
BEGIN
    SELECT e.details INTO first_change FROM issue_events e
     WHERE e.issue_id = p_issue AND e.action = 'set_' || p_field
     ORDER BY e.id LIMIT 1;
    IF FOUND THEN
        RETURN first_change->>'from';
    END IF;
    RETURN p_current;
END $$;

CREATE FUNCTION issue_states_rebuild(p_issue bigint) RETURNS void
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
    cur.status := 'new';
    cur.escalation_level := 0;
    cur.category := issue_initial_value(p_issue, 'category', i.category_code);
    cur.division := issue_initial_value(p_issue, 'division', i.division_code);
    cur.priority := issue_initial_value(p_issue, 'priority', i.priority);
    cur.assignee := issue_initial_value(p_issue, 'assignee', i.assignee_login);
    cur.due_first_response_at := i.due_first_response_at;
    cur.due_resolution_at := i.due_resolution_at;

    FOR ev IN SELECT * FROM issue_events WHERE issue_id = p_issue ORDER BY id LOOP
        nxt := cur;
        nxt.valid_from := ev.created_at;
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
                INSERT INTO issue_states VALUES (cur.*);
                cur := nxt;
            ELSE
                nxt.valid_from := cur.valid_from;
                cur := nxt;
            END IF;
        END IF;
    END LOOP;
    IF opened THEN
        cur.valid_to := NULL;
        INSERT INTO issue_states VALUES (cur.*);
    END IF;
END $$;

CREATE FUNCTION issue_states_after_event() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM issue_states_rebuild(NEW.issue_id);
    RETURN NULL;
END $$;

CREATE TRIGGER issue_states_follow_history
    AFTER INSERT ON issue_events
    FOR EACH ROW EXECUTE FUNCTION issue_states_after_event();

SELECT issue_states_rebuild(id) FROM issues;
