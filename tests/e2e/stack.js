// stack.js -- a private directline for the browser tests: a throw-away PostgreSQL cluster
// (initdb on a free port, TCP only), `directline migrate` + `directline demo`, and
// `directline serve` on a free port. Everything is stopped and removed by stop().
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const asRoot = process.getuid?.() === 0;

function pgBinDir() {
  const versions = fs.readdirSync('/usr/lib/postgresql')
    .filter((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('no PostgreSQL server in /usr/lib/postgresql/*/bin');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

// PostgreSQL refuses to run as root: then its programs run as the `postgres` user.
function runPg(bin, args, cwd) {
  const program = path.join(pgBinDir(), bin);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  return execFileSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120000 });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// Resolves once `url` answers 200; rejects when `child` exits first or after `seconds`.
async function waitFor(url, seconds, child) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode} before ${url} answered`);
    }
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

// A free port is free only a moment ago: another process may take it before PostgreSQL or
// the server binds it. Like tests/api/conftest.py, each start is tried on a few ports.
const PORT_ATTEMPTS = 5;

// Starts PostgreSQL on a free port, trying again on another one when the start fails.
async function startPostgres(stack, data) {
  const conf = path.join(data, 'postgresql.conf');
  const base = fs.readFileSync(conf, 'utf8');
  const failures = [];
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
    const port = await freePort();
    fs.writeFileSync(conf, `${base}\nlisten_addresses = '127.0.0.1'\nport = ${port}\n`
      + "unix_socket_directories = ''\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\ntimezone = 'UTC'\n");
    try {
      runPg('pg_ctl', ['-D', data, '-l', path.join(stack.tmp, 'postgres.log'), '-w', '-t', '60', 'start'], stack.tmp);
      return port;
    } catch (err) {
      failures.push(`attempt ${attempt} (port ${port}): ${err.message}`);
      try { runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], stack.tmp); } catch { /* not running */ }
    }
  }
  throw new Error(`PostgreSQL did not start:\n${failures.join('\n')}`);
}

// Starts `directline serve` on a free port, trying again on another one when it exits
// before answering /readyz (e.g. the port was taken); sets stack.server and stack.base.
async function startServer(stack, bin, env) {
  const failures = [];
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
    const port = await freePort();
    stack.base = `http://127.0.0.1:${port}`;
    stack.serverLog = path.join(stack.tmp, `server-${attempt}.log`);
    const out = fs.openSync(stack.serverLog, 'a');
    stack.server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    try {
      await waitFor(`${stack.base}/readyz`, 60, stack.server);
      return;
    } catch (err) {
      const exited = stack.server.exitCode !== null || stack.server.signalCode !== null;
      failures.push(`attempt ${attempt} (port ${port}): ${err.message}\n${fs.readFileSync(stack.serverLog, 'utf8').slice(-2000)}`);
      if (!exited) throw new Error(failures.join('\n'));   // alive but not ready: not a port race
      stack.server = null;
    }
  }
  throw new Error(`directline serve did not start:\n${failures.join('\n')}`);
}

export async function startStack({ log = () => {} } = {}) {
  const bin = process.env.DIRECTLINE_BIN || path.join(REPO, 'build/backend/directline');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'directline-e2e-'));
  const data = path.join(tmp, 'data');
  if (asRoot) execFileSync('chown', ['postgres:postgres', tmp]);
  fs.chmodSync(tmp, 0o700);
  const stack = { tmp, pgStarted: false, server: null };
  stack.stop = () => stopStack(stack);
  try {
    log('initdb');
    runPg('initdb', ['-D', data, '-E', 'UTF8', '--locale=C.UTF-8', '--auth=trust', '-U', 'postgres', '--no-sync'], tmp);
    const pgPort = await startPostgres(stack, data);
    stack.pgStarted = true;
    stack.data = data;
    const admin = `postgresql://postgres@127.0.0.1:${pgPort}/postgres`;
    // As deployed: the tables' owner migrates, and the server's role owns nothing and is
    // held to row-level security. The tests' own SQL (databaseUrl) is the superuser's.
    for (const sql of ['CREATE ROLE directline_owner LOGIN', 'CREATE ROLE directline_app LOGIN',
      'CREATE DATABASE directline_e2e OWNER directline_owner']) {
      execFileSync(path.join(pgBinDir(), 'psql'), ['-X', '-q', '-d', admin, '-c', sql]);
    }
    const at = `127.0.0.1:${pgPort}/directline_e2e`;
    stack.databaseUrl = `postgresql://postgres@${at}`;
    const env = { ...process.env, DATABASE_URL: `postgresql://directline_app@${at}`,
      DATABASE_OWNER_URL: `postgresql://directline_owner@${at}`, DIRECTLINE_WEB_DIR: path.join(REPO, 'backend/web'),
      DIRECTLINE_SQL_DIR: process.env.DIRECTLINE_SQL_DIR || path.join(REPO, 'sql') };
    log('migrate');
    execFileSync(bin, ['migrate'], { env, stdio: 'pipe', timeout: 300000 });
    log('demo');
    execFileSync(bin, ['demo'], { env, stdio: 'pipe', timeout: 600000 });
    log('serve');
    await startServer(stack, bin, env);
    log(`serving on ${stack.base}`);
    return stack;
  } catch (err) {
    await stopStack(stack);
    throw err;
  }
}

// Stops the server (SIGTERM, as an operator would) and PostgreSQL. Resolves to the problems
// seen: the server not exiting cleanly, or a sanitizer report in its log.
async function stopStack(stack) {
  const problems = [];
  const server = stack.server;
  if (server) {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 30000);
      await exited;
      clearTimeout(timer);
    }
    if (server.exitCode !== 0) problems.push(`the server ended with ${server.exitCode ?? server.signalCode}`);
    const text = fs.readFileSync(stack.serverLog, 'utf8');
    if (/AddressSanitizer|LeakSanitizer|runtime error:/.test(text)) problems.push('sanitizer report in the server log');
    if (problems.length) problems.push(text.slice(-4000));
    stack.server = null;
  }
  if (stack.pgStarted) {
    try { runPg('pg_ctl', ['-D', stack.data, '-m', 'fast', '-w', '-t', '60', 'stop'], stack.tmp); } catch { /* already gone */ }
    stack.pgStarted = false;
  }
  if (!process.env.DIRECTLINE_TEST_KEEP) fs.rmSync(stack.tmp, { recursive: true, force: true });
  return problems;
}

// One SQL query against the test database; rows as arrays of strings.
export function sql(databaseUrl, query) {
  const out = execFileSync(path.join(pgBinDir(), 'psql'), ['-X', '-q', '-At', '-F', '\t', '-d', databaseUrl, '-c', query],
    { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((line) => line.split('\t'));
}
