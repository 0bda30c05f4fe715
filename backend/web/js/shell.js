// shell.js -- the frame around every screen: the menu for the user's role, the language
// switch, the account links, and the one live region where messages are announced.
import * as api from './api.js';
import { h, fill } from './dom.js';
import { t, lang, setLang } from './i18n.js';
import { navigate } from './router.js';
import { notificationsLink } from './notifications.js';

// Menu entries per role: [path, message key].
const MENU = {
  principal: [['/', 'nav.home'], ['/issues/new', 'nav.file'], ['/shared', 'nav.shared'], ['/practices', 'nav.practices'],
    ['/directives', 'nav.directives'], ['/report', 'nav.report']],
  cluster_leader: [['/', 'nav.cluster'], ['/shared', 'nav.shared'], ['/practices', 'nav.practices'],
    ['/directives', 'nav.directives'], ['/report', 'nav.report']],
  officer: [['/queue', 'nav.queue'], ['/escalations', 'nav.escalations'], ['/report', 'nav.report'], ['/meetings', 'nav.meetings'],
    ['/practices', 'nav.practices'], ['/directives', 'nav.directives']],
  supervisor: [['/escalations', 'nav.escalations'], ['/ratings', 'nav.ratings'], ['/queue', 'nav.queue'], ['/report', 'nav.report'],
    ['/meetings', 'nav.meetings'], ['/practices', 'nav.practices'], ['/directives', 'nav.directives']],
  admin: [['/admin/users', 'nav.admin'], ['/queue', 'nav.queue'], ['/report', 'nav.report'], ['/meetings', 'nav.meetings'],
    ['/practices', 'nav.practices'], ['/directives', 'nav.directives']],
};

export function renderShell(rerender) {
  const user = api.currentUser();
  document.getElementById('skip-link').textContent = t('nav.skip');
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.menu'));
  const entries = user && !user.must_change_password ? MENU[user.role] || [] : [];
  fill(nav, entries.length ? h('ul', null, entries.map(([path, key]) => {
    const here = path === '/' ? location.pathname === '/' : location.pathname.startsWith(path);
    return h('li', null, h('a', { href: path, 'aria-current': here ? 'page' : null }, t(key)));
  })) : null);

  const switchTo = lang() === 'vi' ? 'en' : 'vi';
  const langButton = h('button', {
    // The language's own name, in its own language (a proper name, not a label to translate).
    type: 'button', class: 'link-button verbatim', lang: switchTo,
    onclick: () => { setLang(switchTo); rerender(); },
  }, switchTo === 'en' ? 'English' : 'Tiếng Việt');
  const tools = [langButton];
  if (user) {
    if (!user.must_change_password) tools.push(notificationsLink());
    tools.push(
      h('a', { href: '/password', class: 'account', title: t('nav.password') },
        h('span', { class: 'verbatim user-name', lang: 'vi' }, user.name), ' · ', t(`role.${user.role}`)),
      h('button', { type: 'button', class: 'link-button', onclick: signOut }, t('nav.logout')));
  }
  fill(document.getElementById('tools'), tools);
}

async function signOut() {
  try {
    await api.signOut();
  } catch { /* the session is gone either way */ }
  navigate('/login', { replace: true });
}

let clearTimer = null;
let carried = false;   // said just now: the screen a redirect lands on shows it too

// Says something in the live region (screen readers read it) and shows it at the top.
// A message is for the screen it was said on, or, said right before a redirect (a form
// sent, then its result's page), for the screen it leads to; moving on clears it.
export function announce(text, kind = 'info') {
  const el = document.getElementById('status');
  el.className = `status ${kind}`;
  el.textContent = text;
  clearTimeout(clearTimer);
  if (kind !== 'error') clearTimer = setTimeout(clearStatus, 8000);
  carried = true;
  setTimeout(() => { carried = false; }, 0);   // a navigation in this same turn carries it
}

function clearStatus() {
  const el = document.getElementById('status');
  el.textContent = '';
  el.className = 'status';
}

// A new screen is being drawn: last screen's message goes, unless it was said for this one.
export function leaveScreen() {
  if (carried) return;
  clearTimeout(clearTimer);
  clearStatus();
}
