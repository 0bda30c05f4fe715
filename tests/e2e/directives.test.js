// directives.test.js -- ratings and directives (docs/ratings-and-directives.md) as the
// people concerned see them: a principal confirms a resolution and must rate it, rates it
// 2 with a comment, and the history shows "★ 2/5"; a supervisor finds it among the low
// ratings, in the notifications and in the monthly report. An officer sends a directive to
// cluster CM01 (the clusters ticked are required), TH001's principal is told, finds it on
// the home and acknowledges it; the officer sees TH001 acknowledged and the others pending,
// and the cluster leader the same. A school that has not acknowledged a directive is
// reminded once its days have passed, and the officer sees when. Once in Vietnamese, once
// in English; every screen on a 390 px phone and a 1366 px desktop, axe-core on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean,
  sendJson, sql, look } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);

// What the test reads on the screens, per language.
const TEXT = {
  vi: {
    chooseRating: 'Hãy chọn một mức từ 1 đến 5.',
    lowTold: 'Nhà trường đánh giá thấp kết quả giải quyết',
    comment: 'Sở mới gửi công văn, sách vẫn chưa về trường.',
    directiveTold: 'Sở gửi văn bản chỉ đạo mới cho trường',
    title: `Hướng dẫn kiểm tra an toàn trường học trước mùa mưa bão ${STAMP}`,
    body: 'Các trường rà soát mái, tường rào, cây xanh và hệ thống điện; lập biên bản và gửi về Sở trước ngày 15.\nHiệu trưởng chịu trách nhiệm trước Sở về an toàn của học sinh.',
    required: 'Mục này bắt buộc.',
    acked: 'Đã nhận',
    pending: 'Chưa xác nhận',
    ackedCount: (n) => `đã xác nhận 1/${n} trường`,
  },
  en: {
    chooseRating: 'Choose a rating from 1 to 5.',
    lowTold: 'A school gave a resolution a low rating',
    comment: 'Only a letter was sent; the books have still not arrived.',
    directiveTold: 'The Department sent the school a new directive',
    title: `Safety checks before the storm season ${STAMP}`,
    body: 'Schools check roofs, fences, trees and wiring, write a report and send it to the Department before the 15th.',
    required: 'This is required.',
    acked: 'Received',
    pending: 'Not acknowledged',
    ackedCount: (n) => `1 of ${n} schools acknowledged`,
  },
};

// A school's issue, resolved by the primary division's officer through the API.
async function resolvedIssue(principalLogin, title) {
  const school = await openPage(browser, { viewport: PHONE });
  await signIn(school, principalLogin);
  const issue = await sendJson(school, 'POST', '/api/issues', { category: 'SACH-GIAO-KHOA', title,
    description: 'Trường còn thiếu 40 cuốn sách Toán lớp 3; nhà xuất bản hẹn giao nhưng chưa giao.' });
  await school.context().close();
  assert.match(issue.ref, /^HT-/);
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.gdth1');
  await sendJson(officer, 'POST', `/api/issues/${issue.ref}/actions`, { action: 'triage' });
  const resolved = await sendJson(officer, 'POST', `/api/issues/${issue.ref}/actions`,
    { action: 'resolve', note: 'Sở đã đề nghị nhà xuất bản giao bổ sung sách trong tuần.' });
  assert.equal(resolved.status, 'resolved');
  await officer.context().close();
  return issue.ref;
}

