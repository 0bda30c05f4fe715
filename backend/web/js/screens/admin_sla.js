// admin_sla.js -- the SLA policy of each priority: hours to the first answer and to the
// resolution, counted on the calendar or in working hours only. Saved all four at once.
import * as api from '../api.js';
import { h, fill, options } from '../dom.js';
import { t } from '../i18n.js';
import { showErrors, clearErrors } from '../errors.js';
import { PRIORITIES } from '../issue_bits.js';

export async function render(body, section, ctx) {
  const data = await api.get('/api/sla-policies');
  const byPriority = new Map(data.items.map((p) => [p.priority, p]));
  const rows = PRIORITIES.map((priority) => {
    const p = byPriority.get(priority) || {};
    const first = h('input', { type: 'number', min: '1', step: '1', value: p.first_response_hours ?? '', 'aria-label': `${t(`priority.${priority}`)}: ${t('sla.first')}` });
    const resolution = h('input', { type: 'number', min: '1', step: '1', value: p.resolution_hours ?? '', 'aria-label': `${t(`priority.${priority}`)}: ${t('sla.resolution')}` });
    const clock = h('select', { 'aria-label': `${t(`priority.${priority}`)}: ${t('sla.clock')}` },
      options([['calendar', t('sla.clock.calendar')], ['working', t('sla.clock.working')]], p.clock || 'working'));
    return { priority, first, resolution, clock };
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.save'));
  const form = h('form', { class: 'stack', novalidate: true },
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
      h('thead', null, h('tr', null, ['sla.priority', 'sla.first', 'sla.resolution', 'sla.clock'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, rows.map((r) => h('tr', { dataset: { field: `items.${r.priority}` } },
        h('th', { scope: 'row' }, t(`priority.${r.priority}`)), h('td', null, r.first), h('td', null, r.resolution), h('td', null, r.clock)))))),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }), h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    submit.disabled = true;
    try {
      await api.put('/api/sla-policies', { items: rows.map((r) => ({
        priority: r.priority, first_response_hours: Number(r.first.value),
        resolution_hours: Number(r.resolution.value), clock: r.clock.value })) });
      ctx.announce(t('admin.saved'), 'success');
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  fill(body, h('p', { class: 'lead' }, t('sla.lead')), form);
}
