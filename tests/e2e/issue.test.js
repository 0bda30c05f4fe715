// issue.test.js -- the issue page through an issue's life on a phone and a desk: the assignee line,
// the rating's choices, a finished issue's folded tools, the status line across screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean, sendJson, pngFromBrowser } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);
const PRINCIPAL = 'ht.th140';
const OFFICER = 'cb.vp1';           // CHUYEN-DOI-SO goes to the office (VP)
const WORDS = ['chưa giải quyết được', 'giải quyết được ít', 'giải quyết được một phần', 'cơ bản đã giải quyết',
  'giải quyết triệt để'];
const WORDS_EN = ['not solved', 'hardly solved', 'partly solved', 'mostly solved', 'solved for good'];

async function facts(page) {
  return page.locator('section[aria-labelledby=desc-h] .facts').innerText();
}

async function statusText(page) {
  return (await page.locator('#status').textContent()).trim();
}

// Each rating choice: its box and whether its words sit on one line.
async function ratingBoxes(page) {
  return page.locator('form[data-action=confirm] .rating-choice label').evaluateAll((labels) => labels.map((label) => {
    const box = label.getBoundingClientRect();
    const word = label.querySelector('.rating-word');
    const wordBox = word?.getBoundingClientRect();
    const lineHeight = word ? parseFloat(getComputedStyle(word).lineHeight) : 0;
    return { top: Math.round(box.top), left: box.left, right: box.right, width: box.width, height: box.height,
      word: word?.textContent ?? null, oneLine: word ? wordBox.height < 1.5 * lineHeight : false };
  }));
}