for (const lang of ['vi', 'en']) {
  test(`a principal rates a resolution 2, a supervisor finds it among the low ratings (${lang})`, async () => {
    const L = TEXT[lang];
    const ref = await resolvedIssue(lang === 'vi' ? 'ht.th020' : 'ht.th021', `Thiếu sách Toán lớp 3 ${lang} ${STAMP}`);

    // The principal, on her phone, must say how well it was solved.
    const principal = await openPage(browser, { viewport: PHONE, lang });
    await signIn(principal, lang === 'vi' ? 'ht.th020' : 'ht.th021');
    await principal.goto(`${BASE}/issues/${ref}`);
    await ready(principal);
    const form = principal.locator('form[data-action=confirm]');
    await form.locator('.rating-field').waitFor();
    await form.locator('button[type=submit]').click();
    await form.locator('[data-field=rating] .field-error', { hasText: L.chooseRating }).waitFor();
    await look(principal, 'issue-confirm-rating-required', lang);
    await form.locator('input[name=rating][value="2"]').check();
    await form.locator('[data-field=note] textarea').fill(L.comment);
    await look(principal, 'issue-confirm-rating', lang);
    await form.locator('button[type=submit]').click();
    const confirmed = principal.locator('.timeline .event-confirm');
    await confirmed.waitFor();
    assert.ok((await confirmed.locator('.rating-badge').innerText()).includes('★ 2/5'));
    assert.ok((await confirmed.innerText()).includes(L.comment));
    await principal.locator('.issue-head .status-closed').waitFor();
    await look(principal, 'issue-confirmed-rated', lang);
    assertClean(principal);
    await principal.context().close();

    // A supervisor: the low ratings, the notification, the report's section.
    const supervisor = await openPage(browser, { viewport: DESKTOP, lang });
    await signIn(supervisor, 'giamsat1');
    await supervisor.goto(`${BASE}/ratings`);
    await ready(supervisor);
    const card = supervisor.locator('.rating-card', { hasText: ref });
    await card.waitFor();
    assert.ok((await card.innerText()).includes(L.comment));
    await card.locator('.rating-badge.rating-low').waitFor();
    await look(supervisor, 'ratings-low', lang);
    await supervisor.goto(`${BASE}/notifications`);
    await ready(supervisor);
    const told = supervisor.locator('.notif', { hasText: ref }).filter({ hasText: L.lowTold });
    await told.waitFor();
    assert.equal(await told.locator('a.card-link').getAttribute('href'), `/issues/${ref}`);
    await look(supervisor, 'notifications-low-rating', lang);
    await supervisor.goto(`${BASE}/report`);
    await ready(supervisor);
    const section = supervisor.locator('.report-ratings');
    await section.waitFor();
    assert.ok(Number(await section.locator('.figure.bad .figure-n').innerText()) >= 1, 'the low rating is counted');
    await section.locator('table.report-rating-list tbody tr').first().waitFor();
    await section.scrollIntoViewIfNeeded();
    await look(supervisor, 'report-ratings', lang);
    assertClean(supervisor);
    await supervisor.context().close();
  });

  test(`a directive to cluster CM01, acknowledged by TH001, followed by the officer (${lang})`, async () => {
    const L = TEXT[lang];
    const officer = await openPage(browser, { viewport: DESKTOP, lang });
    await signIn(officer, 'cb.gdth1');
    await officer.goto(`${BASE}/directives`);
    await ready(officer);
    await officer.locator('details.new-directive > summary').click();
    const form = officer.locator('form.directive-form');
    await form.locator('[data-field=title] input').fill(L.title);
    await form.locator('[data-field=body] textarea').fill(L.body);
    assert.equal(await form.locator('[data-field=remind_after_days] input').inputValue(), '3');
    // Chosen clusters, none ticked: said on the clusters' field.
    await form.locator('.audience-choice input[value=clusters]').check();
    await form.locator('button[type=submit]').click();
    await form.locator('[data-field=clusters] .field-error', { hasText: L.required }).waitFor();
    await form.locator('.cluster-choice input[value=CM01]').check();
    await look(officer, 'directive-new', lang);
    await form.locator('button[type=submit]').click();
    await officer.waitForURL(/\/directives\/\d+$/);
    await ready(officer);
    const directiveId = officer.url().split('/').pop();
    const rows = officer.locator('table.school-acks tbody tr');
    await rows.first().waitFor();
    const schools = await rows.count();
    assert.ok(schools > 1, 'CM01 has several schools');
    assert.equal(await officer.locator('table.school-acks tbody tr.pending').count(), schools, 'none acknowledged yet');

    // TH001's principal is told, and the home says a directive waits.
    const principal = await openPage(browser, { viewport: PHONE, lang });
    await signIn(principal, 'ht.th001');
    await principal.goto(`${BASE}/notifications`);
    await ready(principal);
    const told = principal.locator('.notif', { hasText: L.title }).filter({ hasText: L.directiveTold });
    await told.waitFor();
    assert.equal(await told.locator('a.card-link').getAttribute('href'), `/directives/${directiveId}`);
    await look(principal, 'notifications-directive', lang);
    await principal.goto(`${BASE}/`);
    await ready(principal);
    const notice = principal.locator('.directive-notice');
    await notice.waitFor();
    await look(principal, 'principal-home-directive', lang);
    await notice.locator('a').click();
    await principal.waitForURL('**/directives');
    await ready(principal);
    const card = principal.locator('.directive-card.unacknowledged', { hasText: L.title });
    await card.waitFor();
    await look(principal, 'directives-principal', lang);
    await card.locator('.card-link').click();
    await principal.waitForURL(`**/directives/${directiveId}`);
    await ready(principal);
    assert.equal(await principal.locator('table.school-acks').count(), 0, 'a school does not see the others');
    await look(principal, 'directive-principal', lang);
    await principal.locator('button.acknowledge').click();
    await principal.locator('.ack-notice.done').waitFor();
    await look(principal, 'directive-acknowledged', lang);
    assertClean(principal);
    await principal.context().close();

    // The officer: TH001 acknowledged, every other school pending, those first.
    await officer.reload();
    await ready(officer);
    await officer.locator('table.school-acks tbody tr').first().waitFor();
    const th001 = officer.locator('table.school-acks tbody tr[data-school=TH001]');
    assert.ok((await th001.getAttribute('class')).includes('acked'));
    assert.ok((await th001.innerText()).includes(L.acked));
    assert.equal(await officer.locator('table.school-acks tbody tr.pending').count(), schools - 1);
    const states = await officer.locator('table.school-acks tbody tr').evaluateAll((trs) => trs.map((tr) => tr.className));
    assert.equal(states[states.length - 1], 'acked', 'the schools pending come first');
    assert.ok((await officer.locator('.directive-schools .ack-count').innerText()).includes(L.ackedCount(schools)));
    await look(officer, 'directive-schools-officer', lang);
    await officer.locator('.directive-schools input[type=checkbox]').check();
    await officer.locator('table.school-acks tbody tr[data-school=TH001]').waitFor({ state: 'detached' });
    assert.equal(await officer.locator('table.school-acks tbody tr').count(), schools - 1);
    await screenshot(officer, `directive-schools-pending-only-${lang}-1366`);
    await officer.goto(`${BASE}/directives`);
    await ready(officer);
    const listed = officer.locator('.directive-card', { hasText: L.title });
    assert.ok((await listed.innerText()).includes(L.ackedCount(schools)));
    await look(officer, 'directives-officer', lang);
    assertClean(officer);
    await officer.context().close();

    // The cluster leader sees the cluster's schools too.
    const leader = await openPage(browser, { viewport: PHONE, lang });
    await signIn(leader, 'ct.cm01');
    await leader.goto(`${BASE}/directives/${directiveId}`);
    await ready(leader);
    await leader.locator('table.school-acks tbody tr[data-school=TH001]').waitFor();
    await look(leader, 'directive-cluster-leader', lang);
    assertClean(leader);
    await leader.context().close();
  });
}

