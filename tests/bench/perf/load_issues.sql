-- load_issues.sql -- the benchmarks' data set: N issues with coherent, realistic histories
-- over the 24 whole months before "now", across the demo's schools, in set-based SQL.
-- Run by tests/bench/perf/load.py (which says in what order and with what settings), one
-- step per psql call, as a superuser on a database migrated and loaded by `directline demo`:
--
--   psql -v step=prepare                       wipe the demo's issues; drop the secondary
--                                              indexes and foreign keys of the big tables;
--                                              disable the per-row triggers the load replaces
--   psql -v step=plan -v n=N -v seed=S -v now=T   draw every issue's story (setseed: the
--                                              same N, S and T give the same data)
--   psql -v step=events                        write out every event of every story
--   psql -v step=issues                        insert issues (the summary of their
--                                              stories) and the reference counters
--   psql -v step=history                       insert issue_events (may run alongside
--                                              step issues: the foreign keys are off)
--   psql -v step=index -v tbl=TABLE            re-create TABLE's indexes and foreign keys
--   psql -v step=states -v part=P -v parts=K   issue_states for the issues with id % K = P,
--                                              set-based, by the rules of issue_states_rebuild
--   psql -v step=check -v sample=M             about M issues' states made again by the
--                                              production issue_states_rebuild(id) (rolled
--                                              back): stops if any stretch differs
--   psql -v step=finish                        check the duplicate rule, re-enable the
--                                              triggers, drop the staging schema
--
-- Each story is a status chain with increasing times: filed, mostly triaged (some
-- set_division/set_priority first), some assigned, acknowledged by a public comment,
-- started, request_info/answer_info rounds (due times move by the pause, as the server's
-- transitions do), resolved a few days to months later (lognormal), some reopened and
-- resolved again, then confirmed by the school or closed by the sweep 14 days later; ~5%
-- declined, ~4% duplicates (of the school's latest earlier issue that is not itself a
-- duplicate), ~5% never finished; `escalated` events where the sweep would have raised a
-- first-response or resolution breach. Nothing happens after "now - 10 minutes". The
-- issues rows are the summary of their events.
\set ON_ERROR_STOP on
SELECT :'step' = 'prepare' AS step_prepare, :'step' = 'plan' AS step_plan,
       :'step' = 'events' AS step_events, :'step' = 'issues' AS step_issues,
       :'step' = 'history' AS step_history,
       :'step' = 'index' AS step_index, :'step' = 'states' AS step_states,
       :'step' = 'check' AS step_check, :'step' = 'finish' AS step_finish,
       :'step' NOT IN ('prepare', 'plan', 'events', 'issues', 'history', 'index', 'states', 'check',
                       'finish')
           AS step_unknown
\gset
\if :step_unknown
SELECT CAST('load_issues.sql: unknown step ' || :'step' AS integer) AS stop_here;
\endif

\if :step_prepare
-- The demo's issues would collide with the generated references: history, attachments
-- and issues go; the reference data (clusters, schools, users, categories) stays. The
-- append-only guards are off only inside this transaction, as `demo --force` does.
BEGIN;
ALTER TABLE issue_events DISABLE TRIGGER USER;
ALTER TABLE issue_cosigns DISABLE TRIGGER USER;
ALTER TABLE attachments DISABLE TRIGGER USER;
ALTER TABLE attachment_contents DISABLE TRIGGER USER;
TRUNCATE attachment_contents, attachments, issue_states, issue_events, issue_cosigns, issues,
         notifications, webhook_deliveries, decision_events, decision_issues, decisions,
         meeting_agenda, meetings, practice_attachments, practices, directive_schools,
         directive_clusters, directives RESTART IDENTITY CASCADE;
SELECT dl_issue_ref_reset();
ALTER TABLE attachment_contents ENABLE TRIGGER USER;
ALTER TABLE attachments ENABLE TRIGGER USER;
ALTER TABLE issue_cosigns ENABLE TRIGGER USER;
ALTER TABLE issue_events ENABLE TRIGGER USER;
COMMIT;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
-- Secondary indexes of the four big tables (not those behind a constraint; issue_search's
-- trigram index among them), kept to be re-created verbatim after the load.
CREATE TABLE bench.saved_index AS
SELECT c.relname AS tbl, i.relname AS idx, pg_get_indexdef(i.oid) AS def
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class c ON c.oid = x.indrelid
 WHERE c.relnamespace = 'public'::regnamespace
   AND c.relname IN ('issues', 'issue_events', 'issue_states', 'issue_search')
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid);
SELECT format('DROP INDEX public.%I', idx) FROM bench.saved_index \gexec
-- Their foreign keys likewise: a check per row and key (some 30 million at 1M issues)
-- becomes one join per key when each is added back, which also proves the data keeps them.
CREATE TABLE bench.saved_fk AS
SELECT c.relname AS tbl, k.conname, pg_get_constraintdef(k.oid) AS def
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
 WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace
   AND c.relname IN ('issues', 'issue_events', 'issue_states', 'issue_search');
SELECT format('ALTER TABLE public.%I DROP CONSTRAINT %I', tbl, conname) FROM bench.saved_fk \gexec
-- Per-row work the load does set-based instead: issue_states (step states), each event's
-- school (step history), the duplicate-chain check (step finish).
ALTER TABLE issue_events DISABLE TRIGGER issue_states_follow_history;
ALTER TABLE issue_events DISABLE TRIGGER issue_events_school;
ALTER TABLE issues DISABLE TRIGGER issues_no_duplicate_chain;
-- The loaded past tells no one (0022): no notification, no webhook delivery. The
-- notifications table starts empty; what a filing adds to it is measured all the same.
ALTER TABLE issue_events DISABLE TRIGGER issue_events_notify;
ALTER TABLE issue_events DISABLE TRIGGER issue_events_to_webhooks;
\endif

