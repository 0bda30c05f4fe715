// admin_audit.js -- the audit log of administrative changes: who, when, what, on what.
import * as api from '../api.js';
import { h, fill, field, verbatim } from '../dom.js';
import { t, dateTime } from '../i18n.js';
import { problemText } from '../errors.js';

export async function render(body, section, ctx) {
  const actor = h('input', { autocomplete: 'off' });
  const action = h('input', { autocomplete: 'off', placeholder: 'user.create' });
  const finder = h('form', { class: 'filters row wrap', role: 'search' },
    field(t('audit.actor'), actor, { name: 'actor' }), field(t('audit.action'), action, { name: 'action' }),
    h('button', { type: 'submit' }, t('queue.apply')));
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  finder.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  fill(body, finder, h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
    h('thead', null, h('tr', null, ['audit.when', 'audit.actor', 'audit.action', 'audit.target', 'audit.details']
      .map((k) => h('th', { scope: 'col' }, t(k))))), tbody)), more);

  async function load(cursor) {
    try {
      const data = await api.get('/api/audit', { actor: actor.value.trim(), action: action.value.trim(), limit: 50, cursor });
      if (!cursor) fill(tbody);
      tbody.append(...data.items.map((e) => h('tr', null,
        h('td', null, dateTime(e.created_at)),
        h('td', null, verbatim(e.actor?.name || e.actor?.login || '')),
        h('td', null, h('code', null, e.action)),
        h('td', null, verbatim(e.target || '')),
        h('td', null, e.details ? h('code', { class: 'details verbatim' }, JSON.stringify(e.details)) : ''))));
      fill(more, data.next_cursor ? h('button', { type: 'button', onclick: (event) => { event.currentTarget.disabled = true; load(data.next_cursor); } }, t('list.more')) : null);
    } catch (err) {
      fill(tbody, h('tr', null, h('td', { colspan: '5' }, problemText(err))));
    }
  }
  await load();
}
