// budget.test.js -- the principal's home right after sign-in, under Chromium's emulation of
// Lighthouse's "Slow 4G" (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip): every request
// from opening "/" until the list shows transfers under 150 KB and takes under 2 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, PHONE, ARTIFACTS, launch, openPage, signIn } from './lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('principal home: under 150 KB and 2 s on Slow 4G', async () => {
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, 'ht.th001');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
  const sizes = new Map();
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));

  const started = Date.now();
  await page.goto(`${BASE}/`);
  await page.locator('section[aria-labelledby=others-h] li').first().waitFor();
  const elapsed = Date.now() - started;
  await page.waitForTimeout(300);   // let the last loadingFinished events arrive
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const lines = [...sizes.entries()].map(([id, n]) => `${n}\t${urls.get(id)}`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'budget.txt'),
    `principal home on Slow 4G: ${elapsed} ms, ${total} bytes in ${sizes.size} requests\n${lines.join('\n')}\n`);
  console.log(`# principal home on Slow 4G: ${elapsed} ms, ${total} bytes, ${sizes.size} requests`);
  assert.ok(total < 150 * 1024, `transferred ${total} bytes`);
  assert.ok(elapsed < 2000, `shown after ${elapsed} ms`);
  await page.context().close();
});