test('a school that has not acknowledged is reminded once its days have passed, and the officer sees when', async () => {
  const officer = await openPage(browser, { viewport: DESKTOP, lang: 'vi' });
  await signIn(officer, 'cb.gdth1');
  const title = `Báo cáo số học sinh bỏ học học kỳ I ${STAMP}`;
  const sent = await sendJson(officer, 'POST', '/api/directives', { title,
    body: 'Các trường gửi số học sinh bỏ học về Sở trước ngày 10.',
    clusters: ['CM12'], remind_after_days: 1 });
  assert.ok(sent.id, JSON.stringify(sent));
  // Two days pass, and the sweep runs its reminder as it does every minute.
  sql(`BEGIN;
       UPDATE directives SET sent_at = now() - interval '2 days' WHERE id = ${sent.id};
       SELECT set_config('directline.context', 'sweep', true), set_config('directline.reads', 'all', true),
              set_config('directline.writes', 'all', true), set_config('directline.internal', 'on', true);
       SELECT dl_directives_remind(now());
       COMMIT;`);

  for (const lang of ['vi', 'en']) {
    const principal = await openPage(browser, { viewport: PHONE, lang });
    await signIn(principal, 'ht.th250');
    await principal.goto(`${BASE}/notifications`);
    await ready(principal);
    const reminder = principal.locator('.notif', { hasText: title }).filter({
      hasText: lang === 'vi' ? 'Nhắc: trường chưa xác nhận' : 'Reminder: the school has not acknowledged' });
    await reminder.waitFor();
    assert.equal(await reminder.locator('a.card-link').getAttribute('href'), `/directives/${sent.id}`);
    await look(principal, 'notifications-directive-reminder', lang);
    assertClean(principal);
    await principal.context().close();
  }

  await officer.goto(`${BASE}/directives/${sent.id}`);
  await ready(officer);
  const row = officer.locator('table.school-acks tbody tr[data-school=TH250]');
  await row.waitFor();
  assert.match(await row.innerText(), /Đã nhắc lúc/);
  await look(officer, 'directive-reminded-officer', 'vi');
  assertClean(officer);
  await officer.context().close();
});
