// screens.test.js -- every main screen in both languages: a screenshot saved under the
// build folder, no serious or critical axe-core finding, no console error, failed request
// or other host, nothing wider than the screen, and in English no interface text left
// with Vietnamese letters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, VIETNAMESE, launch, openPage, signIn, ready, screenshot, axe, assertClean,
  visibleInterfaceText, sql } from './lib.js';

let browser;
let issueRef;
let openRef;
let sharedRef;
let cosignedRef;
let parentRef;
let childRef;
let childLogin;
let meetingId;
let proposedPracticeId;
let directiveId;
before(async () => {
  browser = await launch();
  // The principal's issue with the longest history; an open one of the officer's division.
  [[issueRef]] = sql(`SELECT i.ref FROM issues i JOIN schools s ON s.id = i.school_id
    WHERE s.code = 'TH001' ORDER BY (SELECT count(*) FROM issue_events e WHERE e.issue_id = i.id) DESC LIMIT 1`);
  [[openRef]] = sql(`SELECT i.ref FROM issues i JOIN divisions d ON d.id = i.division_id
    WHERE d.code = 'GDTH' AND i.status = 'in_progress'
    ORDER BY (SELECT count(*) FROM issue_events e WHERE e.issue_id = i.id) DESC LIMIT 1`);
  // A problem another school shares that TH001 has not joined, and the one it joined.
  [[sharedRef]] = sql(`SELECT i.ref FROM issues i WHERE i.shared AND NOT (SELECT id FROM schools
    WHERE code = 'TH001') = ANY (i.cosigned_schools) ORDER BY cardinality(i.cosigned_schools) DESC, i.id LIMIT 1`);
  [[cosignedRef]] = sql(`SELECT i.ref FROM issues i WHERE (SELECT id FROM schools WHERE code = 'TH001')
    = ANY (i.cosigned_schools) ORDER BY i.id LIMIT 1`);
  // A systemic problem of the demo's: its main issue, and a linked issue with its principal.
  [[parentRef]] = sql('SELECT ref FROM issues WHERE child_count > 0 ORDER BY id LIMIT 1');
  [[childRef, childLogin]] = sql(`SELECT i.ref, 'ht.' || lower(s.code) FROM issues i
    JOIN schools s ON s.id = i.school_id WHERE i.parent_id IS NOT NULL ORDER BY i.id LIMIT 1`);
  // Sign-in locks to show: one login from one address, and a whole address.
  sql(`INSERT INTO sign_in_failures (login, address, failed_at)
    SELECT 'ht.th042', '203.0.113.7', now() - k * interval '20 seconds' FROM generate_series(1, 12) k
    UNION ALL SELECT 'khong.co.' || k, '198.51.100.9', now() - k * interval '5 seconds' FROM generate_series(1, 50) k`);
  meetingId = await makeMeeting();
  // A school's proposal waiting for review (the demo's), and a directive to TH001's cluster.
  [[proposedPracticeId]] = sql("SELECT id FROM practices WHERE status = 'proposed' ORDER BY id LIMIT 1");
  directiveId = await makeDirective();
});

// A meeting (the demo has none) with the open issue on its agenda and one decision on it,
// made by the officer through the API: the meeting's page, the queue's strip and badge.
async function makeMeeting() {
  const page = await openPage(browser, { viewport: DESKTOP });
  await signIn(page, 'cb.gdth1');
  const id = await page.evaluate(async (ref) => {
    const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
    const me = await (await fetch('/api/me')).json();
    const post = async (path, body) => (await fetch(path, { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: JSON.stringify(body) })).json();
    const meeting = await post('/api/meetings', { kind: 'province', held_on: day(1), title: 'Giao ban hiệu trưởng các trường tiểu học',
      agenda: [ref] });
    await post(`/api/meetings/${meeting.id}/decisions`, { body: 'Phòng GDTH làm việc với nhà trường và báo cáo kết quả.',
      division: 'GDTH', due_on: day(8), issues: [ref] });
    return meeting.id;
  }, openRef);
  await page.context().close();
  return id;
}

// A directive (the demo has none) to cluster CM01, sent by the officer through the API.
async function makeDirective() {
  const page = await openPage(browser, { viewport: DESKTOP });
  await signIn(page, 'cb.gdth1');
  const id = await page.evaluate(async () => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch('/api/directives', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: JSON.stringify({ title: 'Tổ chức ngày hội đọc sách trong tháng này', clusters: ['CM01'],
        body: 'Các trường trong cụm tổ chức ngày hội đọc sách cho học sinh và báo cáo kết quả về Phòng GDTH.' }) });
    return (await r.json()).id;
  });
  await page.context().close();
  return id;
}
after(async () => { await browser?.close(); });

