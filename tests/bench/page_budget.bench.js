// page_budget.bench.js -- run by page_budget.sh through tests/e2e/run.js (which starts the
// private stack): BENCH_RUNS measurements of the principal's home on emulated Slow 4G
// (tests/e2e/home_budget.js), each in a fresh browser context with an empty cache; prints
// each run's time and bytes, then the median time against the 2 s target. Asserts nothing
// about time: the figures are for a person to read.
import { test, before, after } from 'node:test';
import { launch } from '../e2e/lib.js';
import { measureHome } from '../e2e/home_budget.js';

const RUNS = Number(process.env.BENCH_RUNS || 5);
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test(`principal home on Slow 4G, ${RUNS} runs`, async () => {
  const times = [];
  for (let i = 1; i <= RUNS; i += 1) {
    const { elapsed, total, requests } = await measureHome(browser);
    times.push(elapsed);
    console.log(`run ${i}: ${elapsed} ms, ${total} bytes in ${requests} requests`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`median ${median} ms (min ${times[0]}, max ${times[times.length - 1]}); target: under 2000 ms`);
});
