// systemic.test.js -- one problem, many schools (docs/dialogue.md, step 2), as the people
// concerned see it: an officer links two schools' issues under a third's, in the app, by
// reference; resolves the main issue once; each school then finds its own issue resolved
// with the same answer, says so in the history, and may confirm or reopen it. A school
// reads the main issue through its own. Screenshots on a phone and a desktop, both
// languages; axe-core on each screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean, act } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);
const ANSWER = 'Nhà xuất bản gửi bù sách giáo khoa Tiếng Anh lớp 3 cho các trường trước ngày 15.';

// A principal's page files an issue through the API and returns its reference.
async function fileByApi(page, title) {
  return page.evaluate(async (text) => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch('/api/issues', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: JSON.stringify({ category: 'SACH-GIAO-KHOA', title: text,
        description: 'Trường còn thiếu 40 cuốn sách giáo khoa Tiếng Anh lớp 3.' }) });
    return (await r.json()).ref;
  }, title);
}

async function fileAs(login, title) {
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, login);
  const ref = await fileByApi(page, title);
  await page.context().close();
  return ref;
}

test('an officer links issues of three schools and answers them once', async () => {
  const parent = await fileAs('ht.th250', `Thiếu sách Tiếng Anh lớp 3 ${STAMP}`);
  const children = [await fileAs('ht.th001', `Trường thiếu sách Tiếng Anh 3 ${STAMP}`),
                    await fileAs('ht.th002', `Chưa nhận đủ sách Tiếng Anh lớp 3 ${STAMP}`)];

  // The officer, at a desk: the main issue offers linking; each reference typed in joins.
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.gdth1');
  await officer.goto(`${BASE}/issues/${parent}`);
  await ready(officer);
  const panel = officer.locator('.systemic-panel');
  await panel.getByText('Chưa có vấn đề nào được gộp').waitFor();
  // The first by its reference, typed as a person might (lower case); the second from the
  // issues of other schools that read alike, which the panel offers.
  await panel.locator('input[name=parent]').fill(children[0].toLowerCase());
  await panel.locator('form').getByRole('button', { name: 'Gộp vào vấn đề này' }).click();
  await officer.locator('.systemic-panel > .child-list > .child-row', { hasText: children[0] }).waitFor();
  await officer.locator('.timeline .event-link').nth(0).waitFor();
  const offered = officer.locator('.systemic-panel .candidates .child-row', { hasText: children[1] });
  await offered.waitFor();
  assert.equal(await officer.locator('.systemic-panel .candidates .child-row', { hasText: children[0] }).count(), 0,
    'an issue already linked is offered again');
  await offered.getByRole('button', { name: 'Gộp vào vấn đề này' }).click();
  await officer.locator('.systemic-panel > .child-list > .child-row', { hasText: children[1] }).waitFor();
  await officer.locator('.timeline .event-link').nth(1).waitFor();
  assert.ok((await panel.innerText()).includes('2 vấn đề đã được gộp vào đây; 3 trường cùng gặp'));
  await officer.locator('.issue-head .systemic-badge', { hasText: 'Vấn đề chung' }).waitFor();
  // A reference that names no issue is refused on the field, in words.
  await panel.locator('input[name=parent]').fill('HT-2026-999999');
  await panel.locator('form').getByRole('button', { name: 'Gộp vào vấn đề này' }).click();
  await panel.locator('.field-error, .form-error', { hasText: /HT-2026-999999/ }).first().waitFor();
  await panel.locator('input[name=parent]').fill('');
  await screenshot(officer, 'systemic-officer-vi-1366');
  assert.deepEqual(await axe(officer), [], 'axe-core on the main issue, officer');

  // On a child's page, taking it out is offered to the main issue's division, not to
  // another division's officer (the server would refuse it).
  await officer.goto(`${BASE}/issues/${children[0]}`);
  await ready(officer);
  await officer.getByRole('button', { name: 'Tách khỏi vấn đề chung' }).waitFor();
  const other = await openPage(browser, { viewport: DESKTOP });
  await signIn(other, 'cb.tccb1');
  await other.goto(`${BASE}/issues/${children[0]}`);
  await ready(other);
  await other.locator('.systemic-panel a', { hasText: parent }).waitFor();
  assert.equal(await other.getByRole('button', { name: 'Tách khỏi vấn đề chung' }).count(), 0,
    'unlinking offered to another division');
  assertClean(other);
  await other.context().close();
  await officer.goto(`${BASE}/issues/${parent}`);
  await ready(officer);

  // The first child's school, on its phone, before the answer: its issue names the main one.
  const school = await openPage(browser, { viewport: PHONE });
  await signIn(school, 'ht.th001');
  await school.goto(`${BASE}/issues/${children[0]}`);
  await ready(school);
  await school.locator('.systemic-panel a', { hasText: parent }).waitFor();
  await screenshot(school, 'systemic-child-vi-390');
  assert.deepEqual(await axe(school), [], 'axe-core on a linked issue, principal');
  // It reads the main issue: its own issue in the list, not the other school's.
  await school.locator('.systemic-panel a', { hasText: parent }).click();
  await school.waitForURL(`${BASE}/issues/${parent}`);
  await school.locator('.systemic-panel .child-row', { hasText: children[0] }).waitFor();
  assert.equal(await school.locator('.systemic-panel .child-row').count(), 1);
  assert.ok((await school.locator('.systemic-panel').innerText()).includes('và 1 vấn đề của trường khác'));
  assert.equal(await school.locator('form[data-action]').count(), 0, 'no action on the main issue');
  await screenshot(school, 'systemic-parent-school-vi-390');

  // The officer answers once.
  await act(officer, 'triage');
  await act(officer, 'resolve', ANSWER);

  // Each school finds its own issue resolved with that answer and may confirm or reopen.
  await school.goto(`${BASE}/issues/${children[0]}`);
  await ready(school);
  const resolved = school.locator('.timeline .event-resolve');
  await resolved.waitFor();
  assert.ok((await resolved.innerText()).includes(ANSWER));
  assert.ok((await resolved.innerText()).includes('Giải quyết cùng vấn đề chung'));
  await school.locator('form[data-action=confirm]').waitFor();
  await school.locator('form[data-action=reopen], button.action-reopen').first().waitFor();
  await screenshot(school, 'systemic-child-resolved-vi-390');
  assertClean(school);
  // The reference refused above: its request, and the browser's console line for it.
  assertClean(officer, { allow: ['HT-2026-999999', 'status of 404'] });
  await school.context().close();
  await officer.context().close();
});

