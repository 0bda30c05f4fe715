// admin_users.js -- users: find, add (the temporary password is shown once), change name,
// role and binding, deactivate or reactivate, reset a password.
import * as api from '../api.js';
import { h, fill, field, options, verbatim } from '../dom.js';
import { t } from '../i18n.js';
import { list } from '../refdata.js';
import { showErrors, clearErrors, problemText } from '../errors.js';

const ROLES = ['principal', 'cluster_leader', 'officer', 'supervisor', 'admin'];
const BINDING = { principal: 'school', cluster_leader: 'cluster', officer: 'division' };

export async function render(body, section, ctx) {
  const [schools, clusters, divisions] = await Promise.all([list('schools'), list('clusters'), list('divisions')]);
  const choices = {
    school: schools.map((s) => [s.code, `${s.code} · ${s.name}`]),
    cluster: clusters.map((c) => [c.code, `${c.code} · ${c.name}`]),
    division: divisions.map((d) => [d.code, d.code]),
  };
  const secret = h('div');
  const editor = userForm(null, choices, ctx, secret, () => search());
  const q = h('input', { type: 'search', autocomplete: 'off' });
  const role = h('select', null, h('option', { value: '' }, t('filter.any')), options(ROLES.map((r) => [r, t(`role.${r}`)])));
  const active = h('select', null, options([['', t('filter.any')], ['true', t('admin.active')], ['false', t('admin.inactive')]]));
  const finder = h('form', { class: 'filters row wrap', role: 'search' },
    field(t('admin.find'), q, { name: 'q' }), field(t('admin.role'), role, { name: 'role' }),
    field(t('admin.status'), active, { name: 'active' }), h('button', { type: 'submit' }, t('queue.apply')));
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  finder.addEventListener('submit', (event) => { event.preventDefault(); search(); });
  fill(body, secret,
    h('details', { class: 'panel' }, h('summary', null, t('admin.user.add')), editor),
    finder,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
      h('thead', null, h('tr', null, ['admin.login', 'admin.name', 'admin.role', 'admin.binding', 'admin.status', 'admin.actions']
        .map((k) => h('th', { scope: 'col' }, t(k))))), tbody)), more);

  async function search(cursor) {
    try {
      const data = await api.get('/api/users', { q: q.value.trim(), role: role.value, active: active.value, limit: 50, cursor });
      if (!cursor) fill(tbody);
      tbody.append(...data.items.map((u) => userRow(u, choices, ctx, secret, () => search())));
      fill(more, data.next_cursor ? h('button', { type: 'button', onclick: (event) => { event.currentTarget.disabled = true; search(data.next_cursor); } }, t('list.more')) : null);
    } catch (err) {
      fill(tbody, h('tr', null, h('td', { colspan: '6' }, problemText(err))));
    }
  }
  await search();
}

function userRow(user, choices, ctx, secret, refresh) {
  const binding = user.school || user.cluster || user.division || '';
  const edit = h('details', { class: 'inline-edit' }, h('summary', null, t('admin.edit')),
    userForm(user, choices, ctx, secret, refresh));
  const toggle = h('button', { type: 'button', onclick: async () => {
    if (user.active && !window.confirm(t('admin.confirm.deactivate', { login: user.login }))) return;
    try {
      await api.patch(`/api/users/${encodeURIComponent(user.login)}`, { active: !user.active });
      ctx.announce(t(user.active ? 'admin.user.deactivated' : 'admin.user.activated', { login: user.login }), 'success');
      refresh();
    } catch (err) { ctx.announce(problemText(err), 'error'); }
  } }, t(user.active ? 'admin.deactivate' : 'admin.activate'));
  const reset = h('button', { type: 'button', onclick: async () => {
    if (!window.confirm(t('admin.confirm.reset', { login: user.login }))) return;
    try {
      const data = await api.post(`/api/users/${encodeURIComponent(user.login)}/password-reset`, {});
      showSecret(secret, user.login, data.temporary_password);
    } catch (err) { ctx.announce(problemText(err), 'error'); }
  } }, t('admin.reset'));
  return h('tr', { class: user.active === false ? 'inactive' : null },
    h('td', null, user.login), h('td', null, verbatim(user.name)), h('td', null, t(`role.${user.role}`)),
    h('td', null, binding), h('td', null, t(user.active === false ? 'admin.inactive' : 'admin.active'),
      user.must_change_password ? h('div', { class: 'hint' }, t('admin.mustchange')) : null),
    h('td', null, h('div', { class: 'row wrap' }, toggle, reset), edit));
}

// The temporary password, shown once with the login it belongs to, until the admin says
// it is passed on (not read aloud by a live region: it is a secret).
function showSecret(slot, login, password) {
  const done = h('button', { type: 'button', onclick: () => fill(slot) }, t('admin.secret.done'));
  fill(slot, h('div', { class: 'notice secret' },
    h('p', null, t('admin.secret', { login })),
    h('p', null, h('code', { class: 'password' }, password)),
    h('p', { class: 'hint' }, t('admin.secret.once')), done));
  slot.scrollIntoView({ block: 'nearest' });
  done.focus();
}

function userForm(user, choices, ctx, secret, refresh) {
  const login = h('input', { value: user?.login || '', required: true, autocomplete: 'off', readonly: !!user });
  const name = h('input', { value: user?.name || '', required: true, autocomplete: 'off' });
  const email = h('input', { type: 'email', value: user?.email || '', autocomplete: 'off' });
  const role = h('select', null, options(ROLES.map((r) => [r, t(`role.${r}`)]), user?.role || 'principal'));
  const bindings = {};
  const bindingFields = Object.entries(choices).map(([kind, items]) => {
    bindings[kind] = h('select', { class: kind === 'division' ? null : 'verbatim' }, h('option', { value: '' }, '—'), options(items, user?.[kind] || ''));
    return field(t(`admin.${kind}`), bindings[kind], { name: kind });
  });
  const showBinding = () => {
    const wanted = BINDING[role.value];
    Object.keys(bindings).forEach((kind, i) => { bindingFields[i].hidden = kind !== wanted; });
  };
  role.addEventListener('change', showBinding);
  showBinding();
  const submit = h('button', { type: 'submit', class: 'primary' }, t(user ? 'admin.save' : 'admin.user.create'));
  const form = h('form', { class: 'stack', novalidate: true },
    h('div', { class: 'grid2' },
      field(t('admin.login'), login, { name: 'login' }), field(t('admin.name'), name, { name: 'name' }),
      field(t('admin.email'), email, { name: 'email' }), field(t('admin.role'), role, { name: 'role' }),
      bindingFields),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }), h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const bodyData = { name: name.value.trim(), role: role.value, email: email.value.trim() || null };
    const kind = BINDING[role.value];
    if (kind) bodyData[kind] = bindings[kind].value || null;   // the one binding this role has
    submit.disabled = true;
    try {
      if (user) {
        await api.patch(`/api/users/${encodeURIComponent(user.login)}`, bodyData);
        ctx.announce(t('admin.saved'), 'success');
      } else {
        const data = await api.post('/api/users', { login: login.value.trim(), ...bodyData });
        showSecret(secret, data.user.login, data.temporary_password);
        form.reset();
      }
      refresh();
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

