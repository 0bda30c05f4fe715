// session.test.js -- a session that ends in the middle of work: the next request opens the
// sign-in dialog over the screen, and once signed in the same request goes through, with
// nothing typed lost and nothing sent twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, PASSWORD, launch, openPage, signIn, assertClean, sql } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an expired session asks to sign in again and the send goes through', async () => {
  const title = `Sân trường ngập nước sau mưa ${Date.now().toString(36)}`;
  const page = await openPage(browser, { viewport: PHONE });
  page.record.expectedStatuses.add(401);
  await signIn(page, 'ht.th004');
  await page.goto(`${BASE}/issues/new`);
  await page.locator('input[name=category][value="THIEU-GV"]').check();
  await page.getByLabel('Tiêu đề').fill(title);
  await page.getByLabel('Mô tả').fill('Mỗi lần mưa to, sân trường ngập sâu 20 cm.');

  sql("UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE login = 'ht.th004')");
  await page.getByRole('button', { name: 'Gửi vấn đề' }).click();
  const dialog = page.getByRole('dialog', { name: 'Phiên làm việc đã hết hạn' });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('Tên đăng nhập').inputValue(), 'ht.th004');
  await dialog.getByLabel('Mật khẩu').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/issues\/HT-\d{4}-\d{6}$/);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  assert.equal(sql(`SELECT count(*) FROM issues WHERE title = '${title}'`)[0][0], '1');
  assertClean(page, { allow: ['status of 401'] });
  await page.context().close();
});
