-- 0016: two policies read their settings once per statement instead of once per row.
-- A setting read in a policy's condition is a function call on every row the policy
-- looks at; in a sub-select it is read once per statement, on first use (the context
-- is set before the statement, for the whole transaction). A page of the queue joins
-- the users table twice (who filed, who is assigned) and built each join from every
-- user, calling current_setting for each; an issue's read does the same for each of
-- its events. The rules are those of 0010, unchanged.
ALTER POLICY users_read ON users
    USING ((SELECT current_setting('directline.context', true) <> ''));

ALTER POLICY issue_events_read ON issue_events USING (
    ((SELECT current_setting('directline.reads', true) = 'all')
     OR school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
     OR school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                        '')::integer[])::integer[]))
    AND (NOT internal OR (SELECT current_setting('directline.internal', true) = 'on')));
