// practices.test.js -- the practice library (docs/practices.md) as the people concerned use
// it: the facilities officer resolves a school's toilet problem and, offered it right
// away, publishes the answer with one of its two photos and a teacher's name taken out
// (the published page shows that photo only, and no name; publishing it twice points to
// the practice there is); a principal of another school finds it typing without accents,
// opens it and downloads the photo; a principal proposes the school's own practice and
// follows it, an officer publishes it; another proposal is declined and the first practice
// withdrawn, each with a note (required), and no school finds a withdrawn one. Both
// languages; every screen on a 390 px phone and a 1366 px desktop, axe-core on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, ready, screenshot, axe, assertClean,
  act, sendJson, look } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString(36);
const NAME = 'Nguyễn Thị Hoà';
const TITLE = `Nhà vệ sinh học sinh bị vỡ đường ống sau lũ ${STAMP}`;
const DESCRIPTION = `Cô giáo ${NAME} phát hiện đường ống khu nhà vệ sinh học sinh bị vỡ, nước tràn ra hành lang; 300 học sinh phải dùng nhờ nhà vệ sinh của giáo viên.`;
const RESOLUTION = 'Phòng Cơ sở vật chất duyệt kinh phí sửa chữa nhỏ trong 3 ngày; trường thuê thợ địa phương thay đường ống và gửi ảnh nghiệm thu.';
const KEPT_PHOTO = 'nha-ve-sinh-sau-sua.jpg';
const OTHER_PHOTO = 'bien-ban-co-ten-giao-vien.jpg';
let practiceId = null;

// A photo drawn by the browser, attached to the issue as the school would.
async function attachPhoto(page, ref, name, colour) {
  return page.evaluate(async ([r, n, c]) => {
    const me = await (await fetch('/api/me')).json();
    const canvas = document.createElement('canvas');
    canvas.width = 480; canvas.height = 320;
    const g = canvas.getContext('2d');
    g.fillStyle = c; g.fillRect(0, 0, 480, 320);
    g.fillStyle = '#fff'; g.fillRect(60, 60, 200, 120);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    const form = new FormData();
    form.append('file', blob, n);
    const response = await fetch(`/api/issues/${r}/attachments`, { method: 'POST',
      headers: { 'X-CSRF-Token': me.csrf_token || '' }, body: form });
    return response.json();
  }, [ref, name, colour]);
}

// A page that needs no action, seen by `login` in both languages.
async function lookInBoth(login, path, name, shown) {
  for (const lang of ['vi', 'en']) {
    const page = await openPage(browser, { viewport: PHONE, lang });
    await signIn(page, login);
    await page.goto(`${BASE}${path}`);
    await ready(page);
    await page.locator(shown).first().waitFor();
    await look(page, name, lang);
    assertClean(page);
    await page.context().close();
  }
}

