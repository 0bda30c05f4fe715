// router.js -- maps history paths to screens, loading each screen's module only when it is
// first shown (so a principal's phone never downloads the officers' or admins' screens).

const routes = [];
let renderRoute = null;   // main.js: (route, params) => renders the screen

// route('/issues/:ref', () => import('./screens/issue.js'), {roles: [...]})
export function route(pattern, load, options = {}) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (m, name) => { names.push(name); return '([^/]+)'; });
  routes.push({ pattern, regex: new RegExp(`^${source}/?$`), names, load, ...options });
}

export function match(path) {
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

export function onRoute(handler) {
  renderRoute = handler;
}

export function currentPath() {
  return location.pathname + location.search;
}

export function navigate(path, { replace = false } = {}) {
  if (path === currentPath() && !replace) return renderRoute?.();
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  return renderRoute?.();
}

// Same-origin links (<a href="/...">) navigate inside the app; new-tab clicks and
// downloads are left to the browser.
export function start() {
  document.addEventListener('click', (event) => {
    const a = event.target.closest('a[href]');
    if (!a || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (a.pathname.startsWith('/api/')) return;
    event.preventDefault();
    navigate(a.pathname + a.search);
  });
  window.addEventListener('popstate', () => renderRoute?.());
}
