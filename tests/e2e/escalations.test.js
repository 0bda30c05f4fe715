// escalations.test.js -- a supervisor reassigns an escalated issue from the board to
// another division and officer; the database holds the change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, launch, openPage, signIn, ready, assertClean, sql } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the board reassigns an escalated issue', async () => {
  const page = await openPage(browser, { viewport: DESKTOP });
  await signIn(page, 'giamsat1');
  await page.goto(`${BASE}/escalations?level=1`);
  await ready(page);
  const card = page.locator('.esc-list > li.card').first();
  const ref = (await card.locator('.ref').textContent()).trim();
  const [[division]] = sql(`SELECT d.code FROM issues i JOIN divisions d ON d.id = i.division_id WHERE i.ref = '${ref}'`);
  const target = division === 'CSVC' ? 'VP' : 'CSVC';
  await card.getByLabel(`Phòng phụ trách ${ref}`).selectOption(target);
  const officer = card.getByLabel(`Người xử lý ${ref}`);
  await page.waitForFunction((r) => {
    const select = document.querySelector(`select[aria-label="Người xử lý ${r}"]`);
    return select && select.options.length > 1;
  }, ref);
  const login = await officer.locator('option').nth(1).getAttribute('value');
  await officer.selectOption(login);
  await card.getByRole('button', { name: 'Giao lại' }).click();
  await page.locator('#status.success').waitFor();
  const [[now, who]] = sql(`SELECT d.code, u.login FROM issues i JOIN divisions d ON d.id = i.division_id
    LEFT JOIN users u ON u.id = i.assignee_id WHERE i.ref = '${ref}'`);
  assert.equal(now, target);
  assert.equal(who, login);
  assertClean(page);
  await page.context().close();
});
