// admin.test.js -- an admin adds a principal (the temporary password is shown once), the
// new principal must replace it at the first sign-in, and then reaches the school's home;
// a principal locked out of signing in is told so, and an admin clears the lock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, PASSWORD, launch, openPage, signIn, ready, assertClean, sql } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a new user gets a temporary password and must change it first', async () => {
  const login = `ht.e2e${Date.now().toString(36)}`;
  const admin = await openPage(browser, { viewport: DESKTOP });
  await signIn(admin, 'admin');
  await admin.goto(`${BASE}/admin/users`);
  await ready(admin);
  await admin.getByText('Thêm người dùng').click();
  const form = admin.locator('details.panel form');
  await form.getByLabel('Tên đăng nhập').fill(login);
  await form.getByLabel('Họ tên').fill('Phan Thị Thu Hà');
  await form.getByLabel('Vai trò').selectOption('principal');
  await form.getByLabel('Trường').selectOption('TH007');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  const secret = admin.locator('.secret .password');
  await secret.waitFor();
  const temporary = (await secret.textContent()).trim();
  assert.ok(temporary.length >= 10);
  // Once passed on, the secret leaves the page.
  await admin.getByRole('button', { name: 'Đã ghi lại, ẩn mật khẩu' }).click();
  assert.equal(await admin.locator('.secret').count(), 0);
  assertClean(admin);
  await admin.context().close();

  const user = await openPage(browser, { viewport: PHONE });
  await user.goto(`${BASE}/login`);
  await user.getByLabel('Tên đăng nhập').fill(login);
  await user.getByLabel(/^Mật khẩu$/).fill(temporary);
  await user.locator('main button[type=submit]').click();
  await user.waitForURL(/\/password$/);
  await user.getByText('Bạn đang dùng mật khẩu tạm thời').waitFor();
  await user.getByLabel('Mật khẩu hiện tại').fill(temporary);
  await user.getByLabel('Mật khẩu mới', { exact: true }).fill('mat-khau-moi-2026');
  await user.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-moi-2026');
  await user.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await user.getByRole('heading', { level: 1, name: 'Vấn đề của trường' }).waitFor();
  assertClean(user);
  await user.context().close();
});

test('a locked-out principal is told so, and an admin clears the lock', async () => {
  // Ten failures of ht.th031 from the browser's own address, as if someone had guessed.
  sql(`INSERT INTO sign_in_failures (login, address)
    SELECT 'ht.th031', '127.0.0.1' FROM generate_series(1, 10)`);
  const user = await openPage(browser, { viewport: PHONE });
  user.record.expectedStatuses.add(429);
  await user.goto(`${BASE}/login`);
  await user.getByLabel('Tên đăng nhập').fill('ht.th031');
  await user.getByLabel(/^Mật khẩu$/).fill(PASSWORD);
  await user.locator('main button[type=submit]').click();
  await user.getByText('Đăng nhập sai quá nhiều lần từ nơi này').waitFor();

  const admin = await openPage(browser, { viewport: DESKTOP });
  await signIn(admin, 'admin');
  await admin.goto(`${BASE}/admin/locks`);
  await ready(admin);
  const row = admin.locator('table.queue tbody tr', { hasText: 'ht.th031' });
  await row.getByRole('button', { name: 'Mở khoá' }).click();
  await admin.getByText('Đã xoá 10 lần đăng nhập sai.').waitFor();
  await row.waitFor({ state: 'detached' });
  assert.equal(sql("SELECT count(*) FROM admin_events WHERE action = 'sign_in.unlock' AND target = 'ht.th031 from 127.0.0.1'")[0][0], '1');
  assertClean(admin);
  await admin.context().close();

  await user.locator('main button[type=submit]').click();
  await user.waitForURL((url) => !url.pathname.startsWith('/login'));
  assertClean(user, { allow: ['status of 429'] });
  await user.context().close();
});
