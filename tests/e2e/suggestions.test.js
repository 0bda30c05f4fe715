// suggestions.test.js -- issues alike while a principal types a new one: folded into one line
// under the description on a phone, and two suggestions of the same title told apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean, sql, sendJson } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);
const TITLE = `Máy chủ phần mềm quản lý trường học chạy chậm giờ nhập điểm ${STAMP}`;
const DESCRIPTION = 'Vào giờ nhập điểm, phần mềm quản lý trường học mở mỗi trang mất hơn một phút.';

// The page's vertical position of an element's top and bottom.
async function span(locator) {
  const box = await locator.boundingBox();
  return { top: box.y, bottom: box.y + box.height };
}

test('suggestions fold into one line under the description, and same titles are told apart', async () => {
  const [[otherSchool]] = sql("SELECT name FROM schools WHERE code = 'TH144'");
  // The same problem, filed by this school before and by another school that shares it.
  const other = await openPage(browser, { viewport: PHONE });
  await signIn(other, 'ht.th144');
  const shared = await sendJson(other, 'POST', '/api/issues', { category: 'CHUYEN-DOI-SO', title: TITLE, description: DESCRIPTION });
  await sendJson(other, 'PUT', `/api/issues/${shared.ref}/sharing`, { shared: true });
  await other.context().close();

  for (const [lang, viewport] of [['vi', PHONE], ['en', PHONE], ['vi', DESKTOP]]) {
    const page = await openPage(browser, { viewport, lang });
    await signIn(page, 'ht.th143');
    const own = lang === 'vi' && viewport === PHONE
      ? await sendJson(page, 'POST', '/api/issues', { category: 'CHUYEN-DOI-SO', title: TITLE, description: DESCRIPTION })
      : null;
    await page.goto(`${BASE}/issues/new`);
    await ready(page);
    await page.locator('input[name=category][value="CHUYEN-DOI-SO"]').check();
    await page.locator('input[name=title]').fill(TITLE);
    await page.locator('textarea[name=description]').fill(DESCRIPTION);

    // One line, in sight right under the description, counting what it holds.
    const summary = page.locator('.similar summary');
    await summary.waitFor();
    const counted = lang === 'vi' ? /^\d+ vấn đề tương tự/ : /^\d+ similar issues?/;
    assert.match(await summary.innerText(), counted);
    assert.equal(await page.locator('.similar-list li', { hasText: shared.ref }).isVisible(), false, 'the list is open unasked');
    const description = await span(page.locator('textarea[name=description]'));
    const line = await span(summary);
    const solution = await span(page.locator('[data-field=proposed_solution] label'));
    assert.ok(line.bottom - line.top <= 60, `the folded suggestions are ${line.bottom - line.top} px high`);
    assert.ok(solution.top - description.bottom < 110,
      `the proposed solution is ${Math.round(solution.top - description.bottom)} px under the description`);
    await screenshot(page, `file-issue-suggestions-folded-${lang}-${viewport.width}`);
    assert.deepEqual(await axe(page), [], 'axe-core with the suggestions folded');

    // Opened: both issues of the same title, each saying where it stands and whose it is.
    await summary.click();
    const theirs = page.locator('.similar-list li', { hasText: shared.ref });
    await theirs.waitFor();
    const theirsText = await theirs.textContent();
    for (const text of [TITLE, otherSchool, lang === 'vi' ? 'Mới gửi' : 'New', lang === 'vi' ? 'Chia sẻ' : 'Shared']) {
      assert.ok(theirsText.includes(text), `the other school's suggestion lacks «${text}»`);
    }
    if (own) {
      const mine = page.locator('.similar-list li', { hasText: own.ref });
      const mineText = await mine.textContent();
      assert.ok(mineText.includes(TITLE) && mineText.includes('Trường bạn') && mineText.includes('Mới gửi'), mineText);
      const metas = await page.locator('.similar-list li', { hasText: TITLE }).locator('.meta').allTextContents();
      assert.equal(new Set(metas).size, metas.length, `two suggestions read the same: ${metas.join(' | ')}`);
    }
    await theirs.scrollIntoViewIfNeeded();
    await screenshot(page, `file-issue-suggestions-open-${lang}-${viewport.width}`);
    assert.deepEqual(await axe(page), [], 'axe-core with the suggestions open');
    assertClean(page);
    await page.context().close();
  }
});