test('the facilities officer resolves an issue and publishes its answer with one of two photos, no name', async () => {
  // A school's toilet problem, with two photos; the description names a teacher.
  const school = await openPage(browser, { viewport: PHONE });
  await signIn(school, 'ht.th012');
  const issue = await sendJson(school, 'POST', '/api/issues', { category: 'VE-SINH-NUOC-SACH', title: TITLE, description: DESCRIPTION });
  assert.match(issue.ref, /^HT-/);
  const kept = await attachPhoto(school, issue.ref, KEPT_PHOTO, '#2a6');
  const other = await attachPhoto(school, issue.ref, OTHER_PHOTO, '#a62');
  assert.ok(kept.id && other.id, 'the photos were attached');
  await school.context().close();

  // The officer resolves it; the offer to share the answer comes at once.
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.csvc1');
  await officer.goto(`${BASE}/issues/${issue.ref}`);
  await ready(officer);
  assert.equal(await officer.locator('.practice-offer').count(), 0, 'an open issue has nothing to publish yet');
  await act(officer, 'triage');
  await act(officer, 'resolve', RESOLUTION);
  const offer = officer.locator('.practice-offer.just-resolved');
  await offer.waitFor();
  await look(officer, 'issue-resolved-practice-offer', 'vi');

  // The form is the issue's text, to edit: its title, its description, the resolution.
  await offer.locator('button.practice-offer-open').click();
  const form = offer.locator('form.practice-publish');
  await form.waitFor();
  assert.equal(await form.locator('[data-field=title] input').inputValue(), TITLE);
  assert.equal(await form.locator('[data-field=problem] textarea').inputValue(), DESCRIPTION);
  assert.equal(await form.locator('[data-field=solution] textarea').inputValue(), RESOLUTION);
  await form.locator('.names-hint').waitFor();
  const boxes = form.locator('.practice-file input[type=checkbox]');
  assert.equal(await boxes.count(), 2);
  assert.equal(await form.locator('.practice-file input:checked').count(), 0, 'no file is ticked beforehand');
  await look(officer, 'issue-practice-publish-form', 'vi');

  // The teacher's name goes; one photo of two travels.
  await form.locator('[data-field=problem] textarea').fill(DESCRIPTION.replace(`Cô giáo ${NAME}`, 'Một giáo viên'));
  await form.locator('.practice-file', { hasText: KEPT_PHOTO }).locator('input').check();
  await form.locator('button[type=submit]').click();
  await officer.waitForURL(/\/practices\/\d+$/);
  await ready(officer);
  practiceId = Number(officer.url().split('/').pop());
  const files = officer.locator('.practice-files li');
  assert.equal(await files.count(), 1, 'only the ticked file is published');
  assert.ok((await files.first().innerText()).includes(KEPT_PHOTO));
  const text = await officer.locator('main').innerText();
  assert.ok(!text.includes(NAME), 'the name taken out is not published');
  assert.ok(!text.includes(OTHER_PHOTO), 'the file not ticked is not published');
  assert.ok(text.includes(RESOLUTION));
  // Staff read the issue, so its reference is given; the category is the issue's.
  await officer.locator(`.practice-meta a[href="/issues/${issue.ref}"]`).waitFor();
  assert.ok((await officer.locator('.practice-meta').innerText()).includes('Nhà vệ sinh và nước sạch'));
  await officer.locator('button.practice-action-withdraw').waitFor();
  await look(officer, 'practice-published-officer', 'vi');

  // Publishing the same issue again points to the practice there is.
  officer.record.expectedStatuses.add(409);
  await officer.goto(`${BASE}/issues/${issue.ref}`);
  await ready(officer);
  await officer.locator('.practice-offer:not(.just-resolved) button.practice-offer-open').click();
  await officer.locator('form.practice-publish button[type=submit]').click();
  const existing = officer.locator('form.practice-publish .already-published a');
  await existing.waitFor();
  assert.equal(await existing.getAttribute('href'), `/practices/${practiceId}`);
  await screenshot(officer, 'issue-practice-already-published-vi-1366');
  assertClean(officer, { allow: ['status of 409', '/api/practices'] });
  await officer.context().close();
});

test('a principal finds the practice typing without accents, opens it and downloads its photo', async () => {
  assert.ok(practiceId, 'the practice of the first test');
  for (const lang of ['vi', 'en']) {
    const principal = await openPage(browser, { viewport: PHONE, lang });
    await signIn(principal, 'ht.th001');
    await principal.goto(`${BASE}/practices`);
    await ready(principal);
    await principal.locator('.practice-list .practice-card').first().waitFor();
    await look(principal, 'practices-library', lang);

    await principal.locator('form.practice-filters input[type=search]').fill(`nha ve sinh hoc sinh bi vo duong ong ${STAMP}`);
    await principal.locator('form.practice-filters button[type=submit]').click();
    await principal.waitForURL(/\/practices\?q=/);
    await ready(principal);
    const cards = principal.locator('.practice-list .practice-card');
    assert.equal(await cards.count(), 1, 'the search finds the one practice');
    assert.equal(await cards.first().locator('.card-link').innerText(), TITLE);
    await look(principal, 'practices-search', lang);

    await cards.first().locator('.card-link').click();
    await principal.waitForURL(`**/practices/${practiceId}`);
    await ready(principal);
    // Another school's problem: the Department's practice names the cluster, not the school
    // or the issue.
    assert.equal(await principal.locator('.practice-meta a[href^="/issues/"]').count(), 0);
    assert.ok((await principal.locator('.practice-origin').innerText())
      .startsWith(lang === 'vi' ? 'Sở tổng hợp' : 'Drawn up by the Department'));
    assert.equal(await principal.locator('.practice-tools').count(), 0, 'a school has no editing tools');
    await look(principal, 'practice-principal', lang);

    const link = principal.locator('.practice-files a', { hasText: KEPT_PHOTO });
    const [download] = await Promise.all([principal.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), KEPT_PHOTO);
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).subarray(0, 2).toString('hex'), 'ffd8', 'the photo is a JPEG');
    assertClean(principal);
    await principal.context().close();
  }
});