test('an issue from filing to closed: assignee, the rating, the finished page, the status line', async () => {
  const principal = await openPage(browser, { viewport: PHONE });
  await signIn(principal, PRINCIPAL);
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, OFFICER);

  // Filed through the form: the message "filed" comes along to the issue's page (a
  // redirect), and goes once she moves on.
  await principal.goto(`${BASE}/issues/new`);
  await ready(principal);
  await principal.locator('input[name=category][value="CHUYEN-DOI-SO"]').check();
  const title = `Phần mềm quản lý học sinh không lưu được điểm cuối kỳ ${STAMP}`;
  await principal.getByLabel('Tiêu đề').fill(title);
  // The suggestions asked while she types are answered before she sends (not cut off).
  const suggested = principal.waitForResponse((r) => r.url().includes('/api/issues/similar?'));
  await principal.getByLabel('Mô tả').fill('Giáo viên nhập điểm cuối kỳ I nhưng phần mềm báo lỗi và không lưu; đã thử trên ba máy.');
  await suggested;
  await principal.getByRole('button', { name: 'Gửi vấn đề', exact: true }).click();
  await principal.waitForURL(/\/issues\/HT-\d{4}-\d{6}$/);
  await ready(principal);
  const ref = new URL(principal.url()).pathname.split('/').pop();
  assert.equal(await statusText(principal), `Đã gửi vấn đề ${ref}.`, 'the filing\'s message did not follow the redirect');
  // Open and nobody on it yet: that is news, and said.
  const open = await facts(principal);
  assert.ok(open.includes('Người xử lý') && open.includes('Chưa giao'), open);
  await principal.locator('.crumbs a').click();
  await ready(principal);
  assert.equal(await statusText(principal), '', 'the filing\'s message stayed on the home screen');

  // The Department answers it, without ever assigning anyone.
  assert.equal((await sendJson(officer, 'POST', `/api/issues/${ref}/actions`, { action: 'triage' })).status, 'triaged');
  const resolved = await sendJson(officer, 'POST', `/api/issues/${ref}/actions`,
    { action: 'resolve', note: 'Sở đã cập nhật phần mềm; nhà trường nhập lại điểm từ hôm nay.' });
  assert.equal(resolved.status, 'resolved');
  assert.equal(resolved.assignee, null);

  // Resolved, and nobody was assigned: no "not assigned" line to read as neglect.
  await principal.goto(`${BASE}/issues/${ref}`);
  await ready(principal);
  const confirm = principal.locator('form[data-action=confirm]');
  await confirm.waitFor();
  assert.ok(!(await facts(principal)).includes('Người xử lý'), 'a resolved issue says "not assigned"');

  // The rating on a phone: five rows, each its number and its words on one line, each at
  // least 44 px high and wide, inside the screen.
  let boxes = await ratingBoxes(principal);
  assert.equal(boxes.length, 5);
  assert.deepEqual(boxes.map((b) => b.word), WORDS);
  for (const b of boxes) {
    assert.ok(b.height >= 44 && b.width >= 44, `a rating choice is ${b.width}×${b.height} px`);
    assert.ok(b.oneLine, `«${b.word}» wraps`);
    assert.ok(b.left >= 0 && b.right <= PHONE.width, 'a rating choice sticks out of the screen');
  }
  await confirm.locator('.rating-field').scrollIntoViewIfNeeded();
  await screenshot(principal, 'issue-rating-vi-390');
  assert.deepEqual(await axe(principal), [], 'axe-core on the confirmation with its rating');
  await principal.getByRole('button', { name: 'English' }).click();
  await ready(principal);
  boxes = await ratingBoxes(principal);
  assert.deepEqual(boxes.map((b) => b.word), WORDS_EN);
  assert.ok(boxes.every((b) => b.oneLine && b.height >= 44), 'the English choices wrap or are small');
  assert.equal(await principal.getByRole('radio', { name: '4 of 5: mostly solved' }).count(), 1);
  await principal.locator('form[data-action=confirm] .rating-field').scrollIntoViewIfNeeded();
  await screenshot(principal, 'issue-rating-en-390');
  await principal.getByRole('button', { name: 'Tiếng Việt' }).click();
  await ready(principal);

  // At a desk: five tiles in a row, all as tall as each other.
  const desk = await openPage(browser, { viewport: DESKTOP });
  await signIn(desk, PRINCIPAL, `/issues/${ref}`);
  await desk.locator('form[data-action=confirm] .rating-field').waitFor();
  const row = await ratingBoxes(desk);
  assert.equal(new Set(row.map((b) => b.top)).size, 1, 'the desktop\'s choices are not in one row');
  assert.equal(new Set(row.map((b) => Math.round(b.height))).size, 1, 'the desktop\'s choices differ in height');
  assert.ok(row.every((b) => b.width >= 44 && b.height >= 44));
  await desk.locator('form[data-action=confirm] .rating-field').scrollIntoViewIfNeeded();
  await screenshot(desk, 'issue-rating-vi-1366');
  assertClean(desk);
  await desk.context().close();

  // She confirms with a 4; the message is for this screen only.
  await confirm.getByRole('radio', { name: '4 trên 5: cơ bản đã giải quyết' }).check();
  await confirm.getByLabel(/Nhận xét của nhà trường/).fill('Đã nhập lại được điểm. Cảm ơn Sở.');
  await confirm.getByRole('button', { name: 'Xác nhận đã giải quyết' }).click();
  await principal.locator('.timeline .event-confirm').waitFor();
  await principal.locator('#status.success').waitFor();
  await principal.locator('#nav').getByRole('link', { name: 'Trang chủ', exact: true }).click();
  await ready(principal);
  assert.equal(await statusText(principal), '', 'the confirmation\'s message followed her home');

  // Closed: the page reads as finished. What the server still takes (a comment, a file) is
  // folded under a line; no form stands open, and nobody is "not assigned".
  await principal.goto(`${BASE}/issues/${ref}`);
  await ready(principal);
  await principal.locator('.issue-head .status-closed').waitFor();
  assert.ok(!(await facts(principal)).includes('Người xử lý'), 'a closed issue says "not assigned"');
  assert.equal(await principal.locator('form.comment-form').first().isVisible(), false, 'a comment form stands open');
  assert.equal(await principal.getByRole('button', { name: 'Gửi tệp' }).isVisible(), false, 'an upload stands open');
  assert.equal(await principal.locator('.todo-panel').count(), 0);
  // It was never shared, and a closed issue cannot be: no invitation to share it.
  assert.equal(await principal.locator('.sharing-panel').count(), 0, 'a closed private issue invites sharing');
  await screenshot(principal, 'issue-closed-vi-390');
  assert.deepEqual(await axe(principal), [], 'axe-core on the closed issue');
  const more = principal.locator('details.ended-fold-comments > summary', { hasText: 'Viết thêm bình luận' });
  await more.click();
  await principal.getByLabel('Nội dung bình luận').waitFor();
  assert.ok((await principal.locator('details.ended-fold-comments').innerText()).includes('Vấn đề đã đóng.'));
  await principal.locator('details.ended-fold-files > summary', { hasText: 'Thêm tệp đính kèm' }).click();
  await principal.getByRole('button', { name: 'Gửi tệp' }).waitFor();
  await screenshot(principal, 'issue-closed-open-vi-390');
  assert.deepEqual(await axe(principal), [], 'axe-core on the closed issue, its folds open');
  // The school still sends a photo after the end.
  await principal.locator('details.ended-fold-files input[type=file][capture]')
    .setInputFiles({ name: 'lop-hoc-sau.png', mimeType: 'image/png', buffer: await pngFromBrowser(principal) });
  await principal.getByRole('button', { name: 'Gửi tệp' }).click();
  await principal.locator('section[aria-labelledby=att-h] > ul.files > li', { hasText: 'lop-hoc-sau' }).waitFor();
  await principal.getByRole('button', { name: 'English' }).click();
  await ready(principal);
  await principal.locator('details.ended-fold-comments > summary', { hasText: 'Add a comment' }).waitFor();
  await screenshot(principal, 'issue-closed-en-390');
  await principal.getByRole('button', { name: 'Tiếng Việt' }).click();
  await ready(principal);

  // The officer at a desk: no reply form open either, and no tools beside it.
  await officer.goto(`${BASE}/issues/${ref}`);
  await ready(officer);
  await officer.locator('.issue-head .status-closed').waitFor();
  assert.equal(await officer.locator('form.comment-public').isVisible(), false, 'the reply form stands open');
  assert.equal(await officer.locator('.issue-side').count(), 0, 'a closed issue keeps its staff tools');
  await officer.locator('details.ended-fold-comments > summary', { hasText: 'Viết thêm trả lời hoặc ghi chú nội bộ' }).waitFor();
  await screenshot(officer, 'issue-closed-officer-vi-1366');
  assert.deepEqual(await axe(officer), [], 'axe-core on the closed issue, officer');
  // The late photo shows children's faces: over or not, the officer may still hide it, and
  // the school no longer sees it.
  const late = officer.locator('section[aria-labelledby=att-h] > ul.files > li', { hasText: 'lop-hoc-sau' });
  await late.locator('summary', { hasText: 'Ẩn tệp' }).click();
  await late.getByLabel('Lý do ẩn').fill('Ảnh có khuôn mặt học sinh.');
  await late.getByRole('button', { name: 'Ẩn tệp' }).click();
  await officer.locator('section[aria-labelledby=att-h] li.hidden-file', { hasText: 'lop-hoc-sau' }).waitFor();
  await principal.reload();
  await ready(principal);
  await principal.locator('.timeline .event-hide_attachment').waitFor();
  assert.equal(await principal.locator('section[aria-labelledby=att-h] li', { hasText: 'lop-hoc-sau' }).count(), 0,
    'the school still sees the hidden photo');

  assertClean(principal);
  assertClean(officer);
  await principal.context().close();
  await officer.context().close();
});

