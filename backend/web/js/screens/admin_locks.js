// admin_locks.js -- sign-in locks: the addresses that failed too often (for one login or
// in all), when each lock ends by itself, and clearing one early (audited by the server).
import * as api from '../api.js';
import { h, fill, field, verbatim } from '../dom.js';
import { t, dateTime } from '../i18n.js';
import { showErrors, clearErrors, problemText } from '../errors.js';

const PATH = '/api/admin/sign-in-locks';

export async function render(body, section, ctx) {
  const tbody = h('tbody');
  const lead = h('p', { class: 'lead' });
  const login = h('input', { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const byLogin = h('form', { class: 'filters row wrap', novalidate: true },
    field(t('locks.by_login'), login, { name: 'login' }),
    h('button', { type: 'submit' }, t('locks.clear_login')),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }));
  byLogin.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(byLogin);
    try {
      await clear({ login: login.value.trim() });
      login.value = '';
    } catch (err) { showErrors(byLogin, err); }
  });
  fill(body, lead, byLogin,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
      h('thead', null, h('tr', null, ['locks.login', 'locks.address', 'locks.failures', 'locks.last', 'locks.until', 'admin.actions']
        .map((k) => h('th', { scope: 'col' }, t(k))))), tbody)));

  async function clear(target) {
    const data = await api.del(PATH + api.query(target));
    ctx.announce(t('locks.cleared', { n: data.cleared }), 'success');
    await load();
  }

  function row(lock) {
    const target = lock.login === null ? { address: lock.address } : { login: lock.login, address: lock.address };
    const button = h('button', { type: 'button', onclick: async () => {
      button.disabled = true;
      try { await clear(target); } catch (err) { ctx.announce(problemText(err), 'error'); button.disabled = false; }
    } }, t('locks.clear'));
    return h('tr', null,
      h('td', null, lock.login === null ? h('em', null, t('locks.whole_address')) : verbatim(lock.login)),
      h('td', null, h('code', null, lock.address)),
      h('td', null, String(lock.failures)),
      h('td', null, dateTime(lock.last_failure_at)),
      h('td', null, dateTime(lock.until)),
      h('td', null, button));
  }

  async function load() {
    try {
      const data = await api.get(PATH);
      fill(lead, t('locks.lead', { login: data.max_per_login, address: data.max_per_address,
        minutes: Math.round(data.window_seconds / 60) }));
      fill(tbody, ...(data.items.length ? data.items.map(row)
        : [h('tr', null, h('td', { colspan: '6' }, t('locks.none')))]));
    } catch (err) {
      fill(tbody, h('tr', null, h('td', { colspan: '6' }, problemText(err))));
    }
  }
  await load();
}