test('while a principal types a new issue, the practice is suggested', async () => {
  for (const [lang, viewport] of [['vi', PHONE], ['en', DESKTOP]]) {
    const principal = await openPage(browser, { viewport, lang });
    await signIn(principal, 'ht.th030');
    await principal.goto(`${BASE}/issues/new`);
    await ready(principal);
    await principal.locator('input[name=title]').fill('Nhà vệ sinh học sinh bị vỡ đường ống, nước tràn ra hành lang');
    await principal.locator('.similar summary').click();   // folded under one line: opened
    const suggestion = principal.locator('.similar .similar-practices li', { hasText: TITLE });
    await suggestion.waitFor();
    await suggestion.scrollIntoViewIfNeeded();
    await look(principal, 'file-issue-practice-suggestion', lang);
    if (lang === 'vi') {
      await suggestion.locator('a').click();
      await principal.waitForURL(`**/practices/${practiceId}`);
      await ready(principal);
    }
    assertClean(principal);
    await principal.context().close();
  }
});

test('by category: the filter keeps the toilets and clean water practices', async () => {
  const principal = await openPage(browser, { viewport: DESKTOP, lang: 'en' });
  await signIn(principal, 'ht.th001');
  await principal.goto(`${BASE}/practices`);
  await ready(principal);
  await principal.locator('form.practice-filters [data-field=category] select').selectOption('VE-SINH-NUOC-SACH');
  await principal.locator('form.practice-filters button[type=submit]').click();
  await principal.waitForURL(/category=VE-SINH-NUOC-SACH/);
  await ready(principal);
  const categories = await principal.locator('.practice-list .practice-category').allInnerTexts();
  assert.ok(categories.length >= 2, 'the demo practice and the one published above');
  assert.ok(categories.every((c) => c === 'Toilets and clean water'), categories.join(', '));
  assertClean(principal);
  await principal.context().close();
});

test('a principal proposes the school\'s practice, follows it, an officer publishes it', async () => {
  const title = `Góc đọc sách ngoài trời do phụ huynh góp ${STAMP}`;
  const principal = await openPage(browser, { viewport: PHONE });
  await signIn(principal, 'ht.th004');
  await principal.goto(`${BASE}/practices`);
  await ready(principal);
  await principal.locator('details.new-practice > summary').click();
  const form = principal.locator('form.practice-propose');
  // Nothing filled in: each field says what it needs.
  principal.record.expectedStatuses.add(400);
  await form.locator('button[type=submit]').click();
  await form.locator('[data-field=title] .field-error', { hasText: 'Mục này bắt buộc.' }).waitFor();
  await form.locator('[data-field=category] .field-error', { hasText: 'Mục này bắt buộc.' }).waitFor();
  await look(principal, 'practice-propose-errors', 'vi');
  await form.locator('[data-field=category] select').selectOption('SACH-GIAO-KHOA');
  await form.locator('[data-field=title] input').fill(title);
  await form.locator('[data-field=problem] textarea').fill('Học sinh ít có chỗ đọc sách trong giờ ra chơi; thư viện nhỏ, luôn đông.');
  await form.locator('[data-field=solution] textarea').fill('Hội cha mẹ học sinh góp kệ và ghế đá; mỗi lớp trực góc đọc một tuần; sách luân chuyển giữa các lớp hằng tháng.');
  await form.locator('button[type=submit]').click();
  await principal.waitForURL(/\/practices\?tab=proposals$/);
  await ready(principal);
  const mine = principal.locator('.practice-card', { hasText: title });
  await mine.waitFor();
  assert.ok((await mine.innerText()).includes('Chờ duyệt'));
  await look(principal, 'practices-own-proposals', 'vi');

  // The officer finds it among the proposals waiting, and publishes it.
  const officer = await openPage(browser, { viewport: DESKTOP, lang: 'en' });
  await signIn(officer, 'cb.gdth1');
  await officer.goto(`${BASE}/practices?tab=proposals`);
  await ready(officer);
  const waiting = officer.locator('.practice-card', { hasText: title });
  await waiting.waitFor();
  await look(officer, 'practices-waiting-officer', 'en');
  await waiting.locator('.card-link').click();
  await officer.waitForURL(/\/practices\/\d+$/);
  await ready(officer);
  assert.ok((await officer.locator('.practice-meta').innerText()).includes('Waiting for review'));
  await officer.locator('button.practice-action-publish').click();
  await officer.locator('form[data-practice-action=publish] textarea').fill('Thank you for sharing it.');
  await look(officer, 'practice-review-officer', 'en');
  await officer.locator('form[data-practice-action=publish] button[type=submit]').click();
  await officer.locator('button.practice-action-withdraw').waitFor();
  assert.equal(await officer.locator('.practice-meta .practice-proposed').count(), 0, 'no longer waiting');
  // A school's own practice names the school.
  assert.ok((await officer.locator('.practice-origin').innerText()).length > 0);
  assertClean(officer);
  await officer.context().close();

  // The school sees it published, with the Department's word.
  await principal.reload();
  await ready(principal);
  const published = principal.locator('.practice-card', { hasText: title });
  await published.waitFor();
  assert.ok(!(await published.innerText()).includes('Chờ duyệt'));
  await published.locator('.card-link').click();
  await ready(principal);
  await principal.locator('.practice-note', { hasText: 'Thank you for sharing it.' }).waitFor();
  await look(principal, 'practice-own-published', 'vi');
  assertClean(principal, { allow: ['status of 400'] });
  await principal.context().close();
});