// [name, login (or a function giving it) or null, path, viewport, what shows that the
// screen is ready]
const SCREENS = [
  ['login', null, '/login', PHONE, 'main form'],
  ['principal-home', 'ht.th001', '/', PHONE, 'section[aria-labelledby=others-h] li'],
  ['file-issue', 'ht.th001', '/issues/new', PHONE, 'input[name=category]'],
  ['issue-principal', 'ht.th001', () => `/issues/${issueRef}`, PHONE, '.timeline .event'],
  ['issue-shared', 'ht.th001', () => `/issues/${sharedRef}`, PHONE, '.cosign-panel'],
  ['issue-cosigned', 'ht.th001', () => `/issues/${cosignedRef}`, PHONE, '.joined'],
  ['shared', 'ht.th001', '/shared', PHONE, 'section[aria-labelledby=shared-h] li'],
  ['shared-cluster', 'ct.cm01', '/shared', DESKTOP, 'section[aria-labelledby=shared-h] li'],
  ['issue-shared-officer', 'cb.gdth1', () => `/issues/${sharedRef}`, DESKTOP, '.timeline .event-cosign'],
  ['notifications-principal', 'ht.th001', '/notifications', PHONE, '.notif'],
  ['password', 'ht.th001', '/password', PHONE, 'main form'],
  ['cluster', 'ct.cm01', '/', DESKTOP, '.school-block'],
  ['queue', 'cb.gdth1', '/queue', DESKTOP, 'table.queue tbody tr'],
  ['issue-officer', 'cb.gdth1', () => `/issues/${openRef}`, DESKTOP, '.timeline .event'],
  ['issue-systemic-officer', 'cb.csvc1', () => `/issues/${parentRef}`, DESKTOP, '.systemic-panel .child-row'],
  ['issue-systemic-child', () => childLogin, () => `/issues/${childRef}`, PHONE, '.systemic-panel a'],
  ['notifications-officer', 'cb.gdth1', '/notifications', DESKTOP, '.notif'],
  ['escalations', 'giamsat1', '/escalations', DESKTOP, '.esc-list > *, .notice'],
  ['meetings', 'cb.gdth1', '/meetings', PHONE, 'table.meetings tbody tr'],
  ['meeting', 'cb.gdth1', () => `/meetings/${meetingId}`, DESKTOP, '.decision-card'],
  ['meeting-phone', 'giamsat1', () => `/meetings/${meetingId}`, PHONE, '.decision-card'],
  ['practices', 'ht.th001', '/practices', PHONE, '.practice-card'],
  ['practice-proposed-officer', 'cb.gdth1', () => `/practices/${proposedPracticeId}`, DESKTOP, '.practice-tools'],
  ['directives', 'cb.gdth1', '/directives', DESKTOP, '.directive-card'],
  ['directive-principal', 'ht.th001', () => `/directives/${directiveId}`, PHONE, '.ack-panel, .ack-notice'],
  ['ratings', 'giamsat1', '/ratings?all=true', DESKTOP, '.rating-list > li'],
  ['report', 'giamsat1', '/report', DESKTOP, '.figures'],
  ['report-principal', 'ht.th001', '/report', PHONE, '.figures'],
  ['admin-users', 'admin', '/admin/users', DESKTOP, 'table.queue tbody tr'],
  ['admin-categories', 'admin', '/admin/categories', DESKTOP, 'table.queue tbody tr'],
  ['admin-audit', 'admin', '/admin/audit', DESKTOP, 'table.queue tbody tr'],
  ['admin-locks', 'admin', '/admin/locks', DESKTOP, 'table.queue tbody tr'],
  ['admin-webhooks', 'admin', '/admin/webhooks', DESKTOP, 'table.queue tbody tr'],
];

for (const lang of ['vi', 'en']) {
  for (const [name, login, path, viewport, shown] of SCREENS) {
    test(`${name} (${lang})`, async () => {
      const page = await openPage(browser, { viewport, lang });
      if (login) await signIn(page, typeof login === 'function' ? login() : login);
      await page.goto(BASE + (typeof path === 'function' ? path() : path));
      await page.locator(shown).first().waitFor();
      await ready(page);
      await page.waitForLoadState('networkidle');
      await screenshot(page, `${name}-${lang}-${viewport.width}`);
      // Nothing sticks out sideways (a phone would scroll the whole page left and right).
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= viewport.width,
        'the page is wider than the screen');
      assert.deepEqual(await axe(page), [], 'axe-core: serious or critical violations');
      if (lang === 'en') {
        const leftovers = (await visibleInterfaceText(page)).filter((text) => VIETNAMESE.test(text));
        assert.deepEqual(leftovers, [], 'Vietnamese text left in English');
      }
      assertClean(page);
      await page.context().close();
    });
  }
}

// A detail page whose item is not there says so, with the server's reason, and leads back
// to its list (the 404 is the answer expected, not a failure).
const MISSING = [
  ['/issues/HT-2026-999999', 'Không tìm thấy vấn đề', 'Issue not found', '/'],
  ['/meetings/999999', 'Không tìm thấy cuộc họp', 'Meeting not found', '/meetings'],
  ['/practices/999999', 'Không tìm thấy kinh nghiệm', 'Practice not found', '/practices'],
  ['/directives/999999', 'Không tìm thấy văn bản', 'Directive not found', '/directives'],
];

for (const lang of ['vi', 'en']) {
  test(`a missing issue, meeting, practice or directive (${lang})`, async () => {
    const page = await openPage(browser, { viewport: lang === 'vi' ? PHONE : DESKTOP, lang });
    page.record.expectedStatuses.add(404);
    await signIn(page, 'cb.gdth1');
    for (const [path, vi, en, back] of MISSING) {
      await page.goto(BASE + path);
      await page.locator('main h1').waitFor();
      await ready(page);
      assert.equal((await page.locator('main h1').textContent()).trim(), lang === 'vi' ? vi : en, path);
      assert.ok((await page.locator('main p').first().textContent()).trim().length > 0, `${path}: no reason given`);
      assert.equal(await page.locator('main p a').last().getAttribute('href'), back, `${path}: the way back`);
    }
    await screenshot(page, `missing-directive-${lang}`);
    assertClean(page, { allow: ['status of 404 (Not Found)'] });
    await page.context().close();
  });
}
