// report.test.js -- the month report page renders its figures, charts and list for a month
// with data, and both CSV downloads are UTF-8 with a byte-order mark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, DESKTOP, launch, openPage, signIn, assertClean } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the report page shows charts and the list, and the CSVs carry a BOM', async () => {
  const page = await openPage(browser, { viewport: DESKTOP });
  await signIn(page, 'giamsat1');
  // Last month: the demo's issues span the past six months.
  const month = await page.evaluate(() => {
    const d = new Date(Date.now() + 7 * 3600e3);
    d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() - 1);
    return d.toISOString().slice(0, 7);
  });
  await page.goto(`${BASE}/report?month=${month}`);
  await page.locator('.figures .figure').first().waitFor();
  const unresolved = Number(await page.locator('.figure.main .figure-n').textContent());
  assert.ok(unresolved > 25, 'the Department has more unresolved issues than one page of 25');
  assert.ok(await page.locator('.chart .bars li').count() > 5, 'bar charts have bars');
  assert.equal(await page.locator('.trend .columns li').count(), 12);
  assert.ok(await page.locator('.report-list tbody tr').count() > 0, 'the unresolved list has rows');
  const pager = page.getByRole('button', { name: 'Trang sau' });
  assert.ok(await pager.isEnabled(), 'a second page exists');
  const first = await page.locator('.report-list tbody tr').first().textContent();
  await pager.click();
  assert.notEqual(await page.locator('.report-list tbody tr').first().textContent(), first);

  for (const name of ['Tải danh sách (CSV)', 'Tải bảng tổng hợp (CSV)']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${name} starts with a BOM`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
    assert.ok(text.includes('\r\n'), 'CRLF line ends');
  }
  const html = page.getByRole('link', { name: 'Mở bản in' });
  assert.match(await html.getAttribute('href'), /format=html/);
  assertClean(page);
  await page.context().close();
});
