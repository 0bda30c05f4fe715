// lib.js -- what every browser test shares: Debian's Chromium through playwright-core,
// pages that record every console error, failed request, request to another host and
// response body, signing in, screenshots under the build folder, and axe-core.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sql as runSql } from './stack.js';

export const BASE = process.env.DIRECTLINE_E2E_URL;
export const PASSWORD = 'hatinh-demo-2026';
export const ARTIFACTS = process.env.DIRECTLINE_E2E_ARTIFACTS || 'e2e-artifacts';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 768 };
// Vietnamese letters that English text never has (with a diacritic, and đ).
export const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

if (!BASE) throw new Error('DIRECTLINE_E2E_URL is not set: run the tests through run.js');

export function sql(query) {
  return runSql(process.env.DATABASE_URL, query);
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A fresh browser context (its own cookies and storage) at a viewport, in a language,
// with a record of everything that went wrong on the wire or in the console.
export async function openPage(browser, { viewport = PHONE, lang = 'vi' } = {}) {
  const context = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-GB' : 'vi-VN', timezoneId: 'Europe/Paris' });
  await context.addInitScript((l) => { if (!localStorage.getItem('directline.lang')) localStorage.setItem('directline.lang', l); }, lang);
  const page = await context.newPage();
  const record = { consoleErrors: [], failed: [], foreign: [], bodies: [], expectedStatuses: new Set() };
  page.on('console', (m) => { if (m.type() === 'error') record.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => record.consoleErrors.push(`pageerror: ${e.message}`));
  // A GET still in flight when the test sends the page elsewhere (page.goto) is cancelled
  // by the browser: that is the test's doing, not a failure of the app. Each request
  // remembers how many page loads had begun when it left.
  let loads = 0;
  const loadOf = new WeakMap();
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) loads += 1;
    loadOf.set(r, loads);
    if (!r.url().startsWith(BASE) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) record.foreign.push(r.url());
  });
  page.on('requestfailed', (r) => {
    const leftBehind = r.failure()?.errorText === 'net::ERR_ABORTED' && r.method() === 'GET' && loadOf.get(r) < loads;
    if (!leftBehind) record.failed.push(`${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', async (r) => {
    if (r.status() >= 400 && !record.expectedStatuses.has(r.status())) record.failed.push(`${r.status()} ${r.url()}`);
    try {
      const type = r.headers()['content-type'] || '';
      if (/json|text|javascript/.test(type)) record.bodies.push({ url: r.url(), body: await r.text() });
    } catch { /* a body not kept (redirect, aborted) */ }
  });
  page.record = record;
  return page;
}

// Nothing went wrong on this page: no console error, no failed request, no other host.
export function assertClean(page, { allow = [] } = {}) {
  const keep = (list) => list.filter((x) => !allow.some((a) => x.includes(a)));
  assert.deepEqual(keep(page.record.failed), [], 'failed requests');
  assert.deepEqual(keep(page.record.consoleErrors), [], 'console errors');
  assert.deepEqual(page.record.foreign, [], 'requests to another host');
}

export async function signIn(page, login, next = '/') {
  await page.goto(`${BASE}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/Tên đăng nhập|Login/).fill(login);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await ready(page);
}

// A JSON request from the signed-in page, with its CSRF token, for what a test sets up
// rather than shows; returns the answer's body.
export async function sendJson(page, method, apiPath, body) {
  return page.evaluate(async ([m, p, b]) => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch(p, { method: m,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: b === undefined ? undefined : JSON.stringify(b) });
    return r.json();
  }, [method, apiPath, body]);
}

// A staff or school action taken on the issue page, as a person takes it: its button,
// its note, send; done when this action's own step shows in the timeline (not a message
// an earlier action left behind).
export async function act(page, action, note) {
  const done = page.locator(`.timeline .event-${action}`);
  const before = await done.count();
  await page.locator(`button.action-${action}`).first().click();
  const form = page.locator(`form[data-action="${action}"]`);
  if (note) await form.locator('textarea').fill(note);
  await form.locator('button[type=submit]').click();
  await done.nth(before).waitFor();
}

// The screen has drawn itself with its data (main.js clears aria-busy then), so its
// requests are done before the test goes elsewhere (else they are aborted mid-way).
export async function ready(page) {
  await page.locator('main[aria-busy=false]').waitFor();
}

// A small picture drawn by the browser itself (a canvas), as the bytes of a PNG file.
export async function pngFromBrowser(page) {
  return Buffer.from(await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320; c.height = 240;
    c.getContext('2d').fillRect(20, 20, 100, 80);
    return c.toDataURL('image/png').split(',')[1];
  }), 'base64');
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core's serious and critical findings on the page as it is now ([] when none).
export async function axe(page) {
  // Injected through the test driver (not a <script> of the page): the app's CSP stays strict.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

// Visible text on the page outside user-written content and proper names (.verbatim).
export async function visibleInterfaceText(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('.verbatim, script, style, noscript, [hidden]')) continue;
      const text = node.textContent.trim();
      if (!text) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll('input[placeholder], [aria-label], [title]')) {
      if (el.closest('.verbatim')) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    for (const el of document.querySelectorAll('option')) if (!el.closest('.verbatim')) out.push(el.textContent);
    return out;
  });
}

// The screen as it is, on a phone and on a desk: a screenshot of each, nothing wider than
// the phone, no serious axe-core finding, and in English no Vietnamese interface text.
export async function look(page, name, lang) {
  const before = page.viewportSize();
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(100);
    await screenshot(page, `${name}-${lang}-${viewport.width}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= viewport.width,
      `${name}: the page is wider than ${viewport.width} px`);
  }
  await page.setViewportSize(before);
  assert.deepEqual(await axe(page), [], `axe-core on ${name}`);
  if (lang === 'en') {
    const leftovers = (await visibleInterfaceText(page)).filter((text) => VIETNAMESE.test(text));
    assert.deepEqual(leftovers, [], `${name}: Vietnamese text left in English`);
  }
}
