// admin_calendar.js -- working hours per weekday and the holidays that the working-hours
// SLA clocks skip; the whole calendar is saved at once.
import * as api from '../api.js';
import { h, fill, options } from '../dom.js';
import { t } from '../i18n.js';
import { showErrors, clearErrors } from '../errors.js';

export async function render(body, section, ctx) {
  const data = await api.get('/api/calendar');
  const hoursBody = h('tbody');
  const holidaysBody = h('tbody');
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), t(`weekday.${d}`)]);
  const remove = (tr) => h('button', { type: 'button', class: 'link-button', onclick: () => tr.remove() }, t('att.remove'));

  function hoursRow(w = { weekday: 1, start: '07:00', end: '11:30' }) {
    const tr = h('tr', { class: 'hours-row' },
      h('td', null, h('select', { 'aria-label': t('cal.weekday') }, options(weekdays, String(w.weekday)))),
      h('td', null, h('input', { type: 'time', value: w.start, 'aria-label': t('cal.start') })),
      h('td', null, h('input', { type: 'time', value: w.end, 'aria-label': t('cal.end') })));
    tr.append(h('td', null, remove(tr)));
    return tr;
  }
  function holidayRow(d = { date: '', name: '' }) {
    const tr = h('tr', { class: 'holiday-row' },
      h('td', null, h('input', { type: 'date', value: d.date, 'aria-label': t('cal.date') })),
      h('td', null, h('input', { value: d.name, class: 'verbatim', lang: 'vi', 'aria-label': t('cal.name') })));
    tr.append(h('td', null, remove(tr)));
    return tr;
  }
  hoursBody.append(...(data.working_hours || []).map(hoursRow));
  holidaysBody.append(...(data.holidays || []).map(holidayRow));

  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.save'));
  const form = h('form', { class: 'stack', novalidate: true },
    h('h2', null, t('cal.hours')),
    h('table', { class: 'queue' }, h('thead', null, h('tr', null,
      ['cal.weekday', 'cal.start', 'cal.end', 'admin.actions'].map((k) => h('th', { scope: 'col' }, t(k))))), hoursBody),
    h('button', { type: 'button', onclick: () => hoursBody.append(hoursRow()) }, t('cal.add_hours')),
    h('h2', null, t('cal.holidays')),
    h('table', { class: 'queue' }, h('thead', null, h('tr', null,
      ['cal.date', 'cal.name', 'admin.actions'].map((k) => h('th', { scope: 'col' }, t(k))))), holidaysBody),
    h('button', { type: 'button', onclick: () => holidaysBody.append(holidayRow()) }, t('cal.add_holiday')),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }), h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const working_hours = [...hoursBody.rows].map((tr) => {
      const [day, start, end] = tr.querySelectorAll('select, input');
      return { weekday: Number(day.value), start: start.value, end: end.value };
    });
    const holidays = [...holidaysBody.rows].map((tr) => {
      const [date, name] = tr.querySelectorAll('input');
      return { date: date.value, name: name.value.trim() };
    });
    submit.disabled = true;
    try {
      await api.put('/api/calendar', { working_hours, holidays });
      ctx.announce(t('admin.saved'), 'success');
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  fill(body, form);
}