\if :step_plan
SET TIME ZONE 'UTC';
-- The 24 whole months before the one holding "now", in the Department's zone.
CREATE TABLE bench.param AS
SELECT :'now'::timestamptz - interval '10 minutes' AS cutoff,
       date_trunc('month', :'now'::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh') - interval '24 months' AS l_start,
       date_trunc('month', :'now'::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh') AS l_end;

-- Filing days: weekdays, few Saturdays, almost no Sundays; quiet summer, busy autumn;
-- public holidays quiet.
CREATE TABLE bench.days AS
SELECT row_number() OVER (ORDER BY day)::int AS i, day, w,
       (sum(w) OVER (ORDER BY day) - w)::float8 AS cum_before
  FROM (SELECT g::date AS day,
               (CASE extract(isodow FROM g) WHEN 6 THEN 0.25 WHEN 7 THEN 0.03 ELSE 1.0 END
                * CASE extract(month FROM g)::int WHEN 6 THEN 0.45 WHEN 7 THEN 0.35 WHEN 8 THEN 0.8
                                                 WHEN 9 THEN 1.0 WHEN 10 THEN 0.95 ELSE 0.75 END
                * CASE WHEN EXISTS (SELECT 1 FROM holidays h WHERE h.day = g::date) THEN 0.1 ELSE 1 END
               )::float8 AS w
          FROM bench.param p,
               generate_series(p.l_start, p.l_end - interval '1 day', interval '1 day') AS g) d;

SELECT setseed(:seed);

-- Schools, each with its principal; a few schools report much more than the others.
CREATE TABLE bench.sch AS
SELECT row_number() OVER (ORDER BY code COLLATE "C")::int AS i, id, code, name, hp, w,
       (sum(w) OVER (ORDER BY code COLLATE "C") - w)::float8 AS cum_before
  FROM (SELECT s.*, 0.4 + random() + CASE WHEN random() < 0.12 THEN 2.5 ELSE 0 END AS w
          FROM (SELECT s.id, s.code, s.name,
                       (SELECT min(u.id) FROM users u WHERE u.role = 'principal' AND u.school_id = s.id) AS hp
                  FROM schools s ORDER BY s.code COLLATE "C") s) x;

-- Categories with how often they are filed (the demo's weights; 3 for any other).
CREATE TABLE bench.cat AS
SELECT row_number() OVER (ORDER BY code COLLATE "C")::int AS i, id, code, name, div_id, div_code,
       pri, w, (sum(w) OVER (ORDER BY code COLLATE "C") - w)::float8 AS cum_before
  FROM (SELECT c.id, c.code, c.name, c.default_division_id AS div_id, d.code AS div_code,
               c.default_priority AS pri, coalesce(v.w, 3)::float8 AS w
          FROM categories c JOIN divisions d ON d.id = c.default_division_id
          LEFT JOIN (VALUES ('THIEU-GV', 11), ('DAY-HOC-TV', 6), ('CT-GDPT-2018', 6),
                ('SACH-GIAO-KHOA', 4), ('DAY-HOC-TOAN', 3), ('TIENG-ANH', 5), ('TIN-HOC-CN', 4),
                ('DANH-GIA-HS', 4), ('GD-HOA-NHAP', 3), ('BOI-DUONG-GV', 3), ('THIEU-PHONG-HOC', 6),
                ('VE-SINH-NUOC-SACH', 5), ('THIET-BI-DH', 5), ('BAN-TRU', 3), ('TAI-CHINH', 4),
                ('LUONG-PHU-CAP', 5), ('CHUYEN-DOI-SO', 5), ('AN-TOAN-TH', 3),
                ('KHIEU-NAI-KY-LUAT', 2), ('TUYEN-DUNG', 4), ('THI-DUA', 2), ('HO-SO-BAO-CAO', 2))
               AS v(code, w) ON v.code = c.code) x;

-- Officers of each division, numbered.
CREATE TABLE bench.off AS
SELECT division_id, row_number() OVER (PARTITION BY division_id ORDER BY login COLLATE "C")::int AS i,
       id, login, count(*) OVER (PARTITION BY division_id)::int AS n
  FROM users WHERE role = 'officer' AND active;

-- Every draw an issue needs, in one deterministic pass (setseed above).
CREATE UNLOGGED TABLE bench.u AS
SELECT k,
       random() AS u_day, random() AS u_tod, random() AS u_eve, random() AS u_sch, random() AS u_cat,
       random() AS u_pri, random() AS u_fate, random() AS u_stage, random() AS u_tri,
       random() AS z1, random() AS z2, random() AS u_start, random() AS u_s1, random() AS u_rounds,
       random() AS u_q1, random() AS u_a1, random() AS u_q2, random() AS u_a2,
       random() AS u_ack, random() AS u_ack_t, random() AS u_int, random() AS u_int_t,
       random() AS u_hp, random() AS u_hp_t, random() AS u_pub, random() AS u_pub_t,
       random() AS u_div, random() AS u_div_to, random() AS u_prio, random() AS u_prio_dir,
       random() AS u_asg, random() AS u_asg_t, random() AS u_h, random() AS u_trg,
       random() AS u_reopen, random() AS u_reopen_g, random() AS u_res2, random() AS u_conf,
       random() AS u_conf_g, random() AS u_term, random() AS u_sec
  FROM generate_series(1, :n) AS k;

SET TIME ZONE 'UTC';
-- Each issue's plan: who, what, and the hours (after filing) of each step of its story.
CREATE UNLOGGED TABLE bench.plan0 AS
WITH arr AS (
    SELECT (SELECT array_agg(cum_before ORDER BY i) FROM bench.days) AS dcum,
           (SELECT sum(w) FROM bench.days) AS dtot,
           (SELECT array_agg(cum_before ORDER BY i) FROM bench.sch) AS scum,
           (SELECT sum(w) FROM bench.sch) AS stot,
           (SELECT array_agg(cum_before ORDER BY i) FROM bench.cat) AS ccum,
           (SELECT sum(w) FROM bench.cat) AS ctot,
           (SELECT array_agg(id ORDER BY login COLLATE "C") FROM users WHERE role = 'supervisor' AND active) AS sups),
a AS (
    SELECT u.*, width_bucket(u.u_day * arr.dtot, arr.dcum) AS day_i,
           width_bucket(u.u_sch * arr.stot, arr.scum) AS sch_i,
           width_bucket(u.u_cat * arr.ctot, arr.ccum) AS cat_i,
           arr.sups[1 + (u.k % array_length(arr.sups, 1))] AS sup
      FROM bench.u u CROSS JOIN arr),
b AS (
    SELECT a.*,
           (d.day + (CASE WHEN a.u_eve < 0.12 THEN 19.5 + 3 * a.u_tod ELSE 7 + 10 * a.u_tod END)
                    * interval '1 hour') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS filed,
           s.id AS school_id, s.name AS school_name, s.hp,
           c.id AS cat_id, c.code AS cat_code, c.name AS cat_name, c.div_id AS div0, c.div_code AS div0_code,
           CASE WHEN a.u_pri < 0.18 THEN CASE c.pri WHEN 'low' THEN 'normal' WHEN 'normal' THEN 'high' ELSE 'urgent' END
                WHEN a.u_pri < 0.28 THEN CASE c.pri WHEN 'urgent' THEN 'high' WHEN 'high' THEN 'normal' ELSE 'low' END
                ELSE c.pri END AS pri0,
           CASE WHEN a.u_div < 0.05 THEN
               CASE c.div_code WHEN 'GDTH' THEN CASE WHEN a.u_div_to < 0.5 THEN 'CSVC' ELSE 'TCCB' END
                               WHEN 'TCCB' THEN CASE WHEN a.u_div_to < 0.5 THEN 'GDTH' ELSE 'KHTC' END
                               WHEN 'KHTC' THEN CASE WHEN a.u_div_to < 0.5 THEN 'CSVC' ELSE 'TCCB' END
                               WHEN 'CSVC' THEN 'KHTC' WHEN 'TTR' THEN 'TCCB' ELSE 'GDTH' END
           END AS div_alt,
           -- declined 5%, duplicate 4%, never finished 5%, resolved the rest
           CASE WHEN a.u_fate < 0.05 THEN 'declined' WHEN a.u_fate < 0.09 THEN 'duplicate'
                WHEN a.u_fate < 0.14 THEN 'stuck' ELSE 'resolved' END AS fate0,
           -- a standard normal draw (Box-Muller) for the time to resolution
           sqrt(-2 * ln(1 - a.z1)) * cos(2 * pi() * a.z2) AS z
      FROM a
      JOIN bench.days d ON d.i = a.day_i
      JOIN bench.sch s ON s.i = a.sch_i
      JOIN bench.cat c ON c.i = a.cat_i),
c AS (
    SELECT b.*,
           CASE WHEN b.u_prio < 0.04 THEN
               CASE WHEN (b.u_prio_dir < 0.6 AND b.pri0 <> 'urgent') OR b.pri0 = 'low'
                    THEN CASE b.pri0 WHEN 'low' THEN 'normal' WHEN 'normal' THEN 'high' ELSE 'urgent' END
                    ELSE CASE b.pri0 WHEN 'urgent' THEN 'high' WHEN 'high' THEN 'normal' ELSE 'low' END END
           ELSE b.pri0 END AS pri1,
           coalesce(dv.id, b.div0) AS div1, coalesce(dv.code, b.div0_code) AS div1_code,
           CASE b.fate0
               WHEN 'declined' THEN CASE WHEN b.u_stage < 0.35 THEN 'new' WHEN b.u_stage < 0.60 THEN 'triaged'
                                         WHEN b.u_stage < 0.90 THEN 'in_progress' ELSE 'awaiting_school' END
               WHEN 'duplicate' THEN CASE WHEN b.u_stage < 0.55 THEN 'new' WHEN b.u_stage < 0.85 THEN 'triaged'
                                          ELSE 'in_progress' END
               WHEN 'stuck' THEN CASE WHEN b.u_stage < 0.15 THEN 'new' WHEN b.u_stage < 0.35 THEN 'triaged'
                                      WHEN b.u_stage < 0.80 THEN 'in_progress' ELSE 'awaiting_school' END
           END AS stage
      FROM b LEFT JOIN divisions dv ON dv.code = b.div_alt AND dv.code <> b.div0_code)
SELECT c.*, o.id AS handler, o.login AS handler_login,
       -- triage: exponential, mean 4 h (urgent) to 30 h (low)
       0.3 + least(-ln(1 - c.u_tri) * CASE c.pri0 WHEN 'urgent' THEN 4 WHEN 'high' THEN 10
                                                  WHEN 'normal' THEN 20 ELSE 30 END, 720) AS h_tri,
       -- triage to (first) resolution: lognormal, sigma 0.8, median 1 day (urgent) to 9 (low)
       least(exp(ln(CASE c.pri1 WHEN 'urgent' THEN 24 WHEN 'high' THEN 72 WHEN 'normal' THEN 120 ELSE 216 END)
                 + 0.8 * c.z), 24 * 400) AS r_after,
       CASE WHEN c.u_trg < 0.15 THEN c.sup ELSE o.id END AS triager,
       fr0.first_response_hours AS fr0_h, fr0.resolution_hours AS res0_h,
       fr1.first_response_hours AS fr1_h, fr1.resolution_hours AS res1_h
  FROM c
  JOIN bench.off o ON o.division_id = c.div1 AND o.i = 1 + floor(c.u_h * o.n)::int
  JOIN sla_policies fr0 ON fr0.priority = c.pri0
  JOIN sla_policies fr1 ON fr1.priority = c.pri1;
DROP TABLE bench.u;

-- Ids and references in filing order. A duplicate points at the school's latest earlier
-- issue that is not meant to be a duplicate itself: no chain (the rule of 0009).
CREATE UNLOGGED TABLE bench.plan1 AS
WITH x AS MATERIALIZED (
    SELECT y.*, y.ref_head || lpad(ltrim(y.ref_num, '0'), greatest(6, length(ltrim(y.ref_num, '0'))), '0') AS ref
      FROM (SELECT p.*, row_number() OVER (ORDER BY p.filed, p.k) AS id,
                   extract(year FROM p.filed AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS yr,
                   'HT-' || extract(year FROM p.filed AT TIME ZONE 'Asia/Ho_Chi_Minh')::int || '-' AS ref_head,
                   to_char(row_number() OVER (PARTITION BY extract(year FROM p.filed AT TIME ZONE 'Asia/Ho_Chi_Minh')
                                              ORDER BY p.filed, p.k), 'FM0000000000') AS ref_num
              FROM bench.plan0 p, bench.param prm
             WHERE p.filed < prm.cutoff) y),
z AS (
    SELECT x.*, max(x.id) FILTER (WHERE x.fate0 <> 'duplicate') OVER w AS prev_id
      FROM x
    WINDOW w AS (PARTITION BY x.school_id ORDER BY x.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
SELECT z.*, t.ref AS prev_ref
  FROM z LEFT JOIN x t ON t.id = z.prev_id;
DROP TABLE bench.plan0;

-- The story in hours after filing (NULL: the step does not happen).
CREATE UNLOGGED TABLE bench.plan2 AS
WITH f AS (
    SELECT p.*,
           CASE WHEN p.fate0 = 'duplicate' AND p.prev_id IS NULL THEN 'declined' ELSE p.fate0 END AS fate,
           p.pri1 <> p.pri0 AS reprio, p.div1 <> p.div0 AS moved
      FROM bench.plan1 p),
g AS (
    SELECT f.*,
           f.fate = 'resolved' OR f.stage <> 'new' AS has_tri,
           CASE WHEN f.fate = 'resolved' THEN f.u_start < 0.60
                ELSE f.stage IN ('in_progress', 'awaiting_school') END AS started,
           CASE WHEN f.fate = 'resolved' THEN f.h_tri + f.r_after END AS h_res1
      FROM f),
h AS (
    SELECT g.*,
           CASE WHEN g.started THEN
               CASE WHEN g.fate = 'resolved' THEN g.h_tri + g.r_after * (0.05 + 0.25 * g.u_s1)
                    ELSE g.h_tri + 1 + least(-ln(1 - g.u_s1) * 36, 2000) END END AS h_start,
           CASE WHEN g.fate = 'resolved' AND g.started THEN
               CASE WHEN g.u_rounds < 0.05 THEN 2 WHEN g.u_rounds < 0.20 THEN 1 ELSE 0 END
                ELSE 0 END AS rounds
      FROM g),
i AS (
    SELECT h.*,
           CASE WHEN h.rounds >= 1 THEN h.h_start + (h.h_res1 - h.h_start) * (0.10 + 0.20 * h.u_q1)
                WHEN h.stage = 'awaiting_school' THEN h.h_start + 2 + least(-ln(1 - h.u_q1) * 48, 2000)
           END AS h_q1
      FROM h),
j AS (
    SELECT i.*,
           CASE WHEN i.rounds >= 1 THEN i.h_q1 + (i.h_res1 - i.h_start) * (0.05 + 0.15 * i.u_a1) END AS h_a1,
           CASE WHEN i.fate IN ('declined', 'duplicate') THEN
                 CASE i.stage WHEN 'new' THEN 0.8 * i.h_tri
                              WHEN 'triaged' THEN i.h_tri + 0.5 + least(-ln(1 - i.u_term) * 36, 2000)
                              WHEN 'in_progress' THEN i.h_start + 1 + least(-ln(1 - i.u_term) * 96, 4000)
                              ELSE i.h_q1 + 2 + least(-ln(1 - i.u_term) * 168, 4000) END
             END AS h_term
      FROM i),
k AS (
    SELECT j.*,
           CASE WHEN j.rounds = 2 THEN j.h_a1 + (j.h_res1 - j.h_start) * (0.05 + 0.15 * j.u_q2) END AS h_q2,
           coalesce(j.h_res1, j.h_term, 24 * 800) AS h_end,
           CASE WHEN j.fate = 'resolved' AND j.u_reopen < 0.08 THEN j.h_res1 + 24 + 216 * j.u_reopen_g END AS h_reop
      FROM j),
l AS (
    SELECT k.*,
           CASE WHEN k.rounds = 2 THEN k.h_q2 + (k.h_res1 - k.h_start) * (0.05 + 0.15 * k.u_a2) END AS h_a2,
           CASE WHEN k.h_reop IS NOT NULL THEN k.h_reop + 48 + least(-ln(1 - k.u_res2) * 120, 24 * 200) END AS h_res2,
           CASE WHEN k.moved THEN 0.4 * k.h_tri END AS h_div,
           CASE WHEN k.reprio THEN 0.4 * k.h_tri + least(0.3 * k.h_tri, 1) END AS h_prio,
           CASE WHEN k.has_tri AND k.u_asg < 0.05 THEN k.h_tri + 0.02 + 0.48 * k.u_asg_t END AS h_asg0,
           -- a public acknowledgement, mostly when no other answer comes before the
           -- first-response due time
           CASE WHEN k.has_tri
                 AND k.u_ack < CASE WHEN coalesce(least(k.h_q1, k.h_res1,
                                                        CASE WHEN k.fate = 'declined' THEN k.h_term END),
                                                  1e9) > k.fr1_h - 4 THEN 0.85 ELSE 0.05 END
                THEN k.h_tri + 0.05 + 3.95 * k.u_ack_t END AS h_ack0,
           CASE WHEN k.has_tri AND k.u_int < 0.03
                THEN k.h_tri + (least(k.h_end, k.h_tri + 24 * 60) - k.h_tri) * 0.9 * k.u_int_t END AS h_int0,
           CASE WHEN k.u_hp < 0.03 THEN 0.01 + least(k.h_end, 24 * 60) * 0.9 * k.u_hp_t END AS h_hp0,
           CASE WHEN k.has_tri AND k.u_pub < 0.03
                THEN k.h_tri + (least(k.h_end, k.h_tri + 24 * 60) - k.h_tri) * (0.2 + 0.7 * k.u_pub_t) END AS h_pub0
      FROM k)
SELECT l.*,
       CASE WHEN l.h_asg0 < l.h_end THEN l.h_asg0 END AS h_asg,
       CASE WHEN l.h_ack0 < l.h_end THEN l.h_ack0 END AS h_ack,
       CASE WHEN l.h_int0 < l.h_end THEN l.h_int0 END AS h_int,
       CASE WHEN l.h_hp0 < l.h_end THEN l.h_hp0 END AS h_hp,
       CASE WHEN l.h_pub0 < l.h_end THEN l.h_pub0 END AS h_pub,
       CASE WHEN l.fate = 'resolved' THEN
           CASE WHEN l.u_conf < 0.55
                THEN coalesce(l.h_res2, l.h_res1) + 0.2 + least(-ln(1 - l.u_conf_g) * 72, 13 * 24)
                ELSE coalesce(l.h_res2, l.h_res1) + 14 * 24 + (30 + 60 * l.u_sec) / 3600 END END AS h_close,
       CASE WHEN l.fate = 'resolved' THEN CASE WHEN l.u_conf < 0.55 THEN 'confirm' ELSE 'auto' END END AS close_kind
  FROM l;
DROP TABLE bench.plan1;

-- Times, due times (calendar hours of the SLA policy, from the filing second) and the
-- moments the sweep would raise a breach.
CREATE UNLOGGED TABLE bench.plan AS
WITH t AS (
    SELECT p.*, prm.cutoff,
           p.filed + p.h_tri * interval '1 hour' AS t_tri,
           p.filed + p.h_prio * interval '1 hour' AS t_prio,
           p.filed + p.h_q1 * interval '1 hour' AS t_q1, p.filed + p.h_a1 * interval '1 hour' AS t_a1,
           p.filed + p.h_q2 * interval '1 hour' AS t_q2, p.filed + p.h_a2 * interval '1 hour' AS t_a2,
           p.filed + p.h_res1 * interval '1 hour' AS t_res1, p.filed + p.h_reop * interval '1 hour' AS t_reop,
           p.filed + p.h_res2 * interval '1 hour' AS t_res2, p.filed + p.h_term * interval '1 hour' AS t_term,
           p.filed + least(p.h_ack, p.h_pub, p.h_q1, p.h_res1,
                           CASE WHEN p.fate = 'declined' THEN p.h_term END) * interval '1 hour' AS t_fr,
           date_trunc('second', p.filed) + p.fr0_h * interval '1 hour' AS due_fr0,
           date_trunc('second', p.filed) + p.res0_h * interval '1 hour' AS due_res0,
           date_trunc('second', p.filed) + p.fr1_h * interval '1 hour' AS due_fr1,
           date_trunc('second', p.filed) + p.res1_h * interval '1 hour' AS due_res1,
           (1 + 59 * p.u_sec) * interval '1 second' AS sweep_lag
      FROM bench.plan2 p, bench.param prm),
u AS (
    SELECT t.*,
           date_trunc('second', t.t_a1 - t.t_q1) AS pz1,
           date_trunc('second', t.t_a2 - t.t_q2) AS pz2,
           CASE WHEN t.reprio AND t.due_fr0 < t.t_prio THEN t.due_fr0 ELSE t.due_fr1 END AS due_fr_eff,
           CASE WHEN t.reprio AND t.due_res0 < t.t_prio THEN t.due_res0 ELSE t.due_res1 END AS due_res_eff
      FROM t),
v AS (  -- the resolution due time after the pauses that began before it
    SELECT u.*,
           CASE WHEN u.t_q1 IS NOT NULL AND u.t_q1 < u.due_res_eff
                THEN CASE WHEN u.t_a1 IS NULL THEN NULL ELSE u.due_res_eff + u.pz1 END
                ELSE u.due_res_eff END AS d1
      FROM u),
w AS (
    SELECT v.*,
           CASE WHEN v.t_q2 IS NOT NULL AND v.t_q2 < v.d1 THEN v.d1 + v.pz2 ELSE v.d1 END AS d2
      FROM v)
SELECT w.*,
       CASE WHEN w.due_fr_eff + w.sweep_lag < coalesce(w.t_fr, 'infinity')
             AND (w.fate <> 'duplicate' OR w.due_fr_eff + w.sweep_lag < w.t_term)
            THEN w.due_fr_eff + w.sweep_lag END AS te1,
       CASE WHEN w.d2 IS NULL THEN NULL
            WHEN w.t_reop IS NOT NULL AND w.d2 >= w.t_res1 AND w.d2 < w.t_reop THEN w.t_reop + w.sweep_lag
            ELSE w.d2 + w.sweep_lag END AS te2
  FROM w;
DROP TABLE bench.plan2;
CREATE UNIQUE INDEX ON bench.plan (id);
\endif

\if :step_events
SET TIME ZONE 'UTC';
-- Every event of every issue, up to the cutoff. seq orders events at one instant.
CREATE UNLOGGED TABLE bench.ev AS
SELECT p.id AS issue_id, e.at, e.seq, e.action, e.actor, e.from_s, e.to_s, e.body, e.internal,
       e.details, e.fr
  FROM bench.plan p
 CROSS JOIN LATERAL (VALUES
    (1, p.filed, 'filed', p.hp, NULL::text, 'new', NULL::text, false,
     jsonb_build_object('category', p.cat_code, 'division', p.div0_code, 'priority', p.pri0,
                        'due_first_response_at', dl_time(p.due_fr0),
                        'due_resolution_at', dl_time(p.due_res0)), false),
    (2, p.filed + p.h_hp * interval '1 hour', 'comment', p.hp, NULL, NULL,
     (ARRAY['Nhà trường xin bổ sung: tình hình vẫn chưa được cải thiện.',
            'Nhà trường mong sớm nhận được phản hồi để kịp triển khai kế hoạch.',
            'Nhà trường đã tạm thời khắc phục, nhưng cần giải pháp lâu dài.',
            'Xin gửi thêm thông tin: số học sinh bị ảnh hưởng tăng so với báo cáo ban đầu.'])[1 + p.k % 4],
     false, NULL::jsonb, false),
    (3, p.filed + p.h_div * interval '1 hour', 'set_division', p.sup, NULL, NULL,
     'Nội dung thuộc chức năng của phòng ' || p.div1_code || '; chuyển xử lý.', false,
     jsonb_build_object('field', 'division', 'from', p.div0_code, 'to', p.div1_code), false),
    (4, p.t_prio, 'set_priority', p.sup, NULL, NULL, NULL, false,
     jsonb_build_object('field', 'priority', 'from', p.pri0, 'to', p.pri1,
                        'due_first_response_at', dl_time(p.due_fr1),
                        'due_resolution_at', dl_time(p.due_res1)), false),
    (5, CASE WHEN p.has_tri THEN p.t_tri END, 'triage', p.triager, 'new', 'triaged',
     CASE WHEN p.k % 10 < 3 THEN 'Đã tiếp nhận, phân loại và chuyển cán bộ phụ trách.' END, false, NULL, false),
    (6, p.filed + p.h_asg * interval '1 hour', 'set_assignee', p.triager, NULL, NULL, NULL, false,
     jsonb_build_object('field', 'assignee', 'from', NULL, 'to', p.handler_login), false),
    (7, p.filed + p.h_ack * interval '1 hour', 'comment', p.handler, NULL, NULL,
     (ARRAY['Phòng đã tiếp nhận phản ánh và phân công cán bộ theo dõi; sẽ phản hồi nhà trường trong thời gian sớm nhất.',
            'Đã tiếp nhận. Phòng đang tổng hợp cùng phản ánh của các trường khác để có phương án chung.',
            'Cảm ơn nhà trường đã chủ động báo cáo và đề xuất giải pháp; phòng sẽ xem xét và trả lời.',
            'Phòng đã nhận được thông tin, đang rà soát số liệu và sẽ trao đổi lại với nhà trường.'])[1 + p.k % 4],
     false, NULL, true),
    (8, p.filed + p.h_start * interval '1 hour', 'start', p.handler, 'triaged', 'in_progress', NULL, false, NULL, false),
    (9, p.filed + p.h_int * interval '1 hour', 'comment', p.handler, NULL, NULL,
     (ARRAY['Đã trao đổi với trưởng phòng: chờ kết quả rà soát biên chế toàn tỉnh.',
            'Kinh phí năm nay đã phân bổ hết, cần đưa vào dự toán năm sau.',
            'Cần phối hợp với phòng KHTC trước khi trả lời nhà trường.'])[1 + p.k % 3], true, NULL, false),
    (10, p.filed + p.h_pub * interval '1 hour', 'comment', p.handler, NULL, NULL,
     (ARRAY['Phòng đang làm việc với các đơn vị liên quan; dự kiến có kết quả trong tuần tới.',
            'Đề xuất của nhà trường là hợp lý; phòng đang trình lãnh đạo Sở xem xét.',
            'Sở đang tổng hợp nhu cầu của toàn tỉnh để bố trí kinh phí.'])[1 + p.k % 3], false, NULL, true),
    (11, p.t_q1, 'request_info', p.handler, 'in_progress', 'awaiting_school',
     (ARRAY['Đề nghị nhà trường bổ sung số liệu cụ thể (số lớp, số học sinh, số giáo viên hiện có).',
            'Đề nghị nhà trường gửi kèm biên bản kiểm tra hiện trạng và hình ảnh minh họa.',
            'Đề nghị nhà trường gửi danh sách cụ thể và văn bản đề xuất có chữ ký của hiệu trưởng.'])[1 + p.k % 3],
     false, NULL, true),
    (12, p.t_a1, 'answer_info', p.hp, 'awaiting_school', 'in_progress',
     (ARRAY['Nhà trường đã bổ sung số liệu và gửi kèm bảng tổng hợp.',
            'Đã gửi biên bản kiểm tra hiện trạng và hình ảnh minh họa.',
            'Đã gửi danh sách và văn bản đề xuất có chữ ký, đóng dấu.'])[1 + p.k % 3], false,
     jsonb_build_object('due_first_response_at', dl_time(p.due_fr1 + p.pz1),
                        'due_resolution_at', dl_time(p.due_res1 + p.pz1),
                        'paused_seconds', floor(extract(epoch FROM p.t_a1 - p.t_q1))::bigint), false),
    (13, p.t_q2, 'request_info', p.handler, 'in_progress', 'awaiting_school',
     'Phòng cần thêm thông tin về các biện pháp nhà trường đã thực hiện; đề nghị bổ sung.', false, NULL, true),
    (14, p.t_a2, 'answer_info', p.hp, 'awaiting_school', 'in_progress',
     'Nhà trường đã họp tổ chuyên môn, phân công lại nhưng chưa khắc phục được; xin gửi kèm biên bản.', false,
     jsonb_build_object('due_first_response_at', dl_time(p.due_fr1 + p.pz1 + p.pz2),
                        'due_resolution_at', dl_time(p.due_res1 + p.pz1 + p.pz2),
                        'paused_seconds', floor(extract(epoch FROM p.t_a1 - p.t_q1))::bigint
                                          + floor(extract(epoch FROM p.t_a2 - p.t_q2))::bigint), false),
    (15, p.t_res1, 'resolve', p.handler, CASE WHEN p.started THEN 'in_progress' ELSE 'triaged' END, 'resolved',
     (ARRAY['Sở đã bố trí kinh phí và hướng dẫn nhà trường thực hiện; đề nghị nhà trường báo cáo kết quả.',
            'Phòng đã ban hành văn bản hướng dẫn; đề nghị nhà trường triển khai theo hướng dẫn.',
            'Đã phối hợp với các đơn vị liên quan giải quyết; đề nghị nhà trường kiểm tra và xác nhận.',
            'Sở đã điều động, bổ sung theo đề xuất của nhà trường.'])[1 + p.k % 4], false, NULL, true),
    (16, p.t_reop, 'reopen', p.hp, 'resolved', 'in_progress',
     (ARRAY['Vấn đề chưa được giải quyết triệt để, nhà trường đề nghị xem xét lại.',
            'Kinh phí, thiết bị chưa về đến trường như thông báo; đề nghị kiểm tra lại.',
            'Giải pháp tạm thời không hiệu quả, tình trạng tái diễn.'])[1 + p.k % 3], false, NULL, false),
    (17, p.t_res2, 'resolve', p.handler, 'in_progress', 'resolved',
     'Đã kiểm tra lại và hoàn tất xử lý theo phản ánh bổ sung của nhà trường.', false, NULL, true),
    (18, CASE WHEN p.close_kind = 'confirm' THEN p.filed + p.h_close * interval '1 hour' END,
     'confirm', p.hp, 'resolved', 'closed',
     CASE WHEN p.k % 10 < 7 THEN 'Nhà trường xác nhận vấn đề đã được giải quyết. Trân trọng cảm ơn Sở.' END,
     false, NULL, false),
    (19, CASE WHEN p.close_kind = 'auto' THEN p.filed + p.h_close * interval '1 hour' END,
     'closed', NULL, 'resolved', 'closed',
     'Closed automatically: the school neither confirmed nor reopened the resolution within 14 days.', false,
     jsonb_build_object('reason', 'auto_close', 'days', 14), false),
    (20, CASE WHEN p.fate = 'declined' THEN p.t_term END, 'decline',
     CASE WHEN p.stage = 'new' THEN p.triager ELSE p.handler END, p.stage, 'declined',
     (ARRAY['Nội dung không thuộc thẩm quyền giải quyết của Sở; đề nghị nhà trường làm việc với UBND xã.',
            'Nội dung đã được hướng dẫn tại văn bản của Sở đầu năm học; đề nghị nhà trường thực hiện theo văn bản.',
            'Đề xuất chưa phù hợp với quy định hiện hành về định mức; Sở chưa thể giải quyết.',
            'Nội dung thuộc thẩm quyền của nhà trường; đề nghị hiệu trưởng chủ động xử lý.'])[1 + p.k % 4], false,
     CASE WHEN p.stage = 'awaiting_school' THEN
         jsonb_build_object('due_first_response_at', dl_time(p.due_fr1 + date_trunc('second', p.t_term - p.t_q1)),
                            'due_resolution_at', dl_time(p.due_res1 + date_trunc('second', p.t_term - p.t_q1)),
                            'paused_seconds', floor(extract(epoch FROM p.t_term - p.t_q1))::bigint) END, true),
    (21, CASE WHEN p.fate = 'duplicate' THEN p.t_term END, 'mark_duplicate',
     CASE WHEN p.stage = 'new' THEN p.triager ELSE p.handler END, p.stage, 'duplicate',
     'Trùng nội dung với phản ánh ' || p.prev_ref || '; đề nghị nhà trường theo dõi tại phản ánh đó.', false,
     jsonb_build_object('duplicate_of', p.prev_ref), false)
 ) AS e(seq, at, action, actor, from_s, to_s, body, internal, details, fr)
 WHERE e.at IS NOT NULL AND e.at <= p.cutoff;
CREATE INDEX ON bench.ev (issue_id, at, seq);

-- The sweep's raises: a breach becomes an `escalated` event only if the issue was then
-- new, triaged or in progress (not paused, not resolved or finished), as the sweep checks.
INSERT INTO bench.ev
SELECT x.id, x.te, 30 + x.lvl, 'escalated', NULL, x.st, x.st,
       CASE x.lvl WHEN 1 THEN 'Escalated to level 1: no first response by the due time.'
                  ELSE 'Escalated to level 2: not resolved by the due time.' END,
       false,
       jsonb_build_object('level', x.lvl,
                          'reason', CASE x.lvl WHEN 1 THEN 'first_response_breach' ELSE 'resolution_breach' END),
       false
  FROM (SELECT p.id, c.te, c.lvl,
               (SELECT e.to_s FROM bench.ev e
                 WHERE e.issue_id = p.id AND e.at <= c.te AND e.to_s IS NOT NULL
                 ORDER BY e.at DESC, e.seq DESC LIMIT 1) AS st
          FROM bench.plan p
         CROSS JOIN LATERAL (VALUES (p.te1, 1), (p.te2, 2)) AS c(te, lvl)
         WHERE c.te IS NOT NULL AND c.te <= p.cutoff) x
 WHERE x.st IN ('new', 'triaged', 'in_progress');
\endif

\if :step_issues
SET TIME ZONE 'UTC';
-- Each issue row is the summary of its events.
CREATE UNLOGGED TABLE bench.summ AS
SELECT issue_id,
       (array_agg(to_s ORDER BY at DESC, seq DESC) FILTER (WHERE to_s IS NOT NULL))[1] AS status,
       (array_agg(details ORDER BY at DESC, seq DESC) FILTER (WHERE details ? 'due_resolution_at'))[1] AS due,
       (array_agg(details->>'to' ORDER BY at DESC, seq DESC) FILTER (WHERE action = 'set_assignee'))[1] AS asg_login,
       bool_or(action = 'set_division') AS moved,
       bool_or(action = 'set_priority') AS reprio,
       coalesce(max((details->>'level')::int) FILTER (WHERE action = 'escalated'), 0) AS lvl,
       count(*) FILTER (WHERE action = 'reopen') AS reopens,
       min(at) FILTER (WHERE fr) AS first_response_at,
       max(at) FILTER (WHERE action = 'resolve') AS last_resolve,
       max(at) FILTER (WHERE action = 'request_info') AS last_request,
       max(at) FILTER (WHERE to_s IN ('closed', 'declined', 'duplicate')) AS finished_at,
       max(at) FILTER (WHERE NOT internal) AS updated_at
  FROM bench.ev GROUP BY issue_id;

INSERT INTO issues (id, ref, school_id, filed_by, category_id, division_id, assignee_id, priority,
                    status, title, description, proposed_solution, escalation_level, reopen_count,
                    duplicate_of, due_first_response_at, due_resolution_at, first_response_at,
                    resolved_at, closed_at, created_at, updated_at, paused_at, paused_seconds)
SELECT p.id, p.ref, p.school_id, p.hp, p.cat_id,
       CASE WHEN s.moved THEN p.div1 ELSE p.div0 END,
       CASE WHEN s.asg_login IS NOT NULL THEN p.handler END,
       CASE WHEN s.reprio THEN p.pri1 ELSE p.pri0 END,
       s.status,
       p.cat_name || ': ' || (ARRAY['đề nghị Sở hỗ trợ', 'cần hướng dẫn cụ thể', 'tình trạng kéo dài',
                                    'phát sinh trong học kỳ', 'đề nghị kiểm tra, xử lý',
                                    'cần giải quyết sớm'])[1 + (p.k * 7) % 6],
       'Nhà trường ' || p.school_name || ' phản ánh về ' || lower(p.cat_name) || '. ' ||
       (ARRAY['Tình trạng này đã kéo dài từ năm học trước, ảnh hưởng đến ' || (20 + p.k % 180) || ' học sinh.',
              'Nhà trường đã báo cáo UBND xã nhưng chưa có phương án giải quyết; ' || (1 + p.k % 9) || ' lớp bị ảnh hưởng.',
              'Nhiều trường trong cụm cũng gặp khó khăn tương tự; nhà trường đã chủ động khắc phục trong khả năng.',
              'Nhà trường kính đề nghị Sở xem xét, hướng dẫn để kịp triển khai kế hoạch năm học.'])[1 + (p.k * 11) % 4],
       CASE WHEN p.k % 10 <> 0 THEN 'Đề nghị Sở xem xét, hướng dẫn và hỗ trợ nhà trường sớm giải quyết.' END,
       s.lvl, s.reopens,
       CASE WHEN s.status = 'duplicate' THEN p.prev_id END,
       (s.due->>'due_first_response_at')::timestamptz, (s.due->>'due_resolution_at')::timestamptz,
       s.first_response_at,
       CASE WHEN s.status IN ('resolved', 'closed') THEN s.last_resolve END,
       CASE WHEN s.status IN ('closed', 'declined', 'duplicate') THEN s.finished_at END,
       p.filed, s.updated_at,
       CASE WHEN s.status = 'awaiting_school' THEN s.last_request END,
       coalesce((s.due->>'paused_seconds')::bigint, 0)
  FROM bench.plan p JOIN bench.summ s ON s.issue_id = p.id
 ORDER BY p.id;

-- Reference counters at (or past) the highest number loaded in each year, so the next
-- filing gets a fresh reference.
SELECT dl_issue_ref_at_least(split_part(ref, '-', 2)::int, max(split_part(ref, '-', 3)::bigint))
  FROM issues GROUP BY split_part(ref, '-', 2);
SELECT setval(pg_get_serial_sequence('issues', 'id'), (SELECT max(id) FROM issues));
DROP TABLE bench.summ;
\endif

\if :step_history
SET TIME ZONE 'UTC';
-- school_id as the issue_events_school trigger (disabled for the load) would set it.
INSERT INTO issue_events (id, issue_id, school_id, actor_id, action, from_status, to_status, body,
                          internal, details, created_at)
SELECT row_number() OVER (ORDER BY e.issue_id, e.at, e.seq), e.issue_id, p.school_id, e.actor,
       e.action, e.from_s, e.to_s, e.body, e.internal, e.details, e.at
  FROM bench.ev e JOIN bench.plan p ON p.id = e.issue_id
 ORDER BY e.issue_id, e.at, e.seq;

SELECT setval(pg_get_serial_sequence('issue_events', 'id'), (SELECT max(id) FROM issue_events));
\endif

\if :step_index
SELECT def FROM bench.saved_index WHERE tbl = :'tbl' ORDER BY idx \gexec
SELECT format('ALTER TABLE public.%I ADD CONSTRAINT %I %s', tbl, conname, def)
  FROM bench.saved_fk WHERE tbl = :'tbl' ORDER BY conname \gexec
\endif

\if :step_states
-- issue_states in one pass over the history, by the rules of issue_states_rebuild
-- (migrations 0003, 0012), which replays one issue at a time: events apply in id order
-- from the issue's values before its first event; a field keeps its latest setting; an
-- event that changes the state opens a stretch when it comes after the open stretch's
-- start, and otherwise merges into it (several events at one instant, or one stamped
-- before the stretch it follows); the stretch's start is then the latest instant of the
-- first event and the changing ones. load.py runs the parts in parallel sessions and then
-- step check, which compares a sample with the production replay.
SET TIME ZONE 'UTC';
-- The escalation level before and after each escalation: its own level, else one up,
-- at most 2.
CREATE FUNCTION pg_temp.escalation_step(smallint[], smallint) RETURNS smallint[]
    LANGUAGE sql IMMUTABLE AS 'SELECT ARRAY[$1[2], coalesce($2, least($1[2] + 1, 2))]::smallint[]';
CREATE AGGREGATE pg_temp.escalation_levels(smallint)
    (sfunc = pg_temp.escalation_step, stype = smallint[], initcond = '{0,0}');

INSERT INTO issue_states (issue_id, school_id, valid_from, valid_to, status, category, division,
                          priority, assignee, escalation_level, due_first_response_at,
                          due_resolution_at, resolved_here)
WITH firsts AS (        -- the `from` of each field's first change
    SELECT issue_id,
           array_agg(details->>'from' ORDER BY id) FILTER (WHERE action = 'set_category') AS cat,
           array_agg(details->>'from' ORDER BY id) FILTER (WHERE action = 'set_division') AS div,
           array_agg(details->>'from' ORDER BY id) FILTER (WHERE action = 'set_priority') AS pri,
           array_agg(details->>'from' ORDER BY id) FILTER (WHERE action = 'set_assignee') AS asg
      FROM issue_events
     WHERE action LIKE 'set\_%' AND issue_id % :parts = :part
     GROUP BY issue_id),
start AS (              -- each issue before its first event
    SELECT i.id, i.school_id,
           CASE WHEN cardinality(f.cat) > 0 THEN f.cat[1] ELSE c.code END AS cat,
           CASE WHEN cardinality(f.div) > 0 THEN f.div[1] ELSE d.code END AS div,
           CASE WHEN cardinality(f.pri) > 0 THEN f.pri[1] ELSE i.priority END AS pri,
           CASE WHEN cardinality(f.asg) > 0 THEN f.asg[1] ELSE u.login END AS asg,
           i.due_first_response_at AS dfr, i.due_resolution_at AS dr
      FROM issues i
      JOIN categories c ON c.id = i.category_id
      JOIN divisions d ON d.id = i.division_id
      LEFT JOIN users u ON u.id = i.assignee_id
      LEFT JOIN firsts f ON f.issue_id = i.id
     WHERE i.id % :parts = :part),
ev AS (                 -- what each event sets, narrow (the sort below carries it)
    SELECT e.issue_id, e.id, e.created_at AS at, e.action, e.to_status,
           CASE e.action WHEN 'filed' THEN e.details->>'category' ELSE e.details->>'to' END AS cat_v,
           e.action = 'set_category' OR (e.action = 'filed' AND e.details->>'category' IS NOT NULL) AS cat_is,
           CASE e.action WHEN 'filed' THEN e.details->>'division' ELSE e.details->>'to' END AS div_v,
           e.action = 'set_division' OR (e.action = 'filed' AND e.details->>'division' IS NOT NULL) AS div_is,
           CASE e.action WHEN 'filed' THEN e.details->>'priority' ELSE e.details->>'to' END AS pri_v,
           e.action = 'set_priority' OR (e.action = 'filed' AND e.details->>'priority' IS NOT NULL) AS pri_is,
           e.details->>'to' AS asg_v,
           coalesce(e.details ? 'due_resolution_at', false) AS due_is,
           (e.details->>'due_first_response_at')::timestamptz AS dfr_v,
           (e.details->>'due_resolution_at')::timestamptz AS dr_v,
           (e.details->>'level')::smallint AS lvl_v,
           s.school_id, s.cat, s.div, s.pri, s.asg, s.dfr, s.dr
      FROM issue_events e JOIN start s ON s.id = e.issue_id),
run AS (                -- each field's settings so far
    SELECT ev.*,
           count(*) OVER w AS nth,
           array_agg(to_status) FILTER (WHERE to_status IS NOT NULL) OVER w AS st_set,
           array_agg(cat_v) FILTER (WHERE cat_is) OVER w AS cat_set,
           array_agg(div_v) FILTER (WHERE div_is) OVER w AS div_set,
           array_agg(pri_v) FILTER (WHERE pri_is) OVER w AS pri_set,
           array_agg(asg_v) FILTER (WHERE action = 'set_assignee') OVER w AS asg_set,
           array_agg(dfr_v) FILTER (WHERE due_is) OVER w AS dfr_set,
           array_agg(dr_v) FILTER (WHERE due_is) OVER w AS dr_set,
           pg_temp.escalation_levels(lvl_v) FILTER (WHERE action IN ('escalate', 'escalated'))
               OVER w AS lvl
      FROM ev
    WINDOW w AS (PARTITION BY issue_id ORDER BY id)),
state AS (              -- the state after each event, and whether the event changed it:
                        -- a field it sets now differs from its value before
    SELECT issue_id, id, at, action, school_id, nth = 1 AS first,
           coalesce(st_set[cardinality(st_set)], 'new') AS status,
           CASE WHEN cardinality(cat_set) > 0 THEN cat_set[cardinality(cat_set)] ELSE cat END AS category,
           CASE WHEN cardinality(div_set) > 0 THEN div_set[cardinality(div_set)] ELSE div END AS division,
           CASE WHEN cardinality(pri_set) > 0 THEN pri_set[cardinality(pri_set)] ELSE pri END AS priority,
           CASE WHEN cardinality(asg_set) > 0 THEN asg_set[cardinality(asg_set)] ELSE asg END AS assignee,
           lvl[2] AS escalation_level,
           CASE WHEN cardinality(dfr_set) > 0 THEN dfr_set[cardinality(dfr_set)] ELSE dfr END
               AS due_first_response_at,
           CASE WHEN cardinality(dr_set) > 0 THEN dr_set[cardinality(dr_set)] ELSE dr END
               AS due_resolution_at,
           (to_status IS NOT NULL AND to_status IS DISTINCT FROM
                coalesce(st_set[cardinality(st_set) - 1], 'new'))
           OR (cat_is AND cat_v IS DISTINCT FROM
                (CASE WHEN cardinality(cat_set) > 1 THEN cat_set[cardinality(cat_set) - 1] ELSE cat END))
           OR (div_is AND div_v IS DISTINCT FROM
                (CASE WHEN cardinality(div_set) > 1 THEN div_set[cardinality(div_set) - 1] ELSE div END))
           OR (pri_is AND pri_v IS DISTINCT FROM
                (CASE WHEN cardinality(pri_set) > 1 THEN pri_set[cardinality(pri_set) - 1] ELSE pri END))
           OR (action = 'set_assignee' AND asg_v IS DISTINCT FROM
                (CASE WHEN cardinality(asg_set) > 1 THEN asg_set[cardinality(asg_set) - 1] ELSE asg END))
           OR (action IN ('escalate', 'escalated') AND lvl[1] IS DISTINCT FROM lvl[2])
           OR (due_is AND (dfr_v, dr_v) IS DISTINCT FROM
                (CASE WHEN cardinality(dfr_set) > 1 THEN dfr_set[cardinality(dfr_set) - 1] ELSE dfr END,
                 CASE WHEN cardinality(dr_set) > 1 THEN dr_set[cardinality(dr_set) - 1] ELSE dr END))
               AS changed
      FROM run),
bnd AS (                -- opens a stretch; counts for the stretch's resolved_here
    SELECT state.*,
           first OR (changed AND at > max(at) FILTER (WHERE first OR changed)
                                      OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
               AS opens,
           action = 'resolve' AND (first OR changed) AS resolves
      FROM state
    WINDOW w AS (PARTITION BY issue_id ORDER BY id)),
marks AS (              -- the last event of each stretch carries its state; the stretch
                        -- began at the latest opening and was resolved_here when a
                        -- resolution counted since
    SELECT bnd.*,
           coalesce(lead(opens) OVER w, true) AS last_of_stretch,
           max(at) FILTER (WHERE opens) OVER w AS valid_from,
           coalesce(max(id) FILTER (WHERE resolves) OVER w, 0)
               >= max(id) FILTER (WHERE opens) OVER w AS resolved_here
      FROM bnd
    WINDOW w AS (PARTITION BY issue_id ORDER BY id))
SELECT issue_id, school_id, valid_from,
       lead(valid_from) OVER (PARTITION BY issue_id ORDER BY id) AS valid_to,
       status, category, division, priority, assignee, escalation_level,
       due_first_response_at, due_resolution_at, resolved_here
  FROM marks
 WHERE last_of_stretch;
\endif

\if :step_check
-- About :sample issues (every k-th) made again by the production replay, in a transaction
-- that is rolled back; the cast stops the load when any stretch differs.
BEGIN;
CREATE TEMP TABLE sample AS
SELECT id FROM issues WHERE id % greatest(1, (SELECT count(*) FROM issues) / :sample) = 0;
CREATE TEMP TABLE kept AS
SELECT st.* FROM issue_states st JOIN sample s ON s.id = st.issue_id;
SELECT count(issue_states_rebuild(id)) AS rebuilt FROM sample \gset
CREATE TEMP TABLE differ AS
(SELECT * FROM kept EXCEPT SELECT st.* FROM issue_states st JOIN sample s ON s.id = st.issue_id)
UNION ALL
(SELECT st.* FROM issue_states st JOIN sample s ON s.id = st.issue_id EXCEPT SELECT * FROM kept);
SELECT count(*) AS differ, (SELECT count(*) FROM kept) AS kept FROM differ \gset
\echo issue_states check: :rebuilt issues made again by issue_states_rebuild, :kept stretches, :differ differ
SELECT CAST('load_issues.sql: set-based issue_states differ from issue_states_rebuild: '
            || count(*) AS integer) AS stop_here FROM differ HAVING count(*) > 0;
ROLLBACK;
\endif

\if :step_finish
-- The rule 0009's trigger enforces row by row, checked once for all rows: no duplicate of
-- a duplicate, no duplicate that others point at.
-- (The cast fails, and stops the script, only when there is one.)
SELECT CAST('load_issues.sql: duplicates of a duplicate: ' || count(*) AS integer) AS stop_here
  FROM issues d JOIN issues t ON t.id = d.duplicate_of
 WHERE t.duplicate_of IS NOT NULL HAVING count(*) > 0;
ALTER TABLE issues ENABLE TRIGGER issues_no_duplicate_chain;
ALTER TABLE issue_events ENABLE TRIGGER issue_events_school;
ALTER TABLE issue_events ENABLE TRIGGER issue_states_follow_history;
ALTER TABLE issue_events ENABLE TRIGGER issue_events_notify;
ALTER TABLE issue_events ENABLE TRIGGER issue_events_to_webhooks;
DROP SCHEMA bench CASCADE;
\endif
