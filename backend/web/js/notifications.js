// notifications.js -- the header's notifications link and its unread count (docs/
// notifications.md). The count is asked once a minute while the page is in view, and
// right away when it comes back into view: one small request, nothing when hidden.
import { get, post, currentUser } from './api.js';
import { h, fill } from './dom.js';
import { t } from './i18n.js';

const POLL_MS = 60000;
let unread = null;        // null: not known yet
let timer = null;
let firstCount = null;    // the first refresh, which markIssueRead waits for

// The header's link, drawn with the last count known; refresh() keeps it current.
export function notificationsLink() {
  const link = h('a', { href: '/notifications', id: 'notif-link', class: 'notif-link' });
  draw(link);
  startPolling();
  return link;
}

function draw(link = document.getElementById('notif-link')) {
  if (!link) return;
  const n = unread ?? 0;
  if (unread !== null) link.dataset.unread = String(unread);   // known (tests wait on it)
  link.setAttribute('aria-label', n ? t('notif.link.unread', { n }) : t('notif.link'));
  fill(link, t('notif.link'), n ? [' ', h('span', { class: 'notif-count', 'aria-hidden': 'true' },
    n > 99 ? '99+' : String(n))] : null);
}

export function setUnread(n) {
  if (typeof n === 'number') unread = n;
  draw();
}

async function refresh() {
  const user = currentUser();
  if (document.visibilityState === 'hidden' || !user || user.must_change_password) return;
  try {
    setUnread((await get('/api/notifications/unread-count', null, { noReauth: true })).unread);
  } catch { /* signed out or offline: the next look tries again */ }
}

function startPolling() {
  if (timer) return;
  firstCount = refresh();
  timer = setInterval(refresh, POLL_MS);
  document.addEventListener('visibilitychange', refresh);
}

// Opening an issue reads what one was told of it (only asked when something is unread).
export async function markIssueRead(ref) {
  await firstCount;
  if (!unread) return;
  try {
    setUnread((await post('/api/notifications/read-all', { issue: ref }, { noReauth: true })).unread);
  } catch { /* the list still shows them: nothing lost */ }
}
