// notifications.test.js -- being told (docs/notifications.md), as the people concerned see
// it: a school files, the officer's header counts it and the list says what came; the
// officer answers; the principal, on a phone, finds the answer in her list, opens it (it
// is read, the count drops) and marks the rest read; a school that joined another's
// problem hears what happened to it in words, and the filing school hears that another
// school joined; the admin registers a webhook and reads its secret once. Screenshots on
// a phone and a desktop, both languages; axe-core on each screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean, sql, sendJson } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);
const ANSWER = 'Sở đã liên hệ nhà xuất bản; sách sẽ đến trường trong tuần sau.';

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
  await sendJson(principal, 'POST', '/api/notifications/read-all');
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.gdth1');
  await sendJson(officer, 'POST', '/api/notifications/read-all');

  const issue = await sendJson(principal, 'POST', '/api/issues', {
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
  await sendJson(officer, 'POST', `/api/issues/${issue.ref}/comments`, { body: ANSWER, internal: false });
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
  assert.equal((await sendJson(officer, 'GET', '/api/me/notification-settings')).email_digest, true);
  await screenshot(officer, 'notifications-officer-read-vi-390');
  await digest.uncheck();
  await officer.locator('#status', { hasText: 'Từ nay bạn nhận email cho từng thông báo.' }).waitFor();
  assert.equal((await sendJson(officer, 'GET', '/api/me/notification-settings')).email_digest, false);
  assertClean(officer);
  await officer.context().close();
});

test('a school that joined hears what happened; the filing school hears another school joined', async () => {
  const [[filingSchool]] = sql("SELECT name FROM schools WHERE code = 'TH141'");
  const [[joiner]] = sql("SELECT full_name FROM users WHERE login = 'ht.th142'");
  const [[joiningSchool]] = sql("SELECT name FROM schools WHERE code = 'TH142'");
  const filing = await openPage(browser, { viewport: PHONE });
  await signIn(filing, 'ht.th141');
  const joining = await openPage(browser, { viewport: PHONE });
  await signIn(joining, 'ht.th142');
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.vp1');
  for (const page of [filing, joining]) await sendJson(page, 'POST', '/api/notifications/read-all');

  // TH141 files and shares; TH142 joins; the office answers, then resolves.
  const issue = await sendJson(filing, 'POST', '/api/issues', { category: 'CHUYEN-DOI-SO',
    title: `Phần mềm thu học phí không xuất được biên lai ${STAMP}`,
    description: 'Từ đầu tháng phần mềm thu học phí báo lỗi khi xuất biên lai điện tử cho phụ huynh.' });
  assert.equal((await sendJson(filing, 'PUT', `/api/issues/${issue.ref}/sharing`, { shared: true })).shared, true);
  assert.equal((await sendJson(joining, 'POST', `/api/issues/${issue.ref}/cosigns`,
    { note: 'Trường chúng tôi cũng không xuất được biên lai.' })).schools_affected, 2);
  await sendJson(officer, 'POST', `/api/issues/${issue.ref}/comments`,
    { body: 'Văn phòng Sở đã báo nhà cung cấp; bản sửa lỗi dự kiến có trong tuần.', internal: false });
  await sendJson(officer, 'POST', `/api/issues/${issue.ref}/actions`, { action: 'triage' });
  await sendJson(officer, 'POST', `/api/issues/${issue.ref}/actions`,
    { action: 'resolve', note: 'Nhà cung cấp đã sửa lỗi; các trường xuất lại biên lai được.' });

  // The school that joined: what the Department did, as sentences, and whose issue it is.
  await joining.goto(`${BASE}/notifications`);
  await ready(joining);
  const told = joining.locator('.notif', { hasText: issue.ref });
  await told.first().waitFor();
  const whats = await told.locator('a.card-link').allInnerTexts();
  assert.deepEqual(whats, ['Sở đã giải quyết một vấn đề trường bạn cùng báo', 'Sở đã trả lời một vấn đề trường bạn cùng báo']);
  for (const text of await told.allTextContents()) {
    assert.ok(!text.includes('theo dõi có thay đổi') && !text.includes('· Bình luận'), `a reason and a raw action: ${text}`);
    assert.ok(text.includes(`Do ${filingSchool} gửi`), `the filing school is not named: ${text}`);
  }
  await screenshot(joining, 'notifications-follower-vi-390');
  assert.deepEqual(await axe(joining), [], 'axe-core on a follower\'s notifications');
  await joining.getByRole('button', { name: 'English' }).click();
  await ready(joining);
  await joining.locator('.notif', { hasText: issue.ref }).first().waitFor();
  assert.deepEqual(await joining.locator('.notif', { hasText: issue.ref }).locator('a.card-link').allInnerTexts(),
    ['The Department resolved an issue your school also reported', 'The Department answered an issue your school also reported']);
  await screenshot(joining, 'notifications-follower-en-390');

  // The filing school: another school joined, named beside the one who joined (not the
  // filing school, which would make her one of its own people).
  await filing.goto(`${BASE}/notifications`);
  await ready(filing);
  const joined = filing.locator('.notif', { hasText: issue.ref }).filter({ hasText: 'Một trường khác cũng gặp vấn đề này' });
  await joined.waitFor();
  const joinedText = await joined.textContent();
  assert.ok(joinedText.includes(`${joiner} (hiệu trưởng ${joiningSchool})`), joinedText);
  assert.ok(!joinedText.includes(filingSchool), `the filing school is named beside the one who joined: ${joinedText}`);
  assert.ok(joinedText.includes('Trường chúng tôi cũng không xuất được biên lai.'));
  await screenshot(filing, 'notifications-cosigned-vi-390');
  assert.deepEqual(await axe(filing), [], 'axe-core on the filing school\'s notifications');
  await filing.getByRole('button', { name: 'English' }).click();
  await ready(filing);
  await filing.locator('.notif', { hasText: issue.ref }).filter({ hasText: 'Another school has this problem too' })
    .filter({ hasText: `${joiner} (principal of ${joiningSchool})` }).waitFor();
  await screenshot(filing, 'notifications-cosigned-en-390');

  for (const page of [filing, joining, officer]) {
    assertClean(page);
    await page.context().close();
  }
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
