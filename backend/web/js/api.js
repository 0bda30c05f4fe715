// api.js -- the one way the app talks to the server: same-origin fetch with the session
// cookie, the CSRF token on every change, Idempotency-Key when the caller has one, and a
// 401 that asks the user to sign in again and then retries the very same request.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

const session = { me: null, csrf: null };
let reauthenticate = null;     // set by main.js: opens the sign-in dialog, resolves when signed in
let passwordChangeRequired = null;   // set by main.js: a temporary password must be replaced first
let pendingReauth = null;      // several requests failing at once share one dialog

export function currentUser() {
  return session.me;
}

const HINT = 'directline.signedIn';

export function setSession(user, csrfToken) {
  session.me = user;
  session.csrf = csrfToken ?? user?.csrf_token ?? null;
  // The cookie is HttpOnly: this hint spares a sure-to-fail /api/me (and its console
  // error) when the browser has never signed in or has signed out.
  try {
    if (user) {
      localStorage.setItem(HINT, '1');
      localStorage.setItem(`${HINT}.role`, user.role);
    } else {
      localStorage.removeItem(HINT);
    }
  } catch { /* storage off: always ask the server */ }
}

export function lastRole() {
  try { return localStorage.getItem(`${HINT}.role`); } catch { return null; }
}

export function maybeSignedIn() {
  try { return localStorage.getItem(HINT) === '1'; } catch { return true; }
}

export function onUnauthorized(handler) {
  reauthenticate = handler;
}

export function onPasswordChangeRequired(handler) {
  passwordChangeRequired = handler;
}

// A random key for Idempotency-Key (crypto.randomUUID needs HTTPS; this does not).
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// request('POST', '/api/issues', {body, key}) -> parsed JSON (or null for 204).
// Options: body (JSON or FormData), key (Idempotency-Key), noReauth (401 just throws).
export async function request(method, path, options = {}) {
  for (;;) {
    let response;
    try {
      response = await fetch(path, buildInit(method, options));
    } catch (err) {
      throw new ApiError(0, { code: 'network' });
    }
    if (response.status === 401 && !options.noReauth && reauthenticate) {
      pendingReauth ??= reauthenticate().finally(() => { pendingReauth = null; });
      await pendingReauth;
      continue;   // the same request, now with the new session and its new CSRF token
    }
    try {
      return await readResponse(response);
    } catch (err) {
      // An admin reset the password meanwhile: nothing but the change works until it is done.
      if (err.problem?.code === 'password_change_required' && session.me) {
        session.me = { ...session.me, must_change_password: true };
        passwordChangeRequired?.();
      }
      throw err;
    }
  }
}

function buildInit(method, { body, key }) {
  const headers = { Accept: 'application/json' };
  const init = { method, credentials: 'same-origin', headers };
  if (method !== 'GET' && method !== 'HEAD') {
    if (session.csrf) headers['X-CSRF-Token'] = session.csrf;
    if (key) headers['Idempotency-Key'] = key;
  }
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return init;
}

async function readResponse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path, params, options) => request('GET', path + query(params), options);
export const post = (path, body, options) => request('POST', path, { ...options, body });
export const patch = (path, body, options) => request('PATCH', path, { ...options, body });
export const put = (path, body, options) => request('PUT', path, { ...options, body });
export const del = (path, options) => request('DELETE', path, options);

// Signs in; keeps the user and the CSRF token for the requests that follow.
export async function signIn(login, password) {
  const data = await request('POST', '/api/session', { body: { login, password }, noReauth: true });
  setSession(data.user, data.csrf_token);
  return data.user;
}

export async function loadMe() {
  try {
    const me = await request('GET', '/api/me', { noReauth: true });
    setSession(me);
    return me;
  } catch (err) {
    if (err.status === 401) setSession(null, null);
    throw err;
  }
}

export async function signOut() {
  try {
    await request('DELETE', '/api/session', { noReauth: true });
  } finally {
    setSession(null, null);
  }
}
