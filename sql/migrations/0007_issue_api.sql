-- 0007: the escalations board (GET /api/escalations) reads only the open issues raised
-- above level 0. They are meant to be few, so a partial index holding just them spares
-- the board a pass over every open issue of the year; it costs nothing for the rest,
-- and the level and division it carries answer the board's two filters.
CREATE INDEX issues_escalated_open_idx ON issues (escalation_level, division_id)
    WHERE escalation_level > 0
      AND status IN ('new', 'triaged', 'in_progress', 'awaiting_school');
