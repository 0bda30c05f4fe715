// admin_webhooks.js -- the Department's webhooks (docs/notifications.md): register an
// endpoint (its signing secret is shown once, here), switch one off or on, and read an
// endpoint's delivery log.
import * as api from '../api.js';
import { h, fill, field, verbatim } from '../dom.js';
import { t, dateTime } from '../i18n.js';
import { showErrors, clearErrors, problemText } from '../errors.js';

const PATH = '/api/webhooks';

export async function render(body, section, ctx) {
  const tbody = h('tbody');
  const secretBox = h('div', { class: 'secret-box', role: 'status' });
  const log = h('section', { class: 'webhook-log', 'aria-live': 'polite' });
  const url = h('input', { type: 'url', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://' });
  const description = h('input', { autocomplete: 'off', maxlength: '200' });
  const form = h('form', { class: 'filters row wrap', novalidate: true },
    field(t('hooks.url'), url, { name: 'url' }),
    field(t('hooks.description'), description, { name: 'description' }),
    h('button', { type: 'submit', class: 'primary' }, t('hooks.add')),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const made = await api.post(PATH, { url: url.value.trim(), description: description.value.trim() });
      url.value = '';
      description.value = '';
      fill(secretBox, h('p', null, h('strong', null, t('hooks.secret.once'))),
        h('p', null, h('code', { class: 'secret' }, made.secret)), h('p', { class: 'hint' }, t('hooks.secret.how')));
      ctx.announce(t('hooks.added'), 'success');
      await load();
    } catch (err) { showErrors(form, err); }
  });
  fill(body, h('p', { class: 'lead' }, t('hooks.lead')), form, secretBox,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
      h('thead', null, h('tr', null, ['hooks.url', 'hooks.description', 'hooks.state', 'hooks.pending', 'hooks.given_up', 'hooks.last', 'admin.actions']
        .map((k) => h('th', { scope: 'col' }, t(k))))), tbody)), log);

  function row(hook) {
    const toggle = h('button', { type: 'button', onclick: async () => {
      toggle.disabled = true;
      try {
        await api.patch(`${PATH}/${hook.id}`, { active: !hook.active });
        ctx.announce(t(hook.active ? 'hooks.switched_off' : 'hooks.switched_on'), 'success');
        await load();
      } catch (err) { ctx.announce(problemText(err), 'error'); toggle.disabled = false; }
    } }, t(hook.active ? 'hooks.switch_off' : 'hooks.switch_on'));
    const showLog = h('button', { type: 'button', onclick: () => loadLog(hook) }, t('hooks.log'));
    return h('tr', null,
      h('td', null, h('code', null, hook.url)),
      h('td', null, verbatim(hook.description)),
      h('td', null, t(hook.active ? 'hooks.on' : 'hooks.off')),
      h('td', null, String(hook.pending)),
      h('td', null, String(hook.given_up)),
      h('td', null, hook.last_delivered_at ? dateTime(hook.last_delivered_at) : '—'),
      h('td', { class: 'row wrap' }, toggle, showLog));
  }

  async function loadLog(hook) {
    try {
      const data = await api.get(`${PATH}/${hook.id}/deliveries`, { limit: 50 });
      fill(log, h('h2', null, t('hooks.log.title'), ' ', h('code', null, hook.url)),
        h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
          h('thead', null, h('tr', null, ['hooks.event', 'hooks.issue', 'hooks.attempts', 'hooks.outcome', 'hooks.when']
            .map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', null, data.items.length ? data.items.map(logRow)
            : h('tr', null, h('td', { colspan: '5' }, t('hooks.log.none')))))));
    } catch (err) { ctx.announce(problemText(err), 'error'); }
  }

  function logRow(d) {
    const outcome = d.delivered_at ? t('hooks.delivered', { status: d.last_status })
      : d.next_try_at ? t('hooks.retrying', { error: d.last_error || '—' })
        : d.attempts ? t('hooks.gave_up', { error: d.last_error || '—' }) : t('hooks.waiting');
    return h('tr', null,
      h('td', null, h('code', null, d.event_id), ' ', t(`event.${d.action}`)),
      h('td', null, h('a', { href: `/issues/${d.issue}` }, d.issue)),
      h('td', null, String(d.attempts)),
      h('td', null, outcome),
      h('td', null, dateTime(d.delivered_at || d.next_try_at || d.created_at)));
  }

  async function load() {
    try {
      const data = await api.get(PATH);
      fill(tbody, ...(data.items.length ? data.items.map(row)
        : [h('tr', null, h('td', { colspan: '7' }, t('hooks.none')))]));
    } catch (err) {
      fill(tbody, h('tr', null, h('td', { colspan: '7' }, problemText(err))));
    }
  }
  await load();
}
