// sharing.test.js -- one problem, many schools (docs/dialogue.md), as the principals see it
// on their phones: a school shares its issue; another school starts to file the same
// problem, typed without accents, is shown the shared one while typing and joins it instead
// of filing anew; the first school sees two schools affected and who joined. An issue of
// a sensitive category offers no sharing at all. Screenshots in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WORDS = `Máy tính phòng tin học bị hỏng nguồn điện ${Date.now().toString(36)}`;
const TYPED = WORDS.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').toLowerCase();

async function fileByApi(page, category, title) {
  return page.evaluate(async ([cat, text]) => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch('/api/issues', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: JSON.stringify({ category: cat, title: text, description: 'Cả trường chỉ còn 5 máy dùng được.' }) });
    return (await r.json()).ref;
  }, [category, title]);
}

test('a shared problem is found while filing and joined instead of filed again', async () => {
  // TH250 (cluster CM12) files and shares.
  const first = await openPage(browser, { viewport: PHONE });
  await signIn(first, 'ht.th250');
  const ref = await fileByApi(first, 'THIET-BI-DH', WORDS);
  await first.goto(`${BASE}/issues/${ref}`);
  await ready(first);
  await first.getByRole('button', { name: 'Chia sẻ với tất cả các trường' }).click();
  await first.locator('.issue-head .shared-badge').waitFor();
  await first.locator('.timeline .event-share').waitFor();
  await screenshot(first, 'sharing-owner-shared-vi-390');
  assertClean(first);

  // TH001 (cluster CM01) starts a new issue and types the same problem without accents.
  for (const lang of ['en', 'vi']) {
    const other = await openPage(browser, { viewport: lang === 'vi' ? PHONE : DESKTOP, lang });
    await signIn(other, 'ht.th001');
    await other.goto(`${BASE}/issues/new`);
    await ready(other);
    await other.locator('input[name=title]').fill(TYPED);
    await other.locator('.similar summary').click();   // folded under one line: opened
    const suggestion = other.locator('.similar li', { hasText: ref });
    await suggestion.waitFor();
    assert.ok(await other.locator('.similar').isVisible(), 'the suggestions are shown');
    assert.equal(await suggestion.locator('.shared-badge').count(), 1);
    await screenshot(other, `sharing-suggestion-${lang}-${lang === 'vi' ? 390 : 1366}`);
    assert.deepEqual(await axe(other), [], 'axe-core on the filing screen with suggestions');
    if (lang === 'vi') {
      await suggestion.getByRole('button', { name: 'Trường chúng tôi cũng gặp' }).click();
      await other.waitForURL(`${BASE}/issues/${ref}`);
      await other.locator('.joined').waitFor();
      await other.locator('.issue-head .schools-badge', { hasText: '2 trường cùng gặp' }).waitFor();
      await screenshot(other, 'sharing-joined-vi-390');
      // The draft is still there for another day.
      await other.goto(`${BASE}/`);
      await other.locator('.notice', { hasText: 'đang soạn dở' }).waitFor();
    }
    assertClean(other);
    await other.context().close();
  }

  // The first school sees who joined, and may stop sharing.
  await first.goto(`${BASE}/issues/${ref}`);
  await ready(first);
  await first.locator('.timeline .event-cosign', { hasText: 'Trường cũng gặp vấn đề này' }).waitFor();
  assert.ok((await first.locator('.issue-head').innerText()).includes('2 trường cùng gặp'));
  assert.equal(await first.getByRole('button', { name: 'Ngừng chia sẻ' }).count(), 1);
  await screenshot(first, 'sharing-owner-joined-vi-390');
  assertClean(first);
  await first.context().close();
});

test('a sensitive issue offers no sharing', async () => {
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, 'ht.th250');
  const ref = await fileByApi(page, 'KHIEU-NAI-KY-LUAT', 'Đơn khiếu nại về việc xét thi đua');
  await page.goto(`${BASE}/issues/${ref}`);
  await page.locator('.sharing-panel').waitFor();
  assert.ok((await page.locator('.sharing-panel').innerText()).includes('nhạy cảm'));
  assert.equal(await page.locator('.sharing-panel button').count(), 0);
  assertClean(page);
  await page.context().close();
});