test('a declined issue and a duplicate fold the comment under a line that says why they are over', async () => {
  const principal = await openPage(browser, { viewport: PHONE });
  await signIn(principal, PRINCIPAL);
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, OFFICER);
  const issue = await sendJson(principal, 'POST', '/api/issues', { category: 'CHUYEN-DOI-SO',
    title: `Xin cấp thêm tài khoản phần mềm cho nhân viên thư viện ${STAMP}`,
    description: 'Nhân viên thư viện chưa có tài khoản trên phần mềm quản lý trường học.' });
  const declined = await sendJson(officer, 'POST', `/api/issues/${issue.ref}/actions`,
    { action: 'decline', note: 'Nhà trường tự cấp tài khoản trong phần quản trị của trường.' });
  assert.equal(declined.status, 'declined');
  await principal.goto(`${BASE}/issues/${issue.ref}`);
  await ready(principal);
  assert.ok(!(await facts(principal)).includes('Người xử lý'), 'a declined issue says "not assigned"');
  assert.equal(await principal.locator('form.comment-form').first().isVisible(), false, 'a comment form stands open');
  await principal.locator('details.ended-fold-comments > summary').click();
  await principal.locator('details.ended-fold-comments', { hasText: 'Sở không tiếp nhận vấn đề này.' }).waitFor();
  await principal.getByLabel('Nội dung bình luận').fill('Nhà trường đã tự cấp tài khoản. Cảm ơn Sở.');
  await principal.getByRole('button', { name: 'Gửi bình luận' }).click();
  await principal.locator('.timeline .event-comment', { hasText: 'Nhà trường đã tự cấp tài khoản.' }).waitFor();

  // A duplicate points to the issue where the talk goes on.
  const again = await sendJson(principal, 'POST', '/api/issues', { category: 'CHUYEN-DOI-SO',
    title: `Nhân viên thư viện chưa có tài khoản phần mềm ${STAMP}`,
    description: 'Nhân viên thư viện chưa đăng nhập được phần mềm quản lý trường học.' });
  assert.equal((await sendJson(officer, 'POST', `/api/issues/${again.ref}/actions`,
    { action: 'mark_duplicate', duplicate_of: issue.ref })).status, 'duplicate');
  await principal.goto(`${BASE}/issues/${again.ref}`);
  await ready(principal);
  assert.equal(await principal.locator('form.comment-form').first().isVisible(), false, 'a comment form stands open');
  await principal.locator('details.ended-fold-comments > summary').click();
  const onward = principal.locator('details.ended-fold-comments', { hasText: 'Vấn đề này trùng với' })
    .getByRole('link', { name: issue.ref });
  await onward.waitFor();
  await screenshot(principal, 'issue-duplicate-open-vi-390');
  assert.deepEqual(await axe(principal), [], 'axe-core on a duplicate');
  assertClean(principal);
  assertClean(officer);
  await principal.context().close();
  await officer.context().close();
});
