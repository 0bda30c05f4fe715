// notifications.test.js -- being told (docs/notifications.md), as the people concerned see
// it: a school files, the officer's header counts it and the list says what came; the
// officer answers; the principal, on a phone, finds the answer in her list, opens it (it
// is read, the count drops) and marks the rest read; the admin registers a webhook and
// reads its secret once. Screenshots on a phone and a desktop, both languages; axe-core
// on each screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);
const ANSWER = 'Sở đã liên hệ nhà xuất bản; sách sẽ đến trường trong tuần sau.';

// A JSON request from the signed-in page, with its CSRF token.
async function send(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch(p, { method: m,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: b === undefined ? undefined : JSON.stringify(b) });
    return r.json();
  }, [method, path, body]);
}

// The header's count once the server has given it (data-unread), as the badge shows it.
async function headerCount(page) {
  const link = page.locator('#notif-link[data-unread]');
  await link.waitFor();
  const badge = link.locator('.notif-count');
  const shown = (await badge.count()) ? Number(await badge.innerText()) : 0;
  assert.equal(String(shown), await link.getAttribute('data-unread'), 'the badge and the count differ');
  return shown;
}

test('a filing reaches the officer, the answer reaches the school', async () => {
  const principal = await openPage(browser, { viewport: PHONE });
  await signIn(principal, 'ht.th001');
  await send(principal, 'POST', '/api/notifications/read-all');
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.gdth1');
  await send(officer, 'POST', '/api/notifications/read-all');

  const issue = await send(principal, 'POST', '/api/issues', {
    category: 'SACH-GIAO-KHOA', title: `Thiếu sách Tiếng Việt lớp 2 ${STAMP}`,
    description: 'Trường còn thiếu 25 cuốn sách Tiếng Việt lớp 2.' });
  assert.match(issue.ref, /^HT-/);

  // The officer's header counts it; the list says what came, from whom, about what.
  await officer.goto(`${BASE}/notifications`);
  await ready(officer);
  assert.equal(await headerCount(officer), 1);
  assert.equal(await officer.getByRole('link', { name: 'Thông báo: 1 chưa đọc' }).count(), 1);
  const first = officer.locator('.notif').first();
  assert.ok((await first.innerText()).includes('Vấn đề mới gửi đến phòng'));
  assert.ok((await first.innerText()).includes(issue.ref));
  assert.equal(await officer.locator('.notif.unread').count(), 1);
  await screenshot(officer, 'notifications-officer-vi-1366');
  assert.deepEqual(await axe(officer), [], 'axe-core on the notifications, officer');

  // Opening it reads it and goes to the issue; the officer answers there.
  await first.locator('a.card-link').click();
  await officer.waitForURL(`**/issues/${issue.ref}`);
  await ready(officer);
  await officer.locator('#notif-link:not(:has(.notif-count))').waitFor();
  await send(officer, 'POST', `/api/issues/${issue.ref}/comments`, { body: ANSWER, internal: false });
  assertClean(officer);

  // The principal, on her phone: the header counts the answer; the list quotes it.
  await principal.goto(`${BASE}/`);
  await ready(principal);
  assert.equal(await headerCount(principal), 1);
  await principal.locator('#notif-link').click();
  await ready(principal);
  const answer = principal.locator('.notif.unread', { hasText: 'Sở đã trả lời vấn đề của trường' });
  await answer.waitFor();
  assert.ok((await answer.innerText()).includes(ANSWER));
  await screenshot(principal, 'notifications-principal-vi-390');
  assert.deepEqual(await axe(principal), [], 'axe-core on the notifications, principal');

  // In English, the same list.
  await principal.getByRole('button', { name: 'English' }).click();
  await ready(principal);
  await principal.locator('.notif.unread', { hasText: 'The Department answered your issue' }).waitFor();
  await principal.getByRole('heading', { name: 'Notifications' }).waitFor();
  await screenshot(principal, 'notifications-principal-en-390');
  assert.deepEqual(await axe(principal), [], 'axe-core on the notifications in English');
  await principal.getByRole('button', { name: 'Tiếng Việt' }).click();
  await ready(principal);

  // Opening the issue by itself (not from the list) reads what she was told of it.
  await principal.goto(`${BASE}/issues/${issue.ref}`);
  await ready(principal);
  await principal.locator('#notif-link:not(:has(.notif-count))').waitFor();
  await principal.goto(`${BASE}/notifications`);
  await ready(principal);
  assert.equal(await principal.locator('.notif.unread').count(), 0);
  assertClean(principal);
  await principal.context().close();
  await officer.context().close();
});

