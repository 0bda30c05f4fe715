// draft.test.js -- a half-written issue (text and photo) survives a reload, and a double click on "send"
// files it once (checked in the database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, launch, openPage, signIn, ready, assertClean, sql, pngFromBrowser } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the draft survives a reload and a double click files one issue', async () => {
  const title = `Thiếu bàn ghế cho học sinh lớp 1 ${Date.now().toString(36)}`;
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, 'ht.th002');
  await page.goto(`${BASE}/issues/new`);
  await page.locator('input[name=category][value="DAY-HOC-TV"]').check();
  await page.getByLabel('Tiêu đề').fill(title);
  await page.getByLabel('Mô tả').fill('Năm nay tăng 2 lớp 1, còn thiếu 40 bộ bàn ghế đúng chuẩn.');
  await page.getByLabel('Mức độ ưu tiên đề xuất').selectOption('high');
  // A photo chosen for the draft survives the reload too.
  await page.locator('input[type=file][capture]')
    .setInputFiles({ name: 'ban-ghe.png', mimeType: 'image/png', buffer: await pngFromBrowser(page) });
  await page.locator('.files li').first().waitFor();
  const keyBefore = await page.evaluate(() => JSON.parse(localStorage.getItem('directline.draft.ht.th002')).key);

  await page.reload();
  await page.getByLabel('Tiêu đề').waitFor();
  assert.equal(await page.getByLabel('Tiêu đề').inputValue(), title);
  assert.match(await page.getByLabel('Mô tả').inputValue(), /40 bộ bàn ghế/);
  assert.equal(await page.getByLabel('Mức độ ưu tiên đề xuất').inputValue(), 'high');
  assert.ok(await page.locator('input[name=category][value="DAY-HOC-TV"]').isChecked());
  await page.locator('.files li').first().waitFor();
  assert.equal(await page.locator('.files li').count(), 1);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('directline.draft.ht.th002')).key), keyBefore);

  // Two clicks as fast as a hand can make them.
  await page.getByRole('button', { name: 'Gửi vấn đề' }).dblclick();
  await page.waitForURL(/\/issues\/HT-\d{4}-\d{6}$/);
  const rows = sql(`SELECT count(*) FROM issues WHERE title = '${title.replace(/'/g, "''")}'`);
  assert.equal(rows[0][0], '1');
  await page.locator('a[href^="/api/attachments/"]').first().waitFor();
  const files = sql(`SELECT count(*) FROM attachments a JOIN issues i ON i.id = a.issue_id
    WHERE i.title = '${title.replace(/'/g, "''")}'`);
  assert.equal(files[0][0], '1', 'the photo kept across the reload was sent once');
  assert.equal(await page.evaluate(() => localStorage.getItem('directline.draft.ht.th002')), null);
  assertClean(page);
  await page.context().close();
});

test('a draft belongs to its principal: the next one on the same phone does not see it', async () => {
  const title = `Nhà vệ sinh học sinh xuống cấp ${Date.now().toString(36)}`;
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, 'ht.th005');
  await page.goto(`${BASE}/issues/new`);
  await ready(page);
  await page.getByLabel('Tiêu đề').fill(title);
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/login/);
  await ready(page);

  await signIn(page, 'ht.th006');
  await page.goto(`${BASE}/issues/new`);
  await ready(page);
  await page.getByLabel('Tiêu đề').waitFor();
  assert.equal(await page.getByLabel('Tiêu đề').inputValue(), '');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/login/);
  await ready(page);

  await signIn(page, 'ht.th005');
  await page.goto(`${BASE}/issues/new`);
  await ready(page);
  await page.getByLabel('Tiêu đề').waitFor();
  assert.equal(await page.getByLabel('Tiêu đề').inputValue(), title);
  assertClean(page);
  await page.context().close();
});

test('a retry with the same key after a lost answer files one issue', async () => {
  const title = `Mất điện kéo dài ở điểm trường lẻ ${Date.now().toString(36)}`;
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, 'ht.th003');
  await page.goto(`${BASE}/issues/new`);
  await page.locator('input[name=category][value="THIEU-GV"]').check();
  await page.getByLabel('Tiêu đề').fill(title);
  await page.getByLabel('Mô tả').fill('Điểm trường lẻ mất điện từ đầu tuần.');
  // The first send reaches the server but its answer never comes back to the phone.
  let dropped = false;
  await page.route('**/api/issues', async (route) => {
    if (route.request().method() === 'POST' && !dropped) {
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Gửi vấn đề' }).click();
  await page.getByRole('button', { name: 'Gửi lại' }).waitFor();
  await page.getByRole('button', { name: 'Gửi lại' }).click();
  await page.waitForURL(/\/issues\/HT-\d{4}-\d{6}$/);
  const rows = sql(`SELECT count(*) FROM issues WHERE title = '${title.replace(/'/g, "''")}'`);
  assert.equal(rows[0][0], '1');
  assertClean(page, { allow: ['/api/issues ', 'ERR_CONNECTION_RESET'] });
  await page.context().close();
});
