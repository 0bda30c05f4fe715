// run.js -- what ctest runs: starts one private directline (stack.js), runs every
// *.test.js against it with `node --test`, then stops it. With DIRECTLINE_E2E_URL and
// DATABASE_URL set it runs against that server instead (e.g. `contrib/dev.sh run`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, REPO } from './stack.js';

// ctest's SKIP_RETURN_CODE: the browser or the npm packages are not installed here.
const SKIP = 77;
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
// playwright-core 1.65 needs Node.js 20 (Debian 12's own nodejs is 18): then run again
// with the Node.js 20 that contrib/dev.sh unpacks into .node/, first on PATH.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 20) {
  const node20 = new URL('./.node/bin/node', import.meta.url).pathname;
  if (!fs.existsSync(node20)) {
    console.log(`# skipped: Node.js ${process.versions.node} is too old for playwright-core (needs 20)`
      + `, and ${node20} is missing; contrib/dev.sh test unpacks one there`);
    process.exit(SKIP);
  }
  console.log(`# Node.js ${process.versions.node} is too old for playwright-core: running with ${node20}`);
  const PATH = `${path.dirname(node20)}:${process.env.PATH || ''}`;
  const again = spawnSync(node20, process.argv.slice(1), { env: { ...process.env, PATH }, stdio: 'inherit' });
  process.exit(again.status ?? 1);
}
for (const [what, file] of [['Chromium', chromium], ['npm packages (npm ci)', new URL('./node_modules/playwright-core/package.json', import.meta.url).pathname]]) {
  if (!fs.existsSync(file)) {
    console.log(`# skipped: ${what} missing (${file}); contrib/dev.sh test installs it`);
    process.exit(SKIP);
  }
}

const here = path.dirname(new URL(import.meta.url).pathname);
const files = process.argv.slice(2).length ? process.argv.slice(2)
  : fs.readdirSync(here).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(here, f));

let stack = null;
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
env.DIRECTLINE_E2E_ARTIFACTS ??= path.join(REPO, 'build', 'e2e-artifacts');
if (!env.DIRECTLINE_E2E_URL) {
  stack = await startStack({ log: (m) => console.log(`# stack: ${m}`) });
  env.DIRECTLINE_E2E_URL = stack.base;
  env.DATABASE_URL = stack.databaseUrl;
}
let status = 1;
try {
  const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { env, stdio: 'inherit' });
  status = result.status ?? 1;
} finally {
  if (stack) {
    const problems = await stack.stop();
    if (problems.length) {
      console.error(`# ${problems.join('\n# ')}`);
      status = status || 1;
    }
  }
}
process.exit(status);
