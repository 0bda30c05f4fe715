// main.js -- starts the app: who is signed in, the routes each role may open, the shell
// (menu, language switch), and the sign-in dialog that a 401 opens over any screen.
import * as api from './api.js';
import { t, setLang, lang } from './i18n.js';
import { route, match, onRoute, navigate, start, currentPath } from './router.js';
import { renderShell, announce, leaveScreen } from './shell.js';
import { fill, h } from './dom.js';

const STAFF = ['officer', 'supervisor', 'admin'];
const main = document.getElementById('main');
let cleanup = null;
let navigated = false;   // the first screen after loading the page keeps the browser's focus

route('/login', () => import('./screens/login.js'), { public: true });
route('/password', () => import('./screens/password.js'));
route('/', null, { home: true });
route('/issues/new', () => import('./screens/file_issue.js'), { roles: ['principal'] });
route('/shared', () => import('./screens/shared.js'), { roles: ['principal', 'cluster_leader'] });
route('/issues/:ref', () => import('./screens/issue.js'));
route('/queue', () => import('./screens/queue.js'), { roles: STAFF });
route('/escalations', () => import('./screens/escalations.js'), { roles: STAFF });
route('/meetings', () => import('./screens/meetings.js'), { roles: STAFF });
route('/meetings/:id', () => import('./screens/meeting.js'), { roles: STAFF });
route('/report', () => import('./screens/report.js'));
route('/practices', () => import('./screens/practices.js'));
route('/practices/:id', () => import('./screens/practice.js'));
route('/directives', () => import('./screens/directives.js'));
route('/directives/:id', () => import('./screens/directive.js'));
route('/ratings', () => import('./screens/ratings.js'), { roles: STAFF });
route('/notifications', () => import('./screens/notifications.js'));
route('/admin', null, { redirect: '/admin/users', roles: ['admin'] });
route('/admin/:section', () => import('./screens/admin.js'), { roles: ['admin'] });

// What "/" shows for each role.
const HOME = {
  principal: () => import('./screens/home.js'),
  cluster_leader: () => import('./screens/cluster.js'),
  officer: '/queue',
  supervisor: '/escalations',
  admin: '/admin/users',
};

async function render() {
  const found = match(location.pathname);
  const user = api.currentUser();
  if (!found) return show(() => import('./screens/not_found.js'), {});
  const { route: r, params } = found;
  if (!r.public && !user) {
    return navigate(`/login?next=${encodeURIComponent(currentPath())}`, { replace: true });
  }
  if (user?.must_change_password && location.pathname !== '/password' && !r.public) {
    return navigate('/password', { replace: true });
  }
  if (r.redirect) return navigate(r.redirect, { replace: true });
  if (r.roles && !r.roles.includes(user.role)) return show(() => import('./screens/not_found.js'), {});
  let load = r.load;
  if (r.home) {
    const target = HOME[user.role];
    if (typeof target === 'string') return navigate(target, { replace: true });
    load = target;
  }
  return show(load, params);
}

async function show(load, params) {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  leaveScreen();
  renderShell(rerender);
  main.setAttribute('aria-busy', 'true');   // until the screen has its data (tests wait on it too)
  const screen = await load();
  const ctx = { user: api.currentUser(), navigate, announce, rerender };
  fill(main);
  try {
    cleanup = await screen.render(main, params, ctx);
  } catch (err) {
    fill(main, h('h1', null, t('err.title')), h('p', { class: 'error' }, t('err.unknown')));
    console.warn(err);
  }
  main.setAttribute('aria-busy', 'false');
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · directline` : 'directline';
  // After a move inside the app, a screen reader starts at the new screen's heading,
  // unless the screen itself put the focus somewhere useful (a first field).
  if (heading && navigated && !main.contains(document.activeElement)) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
  navigated = true;
}

// The language switch and the sign-in dialog re-draw the current screen in place.
function rerender() {
  return render();
}

async function boot() {
  setLang(lang());
  document.getElementById('skip-link').textContent = t('nav.skip');
  api.onUnauthorized(async () => (await import('./signin_dialog.js')).askToSignIn());
  api.onPasswordChangeRequired(() => navigate('/password', { replace: true }));
  // The home screen of the role last signed in here starts loading while /api/me is asked
  // (one round trip less on slow mobile data); a wrong guess costs one unused module.
  const guess = HOME[api.lastRole()];
  if (typeof guess === 'function' && location.pathname === '/') guess().catch(() => {});
  try {
    if (api.maybeSignedIn()) await api.loadMe();
  } catch (err) {
    if (err.status !== 401) announce(t('err.http.0'), 'error');
  }
  start();
  onRoute(render);
  await render();
}

boot();