test('the library\'s screens in both languages', async () => {
  await lookInBoth('cb.gdth1', '/practices?tab=proposals', 'practices-waiting', '.practice-card');
  await lookInBoth('ct.cm01', `/practices/${practiceId}`, 'practice-cluster-leader', '.practice-files a');
});

test('an officer declines a proposal and withdraws a published practice, each with a note the school reads', async () => {
  assert.ok(practiceId, 'the practice of the first test');
  const principal = await openPage(browser, { viewport: PHONE });
  await signIn(principal, 'ht.th005');
  const title = `Câu lạc bộ cờ vua giờ ra chơi ${STAMP}`;
  const proposed = await sendJson(principal, 'POST', '/api/practices', { category: 'SACH-GIAO-KHOA', title,
    problem: 'Giờ ra chơi học sinh chạy nhảy nhiều, dễ va chạm.',
    solution: 'Mỗi khối một bàn cờ vua ở hành lang; học sinh lớp 5 hướng dẫn các em nhỏ.' });
  assert.ok(proposed.id, JSON.stringify(proposed));

  // The officer declines it: a note is required, and the school reads it.
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.gdth1');
  await officer.goto(`${BASE}/practices/${proposed.id}`);
  await ready(officer);
  await officer.locator('button.practice-action-decline').click();
  const decline = officer.locator('form[data-practice-action=decline]');
  officer.record.expectedStatuses.add(400);
  await decline.locator('button[type=submit]').click();
  await decline.locator('.field-error', { hasText: 'Mục này bắt buộc.' }).waitFor();
  const why = 'Cờ vua không thuộc mục sách giáo khoa; trường đề xuất lại ở mục hoạt động ngoài giờ lên lớp.';
  await decline.locator('textarea').fill(why);
  await look(officer, 'practice-decline-officer', 'vi');
  await decline.locator('button[type=submit]').click();
  await officer.locator('.practice-meta', { hasText: 'Không được đăng' }).waitFor();
  assert.equal(await officer.locator('button.practice-action-publish').count(), 0, 'a declined one is not published');

  await principal.goto(`${BASE}/practices/${proposed.id}`);
  await ready(principal);
  await principal.locator('.practice-note', { hasText: why }).waitFor();
  assert.ok((await principal.locator('.practice-meta').innerText()).includes('Không được đăng'));
  await look(principal, 'practice-declined-principal', 'vi');
  assertClean(principal);
  await principal.context().close();

  // The first test's practice is withdrawn: staff see why, no school finds it any more.
  await officer.goto(`${BASE}/practices/${practiceId}`);
  await ready(officer);
  await officer.locator('button.practice-action-withdraw').click();
  const withdraw = officer.locator('form[data-practice-action=withdraw]');
  await withdraw.locator('textarea').fill('Quy trình sửa chữa nhỏ đã thay đổi từ tháng này; bài sẽ được viết lại.');
  await withdraw.locator('button[type=submit]').click();
  await officer.locator('.practice-meta', { hasText: 'Đã gỡ khỏi thư viện' }).waitFor();
  await look(officer, 'practice-withdrawn-officer', 'vi');
  assertClean(officer, { allow: ['status of 400'] });
  await officer.context().close();

  const reader = await openPage(browser, { viewport: PHONE });
  await signIn(reader, 'ht.th030');
  await reader.goto(`${BASE}/practices?q=${encodeURIComponent(`nha ve sinh hoc sinh bi vo duong ong ${STAMP}`)}`);
  await ready(reader);
  assert.equal(await reader.locator('.practice-list .practice-card').count(), 0, 'a withdrawn practice is still found');
  assertClean(reader);
  await reader.context().close();
});
