// home_budget.js -- one measurement of the principal's home right after sign-in under
// Chromium's emulation of Lighthouse's "Slow 4G" (1.6 Mbit/s down, 750 kbit/s up, 150 ms
// round trip): the bytes of every request from opening "/" until the list shows, and the
// time that took. budget.test.js checks the bytes; tests/bench/page_budget.sh the time.
import { BASE, PHONE, openPage, signIn } from './lib.js';

export const SLOW_4G = {
  offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
};

// Resolves to { elapsed (ms), total (bytes), requests, lines ("bytes\turl" per request) }.
export async function measureHome(browser) {
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page, 'ht.th001');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
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
  await page.context().close();
  return { elapsed, total, requests: sizes.size, lines };
}
