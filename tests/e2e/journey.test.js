// journey.test.js -- the whole life through the browser: a principal on a phone files
// it with Vietnamese text and a photo, an officer on a desktop finds it by an accent-free
// search, triages and asks for information, the principal answers, the officer resolves,
// the principal confirms, and the timeline shows every step in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, openPage, signIn, assertClean, sql, act } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A real JPEG made by the browser itself, to attach as the "photo".
async function jpegFromBrowser(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640; c.height = 480;
    const g = c.getContext('2d');
    g.fillStyle = '#2a6'; g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#fff'; g.fillRect(100, 100, 200, 150);
    return c.toDataURL('image/jpeg', 0.9);
  });
  const jpeg = Buffer.from(dataUrl.split(',')[1], 'base64');
  // An EXIF block with a location, as a phone camera writes one (APP1 right after SOI).
  const tiff = Buffer.concat([Buffer.from('MM\x00\x2a\x00\x00\x00\x08\x00\x00', 'latin1'),
    Buffer.from('GPS 18.3559N 105.8877E', 'latin1')]);
  const body = Buffer.concat([Buffer.from('Exif\x00\x00', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

test('principal files, officer triages and asks, principal answers, officer resolves, principal confirms', async () => {
  const stamp = Date.now().toString(36);
  const title = `Phòng học lớp 2A bị dột mái sau mưa bão ${stamp}`;
  const principal = await openPage(browser, { viewport: PHONE });
  await signIn(principal, 'ht.th001');

  await principal.getByRole('link', { name: 'Gửi vấn đề mới' }).first().click();
  await principal.locator('input[name=category][value="THIEU-GV"]').check();
  await principal.getByLabel('Tiêu đề').fill(title);
  await principal.getByLabel('Mô tả').fill('Mái tôn phòng học lớp 2A bị thủng nhiều chỗ, nước mưa chảy xuống bàn học sinh; 32 em phải học ghép.');
  await principal.getByLabel('Đề xuất giải pháp').fill('Đề nghị Sở hỗ trợ kinh phí thay mái tôn trước mùa mưa lũ.');
  await principal.locator('input[type=file][capture]').setInputFiles({
    name: 'mai-dot.jpg', mimeType: 'image/jpeg', buffer: await jpegFromBrowser(principal) });
  await principal.locator('.files li').first().waitFor();
  await principal.getByRole('button', { name: 'Gửi vấn đề' }).click();
  await principal.waitForURL(/\/issues\/HT-\d{4}-\d{6}$/);
  const ref = principal.url().split('/').pop();
  await principal.getByRole('heading', { level: 1, name: title }).waitFor();
  await principal.locator('a[href^="/api/attachments/"]').first().waitFor();
  // What was stored is a JPEG re-encoded in the browser: no EXIF, no location.
  const [[head, exif, gps]] = sql(`SELECT encode(substr(c.content, 1, 2), 'hex'),
      position('\\x45786966'::bytea in c.content), position(convert_to('18.3559N', 'UTF8') in c.content)
    FROM attachments a JOIN attachment_contents c ON c.attachment_id = a.id
    JOIN issues i ON i.id = a.issue_id WHERE i.ref = '${principal.url().split('/').pop()}'`);
  assert.equal(head, 'ffd8');
  assert.equal(exif, '0', 'no EXIF block');
  assert.equal(gps, '0', 'no location');

  // It is at the top of the school's list.
  await principal.goto(`${BASE}/`);
  const firstOther = principal.locator('section[aria-labelledby=others-h] .card-link').first();
  assert.equal(await firstOther.textContent(), title);

  assert.equal(sql(`SELECT count(*) FROM issues WHERE ref = '${ref}'`)[0][0], '1');

  // The officer of the personnel division finds it without typing accents.
  const officer = await openPage(browser, { viewport: DESKTOP });
  await signIn(officer, 'cb.tccb1');
  await officer.goto(`${BASE}/queue`);
  await officer.getByLabel('Tìm kiếm').fill(`phong hoc lop 2a bi dot mai sau mua bao ${stamp}`);
  await officer.getByRole('button', { name: 'Lọc' }).click();
  await officer.getByRole('link', { name: ref }).click();
  await officer.getByRole('heading', { level: 1, name: title }).waitFor();
  await act(officer, 'triage');
  await act(officer, 'request_info', 'Nhà trường cho biết diện tích mái cần thay và số phòng bị ảnh hưởng?');

  // The principal sees it waiting on the school and answers.
  await principal.goto(`${BASE}/`);
  await principal.locator('section[aria-labelledby=waiting-h]').getByRole('link', { name: title }).click();
  await principal.locator('form[data-action=answer_info] textarea').fill('Khoảng 60 m², một phòng học.');
  await principal.locator('form[data-action=answer_info] button[type=submit]').click();
  await principal.locator('#status.success').waitFor();

  await officer.reload();
  await act(officer, 'resolve', 'Sở đã phân bổ kinh phí sửa chữa; nhà thầu thay mái trong tuần này.');

  await principal.reload();
  // Confirming asks how well the problem was solved (1-5).
  await principal.locator('form[data-action=confirm] input[name=rating][value="5"]').check();
  await principal.locator('form[data-action=confirm] button[type=submit]').click();
  await principal.locator('#status.success').waitFor();
  await principal.locator('.badge.status-closed').first().waitFor();

  const steps = await principal.locator('.timeline .event').evaluateAll((items) =>
    items.map((li) => [...li.classList].find((c) => c.startsWith('event-') && c !== 'event')));
  const lifecycle = steps.filter((s) => ['event-filed', 'event-triage', 'event-request_info', 'event-answer_info',
    'event-resolve', 'event-confirm'].includes(s));
  assert.deepEqual(lifecycle, ['event-filed', 'event-triage', 'event-request_info', 'event-answer_info',
    'event-resolve', 'event-confirm']);
  assertClean(principal);
  assertClean(officer);
  await principal.context().close();
  await officer.context().close();
});
