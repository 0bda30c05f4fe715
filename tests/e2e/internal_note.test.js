// internal_note.test.js -- an officer's internal note never reaches the school's principal
// or the cluster leader: not on their screen, not in any response their browser receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, assertClean, sql } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an internal note stays inside the Department', async () => {
  // An open issue of TH001 (cluster CM01) in the personnel division.
  const [[ref]] = sql(`SELECT i.ref FROM issues i JOIN schools s ON s.id = i.school_id
    JOIN divisions d ON d.id = i.division_id WHERE s.code = 'TH001' AND d.code = 'TCCB'
    AND i.status IN ('new','triaged','in_progress') ORDER BY i.id LIMIT 1`).concat([[null]]);
  const target = ref || await fileOne();
  const secret = `NOIBO-${Date.now().toString(36)}`;
  const publicText = `CONGKHAI-${Date.now().toString(36)}`;

  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.tccb1');
  await officer.goto(`${BASE}/issues/${target}`);
  const internalForm = officer.locator('form[data-kind=internal]');
  await internalForm.locator('textarea').fill(`Ghi chú nội bộ: chờ ý kiến lãnh đạo ${secret}`);
  await internalForm.getByRole('button', { name: 'Lưu ghi chú nội bộ' }).click();
  await officer.locator('.event.internal', { hasText: secret }).waitFor();
  const publicForm = officer.locator('form[data-kind=public]');
  await publicForm.locator('textarea').fill(`Sở đã nhận và đang xem xét ${publicText}`);
  await publicForm.getByRole('button', { name: 'Gửi trả lời công khai' }).click();
  await officer.locator('.event', { hasText: publicText }).waitFor();
  assertClean(officer);

  for (const [login, viewport] of [['ht.th001', PHONE], ['ct.cm01', DESKTOP]]) {
    const page = await openPage(browser, { viewport });
    await signIn(page, login);
    await page.goto(`${BASE}/issues/${target}`);
    await page.locator('.event', { hasText: publicText }).waitFor();
    assert.equal(await page.locator('.event.internal').count(), 0, `${login} sees an internal event`);
    assert.ok(!(await page.locator('body').innerText()).includes(secret), `${login} sees the note`);
    assert.equal(await page.locator('form[data-kind=internal]').count(), 0, `${login} has an internal-note form`);
    await page.goto(`${BASE}/`);
    await page.locator('main h1').waitFor();
    await ready(page);
    await page.waitForLoadState('networkidle');
    const leaks = page.record.bodies.filter((b) => b.body.includes(secret)).map((b) => b.url);
    assert.deepEqual(leaks, [], `${login} received the note`);
    assert.ok(page.record.bodies.some((b) => b.body.includes(publicText)), 'the public reply did arrive');
    assertClean(page);
    await page.context().close();
  }
  await officer.context().close();

  async function fileOne() {
    const page = await openPage(browser);
    await signIn(page, 'ht.th001');
    const issue = await page.evaluate(async () => {
      const me = await (await fetch('/api/me')).json();
      const r = await fetch('/api/issues', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
        body: JSON.stringify({ category: 'THIEU-GV', title: 'Thiếu giáo viên Mĩ thuật', description: 'Cần 1 giáo viên.' }) });
      return r.json();
    });
    await page.context().close();
    return issue.ref;
  }
});
