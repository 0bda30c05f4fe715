// admin.js -- the administration area: a tab per section, each section's module loaded
// only when opened.
import { add, h } from '../dom.js';
import { t } from '../i18n.js';

const SECTIONS = {
  users: () => import('./admin_users.js'),
  schools: () => import('./admin_reference.js'),
  clusters: () => import('./admin_reference.js'),
  divisions: () => import('./admin_reference.js'),
  categories: () => import('./admin_reference.js'),
  sla: () => import('./admin_sla.js'),
  calendar: () => import('./admin_calendar.js'),
  audit: () => import('./admin_audit.js'),
  locks: () => import('./admin_locks.js'),
  webhooks: () => import('./admin_webhooks.js'),
};

export async function render(main, params, ctx) {
  const section = SECTIONS[params.section] ? params.section : 'users';
  add(main, 
    h('h1', null, t(`admin.${section}`)),
    h('nav', { class: 'tabs', 'aria-label': t('nav.admin') },
      Object.keys(SECTIONS).map((s) => h('a', { href: `/admin/${s}`, class: 'tab', 'aria-current': s === section ? 'page' : null },
        t(`admin.${s}`)))));
  const body = h('div', { class: 'admin-body' });
  add(main, body);
  const module = await SECTIONS[section]();
  await module.render(body, section, ctx);
}
