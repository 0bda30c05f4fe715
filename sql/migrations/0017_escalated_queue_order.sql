-- 0017: the escalated page in the queue's order. "Escalated" walked every issue newest
-- first and kept those escalated; behind a run of new filings (none escalated yet) a page
-- read thousands of rows to find 50. This index holds only escalated issues, in the
-- queue's order, so a page reads its 50 and stops.
CREATE INDEX issues_escalated_order_idx ON issues (created_at DESC, id DESC)
    WHERE escalation_level > 0;
