// meetings.test.js -- meetings and their decisions (docs/meetings.md) as the people
// concerned see them: an officer ticks two issues in the monthly report and makes the
// meeting's agenda of them, records what the meeting decided on one (a due day before the
// meeting is refused on its field), finds the decision on the issue's page and in the
// queue's strip; the issue's principal finds it on her issue and in her notifications;
// the officer marks it done and prints the agenda. Once in Vietnamese, once in English;
// every screen on a 390 px phone and a 1366 px desktop, axe-core on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS, BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean,
  sendJson, look } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);

// What the test reads on the screens, per language.
const TEXT = {
  vi: {
    make: /Lập chương trình họp \(2 vấn đề\)/,
    title: (month) => `Giao ban hiệu trưởng tháng ${month}`,
    open: 'Đang thực hiện',
    doneOnTime: 'Đã thực hiện đúng hạn',
    beforeMeeting: 'Hạn phải từ ngày họp trở đi.',
    strip: /Quyết định cuộc họp đang theo dõi: \d+/,
    told: 'Cuộc họp của Sở đã quyết định về vấn đề của trường',
    toldDone: 'Quyết định của cuộc họp về vấn đề đã được thực hiện',
    assigned: 'Bạn hoặc phòng bạn được giao thực hiện quyết định của cuộc họp',
    decisions: 'Quyết định từ các cuộc họp',
    printHeading: /Chương trình|chương trình/,
    body: `Phòng GDTH làm việc với nhà xuất bản để cấp bù sách cho trường trước ngày hẹn ${STAMP}`,
    doneNote: 'Nhà xuất bản đã giao đủ sách; trường đã xác nhận qua điện thoại.',
  },
  en: {
    make: /Make a meeting agenda \(2 ticked\)/,
    title: (month) => `Principals' meeting ${month}`,
    open: 'Open',
    doneOnTime: 'Done on time',
    beforeMeeting: "The due day must be on or after the meeting's day.",
    strip: /Meetings' decisions to follow up: \d+/,
    told: 'A Department meeting decided on your issue',
    toldDone: "The meeting's decision on your issue was carried out",
    assigned: "A meeting's decision was given to you or your division",
    decisions: 'Decisions from the last meetings',
    printHeading: /Agenda|agenda/,
    body: `The primary division gets the publisher to send the missing books before the agreed day ${STAMP}e`,
    doneNote: 'The publisher delivered the books; the school confirmed by phone.',
  },
};

// Calendar days in Ha Tinh, as the app's date fields take them.
function haTinhDay(offsetDays = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

// The month after this one, as the default title writes it (MM/YYYY).
function nextMonth() {
  const [y, m] = haTinhDay().split('-').map(Number);
  return m === 12 ? `01/${y + 1}` : `${String(m + 1).padStart(2, '0')}/${y}`;
}

// A principal files an issue for the primary division and gets its reference.
async function fileAs(login, title) {
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, login);
  const issue = await sendJson(page, 'POST', '/api/issues', { category: 'SACH-GIAO-KHOA', title,
    description: 'Trường còn thiếu 30 cuốn sách giáo khoa Tiếng Việt lớp 1 cho năm học này.' });
  await page.context().close();
  assert.match(issue.ref, /^HT-/);
  return issue.ref;
}

// Finds an issue in the report's list by typing its reference in the list's search box
// (only its row stays), and ticks it.
async function tick(page, ref) {
  await page.locator('.list-filter input').fill(ref.toLowerCase());
  const rows = page.locator('table.report-list tbody tr');
  await rows.filter({ hasText: ref }).first().waitFor();
  assert.equal(await rows.count(), 1, `searching ${ref} leaves other rows in the list`);
  await rows.first().locator('td.pick input[type=checkbox]').check();
}