test('the same screens in English', async () => {
  const parent = await fileAs('ht.th250', `English check parent ${STAMP}`);
  const child = await fileAs('ht.th001', `English check child ${STAMP}`);
  const officer = await openPage(browser, { viewport: DESKTOP, lang: 'en' });
  await signIn(officer, 'cb.gdth1');
  await officer.goto(`${BASE}/issues/${parent}`);
  await ready(officer);
  await officer.locator('.systemic-panel input[name=parent]').fill(child);
  await officer.locator('.systemic-panel form').getByRole('button', { name: 'Link under this issue' }).click();
  await officer.locator('.systemic-panel > .child-list > .child-row', { hasText: child }).waitFor();
  assert.ok((await officer.locator('.systemic-panel').innerText())
    .includes('Issues linked under this one: 1. Schools affected: 2.'));
  await screenshot(officer, 'systemic-officer-en-1366');

  const school = await openPage(browser, { viewport: PHONE, lang: 'en' });
  await signIn(school, 'ht.th001');
  await school.goto(`${BASE}/issues/${child}`);
  await ready(school);
  await school.locator('.systemic-panel', { hasText: 'Part of a systemic problem' }).waitFor();
  await school.locator('.issue-head .systemic-badge', { hasText: `Part of ${parent}` }).waitFor();
  await screenshot(school, 'systemic-child-en-390');
  assert.deepEqual(await axe(school), [], 'axe-core on a linked issue, English');

  // The officer lets it go again, from the main issue's list.
  await officer.locator('.systemic-panel > .child-list > .child-row', { hasText: child })
    .getByRole('button', { name: 'Unlink' }).click();
  await officer.locator('.timeline .event-link').waitFor();
  await officer.locator('.systemic-panel', { hasText: 'No issue is linked under this one yet' }).waitFor();
  assertClean(school);
  assertClean(officer);
  await school.context().close();
  await officer.context().close();
});