test('mark all read leaves nothing unread and says how many', async () => {
  const officer = await openPage(browser, { viewport: PHONE });
  await signIn(officer, 'cb.gdth2');
  await officer.goto(`${BASE}/notifications`);
  await ready(officer);
  // The filing of the test before reached the whole division, cb.gdth2 too.
  const before = await headerCount(officer);
  assert.ok(before >= 1, 'the division was not told of the filing');
  const button = officer.getByRole('button', { name: 'Đánh dấu tất cả đã đọc' });
  await button.click();
  await officer.locator('#status', { hasText: `Đã đánh dấu ${before} thông báo là đã đọc.` }).waitFor();
  assert.equal(await officer.locator('.notif.unread').count(), 0);
  assert.equal(await headerCount(officer), 0);
  assert.ok(await button.isDisabled(), 'nothing is left to mark, yet the button is live');
  // One email a day instead of one each: the choice is saved, said, and can be undone.
  assert.ok((await officer.locator('.notif-email').innerText()).includes('cb.gdth2@hatinh.edu.vn'));
  const digest = officer.getByLabel('Gộp thành một email mỗi ngày (16:30) thay vì từng email');
  await digest.check();
  await officer.locator('#status', { hasText: 'Từ nay bạn nhận một email tổng hợp mỗi ngày lúc 16:30.' }).waitFor();
  assert.equal((await send(officer, 'GET', '/api/me/notification-settings')).email_digest, true);
  await screenshot(officer, 'notifications-officer-read-vi-390');
  await digest.uncheck();
  await officer.locator('#status', { hasText: 'Từ nay bạn nhận email cho từng thông báo.' }).waitFor();
  assert.equal((await send(officer, 'GET', '/api/me/notification-settings')).email_digest, false);
  assertClean(officer);
  await officer.context().close();
});

test('the admin registers a webhook, keeps its secret, switches it off', async () => {
  const admin = await openPage(browser, { viewport: DESKTOP });
  await signIn(admin, 'admin');
  await admin.goto(`${BASE}/admin/webhooks`);
  await ready(admin);
  const url = `https://hooks.example.vn/directline-${STAMP}`;
  // An address that is not HTTPS is refused on its field, in words.
  admin.record.expectedStatuses.add(400);
  await admin.getByLabel('Địa chỉ nhận (https://)').fill('http://hooks.example.vn/in');
  await admin.getByLabel('Mô tả').fill('Hệ thống văn bản của Sở');
  await admin.getByRole('button', { name: 'Đăng ký' }).click();
  await admin.locator('[data-field=url] .field-error', { hasText: /https/ }).waitFor();
  await admin.getByLabel('Địa chỉ nhận (https://)').fill(url);
  await admin.getByRole('button', { name: 'Đăng ký' }).click();
  const secret = admin.locator('.secret-box code.secret');
  await secret.waitFor();
  const shown = await secret.innerText();
  assert.match(shown, /^[0-9a-f]{64}$/);
  const row = admin.locator('table.queue tbody tr', { hasText: url });
  await row.waitFor();
  assert.ok((await row.innerText()).includes('Đang bật'));
  await screenshot(admin, 'webhooks-admin-vi-1366');
  assert.deepEqual(await axe(admin), [], 'axe-core on the webhooks');
  await row.getByRole('button', { name: 'Tắt' }).click();
  await admin.locator('table.queue tbody tr', { hasText: url }).filter({ hasText: 'Đã tắt' }).waitFor();
  // The secret is never shown again: a fresh look has none.
  await admin.reload();
  await ready(admin);
  assert.equal(await admin.locator('.secret-box code.secret').count(), 0);
  assert.ok(!(await admin.content()).includes(shown), 'the secret is shown again');
  await admin.locator('table.queue tbody tr', { hasText: url }).getByRole('button', { name: 'Nhật ký gửi' }).click();
  await admin.locator('.webhook-log', { hasText: 'Chưa có lần gửi nào.' }).waitFor();
  assertClean(admin, { allow: ['status of 400'] });   // the refused http:// address
  await admin.context().close();
});