for (const lang of ['vi', 'en']) {
  test(`a meeting from the report, its decision followed to the school and done (${lang})`, async () => {
    const L = TEXT[lang];
    const refA = await fileAs('ht.th001', `Thiếu sách Tiếng Việt lớp 1 ${lang} ${STAMP}`);
    const refB = await fileAs('ht.th002', `Chưa nhận sách Tiếng Việt lớp 1 ${lang} ${STAMP}`);

    // The officer, at a desk: the report's list, two issues ticked, the bar counts them.
    const officer = await openPage(browser, { viewport: DESKTOP, lang });
    await signIn(officer, 'cb.gdth1');
    await officer.goto(`${BASE}/report`);
    await ready(officer);
    await officer.locator('table.report-list tbody tr').first().waitFor();
    await tick(officer, refA);
    await tick(officer, refB);
    // The search cleared, the whole list is back and both ticks stand.
    await officer.locator('.list-filter input').fill('');
    assert.ok(await officer.locator('table.report-list tbody tr').count() > 1, 'the list stays filtered');
    const make = officer.locator('.agenda-bar button.make-agenda');
    assert.match(await make.innerText(), L.make);
    await look(officer, 'meetings-report-ticked', lang);

    // The bar asks the day and the title (next month's principals' meeting by default).
    await make.click();
    const dialog = officer.locator('dialog.agenda-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.locator('[data-field=title] input').inputValue(), L.title(nextMonth()));
    const title = `${L.title(nextMonth())} ${STAMP}`;
    await dialog.locator('[data-field=title] input').fill(title);
    await dialog.locator('[data-field=held_on] input').fill(haTinhDay());
    // A modal dialog over the page: what the screen shows, not the whole page.
    for (const viewport of [PHONE, DESKTOP]) {
      await officer.setViewportSize(viewport);
      await officer.screenshot({ path: path.join(ARTIFACTS, `meetings-report-dialog-${lang}-${viewport.width}.png`) });
    }
    assert.deepEqual(await axe(officer), [], 'axe-core on the agenda dialog');
    await dialog.locator('button[type=submit]').click();
    await officer.waitForURL(/\/meetings\/\d+$/);
    await ready(officer);
    const meetingUrl = officer.url();

    // The meeting's page: the agenda holds both issues, in the report's order.
    const agenda = officer.locator('.agenda-list > li');
    assert.equal(await agenda.count(), 2);
    const agendaText = await officer.locator('.agenda-list').innerText();
    assert.ok(agendaText.includes(refA) && agendaText.includes(refB), 'the agenda lacks a ticked issue');
    assert.equal(await officer.locator('h1').innerText(), title);

    // A decision due before the meeting is refused on its field, in words.
    officer.record.expectedStatuses.add(400);
    const form = officer.locator('form.decision-form');
    await form.locator('[data-field=body] textarea').fill(L.body);
    await form.locator('.decision-issue', { hasText: refA }).locator('input').check();
    assert.equal(await form.locator('[data-field=division] select').inputValue(), 'GDTH');
    await form.locator('[data-field=due_on] input').fill(haTinhDay(-1));
    await form.locator('button[type=submit]').click();
    await form.locator('[data-field=due_on] .field-error', { hasText: L.beforeMeeting }).waitFor();
    await screenshot(officer, `meeting-decision-refused-${lang}-1366`);

    // Due in three days, given to the division's other officer: recorded, shown open.
    await form.locator('[data-field=due_on] input').fill(haTinhDay(3));
    await form.locator('[data-field=responsible] select').selectOption('cb.gdth2');
    await form.locator('button[type=submit]').click();
    const card = officer.locator('.decision-list .decision-card', { hasText: L.body });
    await card.waitFor();
    assert.ok((await card.locator('.badge').first().innerText()).includes(L.open));
    assert.ok((await card.innerText()).includes(refA));
    await look(officer, 'meeting-page', lang);

    // The issue's page says what the meeting decided, in a panel and in the timeline.
    await officer.goto(`${BASE}/issues/${refA}`);
    await ready(officer);
    await officer.locator('.decisions-panel .decision-card', { hasText: L.body }).waitFor();
    await officer.locator('.timeline .event-decision', { hasText: title }).waitFor();
    await look(officer, 'issue-decision-officer', lang);

    // The queue's strip counts the open decisions; the issue's row carries the badge.
    await officer.goto(`${BASE}/queue`);
    await ready(officer);
    const strip = officer.locator('.decision-strip');
    await strip.waitFor();
    assert.match(await strip.locator('summary').innerText(), L.strip);
    await strip.locator('summary').click();
    await strip.locator('.strip-list li', { hasText: L.body }).waitFor();
    await officer.locator('table.queue tbody tr', { hasText: refA }).locator('.decision-badge').waitFor();
    await look(officer, 'queue-decisions', lang);

    // The officer named responsible is told, with a link to the meeting.
    const colleague = await openPage(browser, { viewport: PHONE, lang });
    await signIn(colleague, 'cb.gdth2');
    await colleague.goto(`${BASE}/notifications`);
    await ready(colleague);
    const assigned = colleague.locator('.notif', { hasText: L.assigned }).first();
    await assigned.waitFor();
    assert.equal(await assigned.locator('a.card-link').getAttribute('href'), new URL(meetingUrl).pathname);
    await look(colleague, 'notifications-decision-officer', lang);
    assertClean(colleague);
    await colleague.context().close();

    // The principal of the issue, on her phone: the decision on her issue, and told of it.
    const principal = await openPage(browser, { viewport: PHONE, lang });
    await signIn(principal, 'ht.th001');
    await principal.goto(`${BASE}/notifications`);
    await ready(principal);
    const told = principal.locator('.notif', { hasText: refA }).filter({ hasText: L.told });
    await told.waitFor();
    await look(principal, 'notifications-decision-principal', lang);
    await told.locator('a.card-link').click();
    await principal.waitForURL(`**/issues/${refA}`);
    await ready(principal);
    const seen = principal.locator('.decisions-panel .decision-card', { hasText: L.body });
    await seen.waitFor();
    assert.ok((await seen.innerText()).includes(title), 'the school does not see which meeting decided');
    assert.equal(await seen.locator(`a[href^="/meetings/"]`).count(), 0, 'a school is offered the meeting page');
    await look(principal, 'issue-decision-principal', lang);

    // The officer marks it done, with a note: done on time.
    await officer.goto(meetingUrl);
    await ready(officer);
    const decision = officer.locator('.decision-list .decision-card', { hasText: L.body });
    await decision.locator('button.dec-action-done').click();
    await decision.locator('form[data-decision-action=done] textarea').fill(L.doneNote);
    await decision.locator('form[data-decision-action=done] button[type=submit]').click();
    const doneCard = officer.locator('.decision-list .decision-card-done_on_time', { hasText: L.body });
    await doneCard.waitFor();
    assert.ok((await doneCard.innerText()).includes(L.doneOnTime));
    assert.ok((await doneCard.innerText()).includes(L.doneNote));
    await doneCard.locator('button.dec-action-reopen').waitFor();
    await look(officer, 'meeting-decision-done', lang);

    // The school is told, and reads the note on her issue.
    await principal.goto(`${BASE}/notifications`);
    await ready(principal);
    await principal.locator('.notif', { hasText: refA }).filter({ hasText: L.toldDone }).first().waitFor();
    await principal.goto(`${BASE}/issues/${refA}`);
    await ready(principal);
    await principal.locator('.decisions-panel .decision-card-done_on_time', { hasText: L.doneNote }).waitFor();
    await principal.locator('.timeline .event-decision_done').waitFor();
    await look(principal, 'issue-decision-done-principal', lang);
    assertClean(principal);
    await principal.context().close();

    // The printable agenda opens in a new tab with both issues, and its own style may apply:
    // under the server's default Content-Security-Policy (default-src 'none') an inline
    // <style> is refused and the page prints unstyled.
    const [print] = await Promise.all([officer.waitForEvent('popup'), officer.locator('a.print-agenda').click()]);
    await print.waitForLoadState();
    const asServed = await officer.request.get(print.url());
    if ((await asServed.text()).includes('<style')) {
      assert.match(asServed.headers()['content-security-policy'] || '', /style-src/, 'the printed agenda\'s style is refused');
    }
    assert.ok(new URL(print.url()).pathname.endsWith('/agenda'));
    assert.equal(new URL(print.url()).searchParams.get('lang'), lang);
    const printed = await print.locator('body').innerText();
    assert.ok(printed.includes(refA) && printed.includes(refB), 'the printed agenda lacks an issue');
    await print.setViewportSize(DESKTOP);
    await screenshot(print, `meeting-agenda-print-${lang}-1366`);
    await print.close();

    // The list of meetings; the report's section of decisions.
    await officer.goto(`${BASE}/meetings`);
    await ready(officer);
    const row = officer.locator('table.meetings tbody tr', { hasText: title });
    await row.waitFor();
    await look(officer, 'meetings-list', lang);
    await officer.goto(`${BASE}/report`);
    await ready(officer);
    const section = officer.locator('.report-decisions', { hasText: L.decisions });
    await section.locator('tr', { hasText: L.body }).waitFor();
    await section.scrollIntoViewIfNeeded();
    await look(officer, 'report-decisions', lang);
    assertClean(officer, { allow: ['status of 400', `/api/meetings/${meetingUrl.split('/').pop()}/decisions`] });
    await officer.context().close();
  });
}

test('a cluster meeting made by hand, an issue typed by reference, a wrong one refused, a decision changed, done and reopened', async () => {
  const ref = await fileAs('ht.th003', `Thiếu tài liệu dạy học lớp 2 ${STAMP}`);
  const officer = await openPage(browser, { viewport: PHONE });
  await signIn(officer, 'cb.gdth1');
  await officer.goto(`${BASE}/meetings`);
  await ready(officer);
  await officer.locator('details.new-meeting summary').click();
  const form = officer.locator('form.meeting-form');
  await form.locator('[data-field=kind] select').selectOption('cluster');
  await form.locator('[data-field=cluster] select').waitFor();
  await form.locator('[data-field=title] input').fill(`Họp cụm tháng này ${STAMP}`);
  await look(officer, 'meetings-new', 'vi');
  await form.locator('button[type=submit]').click();
  await officer.waitForURL(/\/meetings\/\d+$/);
  await ready(officer);
  await officer.locator('.agenda-panel', { hasText: 'Chương trình họp chưa có vấn đề nào.' }).waitFor();

  // The agenda gets the issue by its reference, typed in lower case.
  await officer.locator('form.agenda-add input').fill(ref.toLowerCase());
  await officer.locator('form.agenda-add button[type=submit]').click();
  await officer.locator('.agenda-list > li', { hasText: ref }).waitFor();

  // A decision naming an issue that does not exist is refused on the issues' field.
  officer.record.expectedStatuses.add(400);
  const record = officer.locator('form.decision-form');
  await record.locator('[data-field=body] textarea').fill(`Cụm tổ chức sinh hoạt chuyên môn chung ${STAMP}`);
  await record.locator('.decision-issues input:not([type=checkbox])').fill(`${ref} HT-2026-999999`);
  await record.locator('[data-field=due_on] input').fill(haTinhDay(7));
  await record.locator('button[type=submit]').click();
  await record.locator('[data-field=issues] .field-error', { hasText: 'Không có vấn đề mang mã này: HT-2026-999999' }).waitFor();
  await screenshot(officer, 'meeting-decision-unknown-issue-vi-390');
  await record.locator('.decision-issues input:not([type=checkbox])').fill(ref);
  await record.locator('button[type=submit]').click();
  const card = officer.locator('.decision-list .decision-card', { hasText: STAMP });
  await card.waitFor();
  await look(officer, 'meeting-cluster', 'vi');

  // Its due day moved; done without a note; reopened, which needs one.
  await card.locator('button.dec-action-change').click();
  await card.locator('form[data-decision-action=change] [data-field=due_on] input').fill(haTinhDay(10));
  await screenshot(officer, 'meeting-decision-change-vi-390');
  await card.locator('form[data-decision-action=change] button[type=submit]').click();
  const [y, m, d] = haTinhDay(10).split('-');
  await card.locator('.decision-due', { hasText: `${d}/${m}/${y}` }).waitFor();
  await card.locator('button.dec-action-done').click();
  await card.locator('form[data-decision-action=done] button[type=submit]').click();
  await officer.locator('.decision-card-done_on_time', { hasText: STAMP }).waitFor();
  await card.locator('button.dec-action-reopen').click();
  const reopen = card.locator('form[data-decision-action=reopen]');
  await reopen.locator('button[type=submit]').click();
  await reopen.locator('[data-field=note] .field-error', { hasText: 'Mục này bắt buộc.' }).waitFor();
  await reopen.locator('textarea').fill('Cụm chưa gửi biên bản sinh hoạt chuyên môn.');
  await reopen.locator('button[type=submit]').click();
  await officer.locator('.decision-card-open', { hasText: STAMP }).waitFor();
  await officer.goto(`${BASE}/issues/${ref}`);
  await ready(officer);
  await officer.locator('.timeline .event-decision_reopened', { hasText: 'Cụm chưa gửi biên bản' }).waitFor();
  assertClean(officer, { allow: ['status of 400', '/decisions'] });
  await officer.context().close();
});
