// admin_reference.js -- the reference lists (clusters, schools, divisions, categories with
// their routing to a division): a table, and one form that adds or edits a row.
import * as api from '../api.js';
import { h, fill, field, options, verbatim } from '../dom.js';
import { t, nameOf } from '../i18n.js';
import { list, forget } from '../refdata.js';
import { showErrors, clearErrors } from '../errors.js';
import { PRIORITIES } from '../issue_bits.js';

// Each list's editable fields: [name, kind, choices?]; a checkbox's third item is its
// value for a new row. `code` is fixed once created.
function fieldsOf(section, refs) {
  switch (section) {
    case 'clusters': return [['code', 'text'], ['name', 'text']];
    case 'schools': return [['code', 'text'], ['name', 'text'], ['cluster', 'select', refs.clusters.map((c) => [c.code, `${c.code} · ${c.name}`])], ['commune', 'text']];
    case 'divisions': return [['code', 'text'], ['name', 'text'], ['name_en', 'text']];
    default: return [['code', 'text'], ['name', 'text'], ['name_en', 'text'],
      ['kind', 'select', [['management', t('kind.management')], ['teaching', t('kind.teaching')]]],
      ['division', 'select', refs.divisions.map((d) => [d.code, nameOf(d)])],
      ['default_priority', 'select', PRIORITIES.map((p) => [p, t(`priority.${p}`)])],
      ['description', 'textarea'], ['description_en', 'textarea'], ['active', 'checkbox', true],
      ['sensitive', 'checkbox', false]];
  }
}

export async function render(body, section, ctx) {
  forget(section);
  const [items, clusters, divisions] = await Promise.all([list(section), list('clusters'), list('divisions')]);
  const fields = fieldsOf(section, { clusters, divisions });
  const formSlot = h('div');
  const add = h('button', { type: 'button', class: 'primary', onclick: () => openForm(null) }, t('admin.add'));
  const columns = fields.filter(([, kind]) => kind !== 'textarea').map(([name]) => name);
  fill(body, h('div', { class: 'row' }, add), formSlot,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, t(`admin.f.${c}`))), h('th', { scope: 'col' }, t('admin.actions')))),
      h('tbody', null, items.map((item) => h('tr', null,
        columns.map((c) => h('td', null, cell(c, item[c]))),
        h('td', null, h('button', { type: 'button', onclick: () => openForm(item) }, t('admin.edit')))))))));

  function openForm(item) {
    const controls = {};
    const parts = fields.map(([name, kind, choices]) => {
      let control;
      if (kind === 'select') control = h('select', null, options(choices, item?.[name] ?? choices[0]?.[0]));
      else if (kind === 'textarea') control = h('textarea', { rows: '2', maxlength: '300', value: item?.[name] || '' });
      else if (kind === 'checkbox') control = h('input', { type: 'checkbox', checked: item ? item[name] ?? choices : choices });
      else control = h('input', { value: item?.[name] || '', autocomplete: 'off', readonly: name === 'code' && !!item });
      controls[name] = control;
      return field(t(`admin.f.${name}`), control, { name });
    });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.save'));
    const form = h('form', { class: 'stack panel', novalidate: true },
      h('h2', null, item ? t('admin.editing', { code: item.code }) : t('admin.add')),
      h('div', { class: 'grid2' }, parts),
      h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
      h('div', { class: 'row' }, submit, h('button', { type: 'button', onclick: () => fill(formSlot) }, t('admin.cancel'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const data = {};
      for (const [name, kind, choices] of fields) {
        if (item && name === 'code') continue;
        const c = controls[name];
        const value = kind === 'checkbox' ? c.checked : c.value.trim();
        if (item && value === (item[name] ?? (kind === 'checkbox' ? choices : ''))) continue;   // send what changed
        // An empty description is "" (none); an empty optional field elsewhere is null.
        data[name] = value === '' && kind === 'text' ? null : value;
      }
      submit.disabled = true;
      try {
        if (item) await api.patch(`/api/${section}/${encodeURIComponent(item.code)}`, data);
        else await api.post(`/api/${section}`, data);
        ctx.announce(t('admin.saved'), 'success');
        forget(section);
        await render(body, section, ctx);
      } catch (err) {
        showErrors(form, err);
        submit.disabled = false;
      }
    });
    fill(formSlot, form);
    form.querySelector('input:not([readonly]), select')?.focus();
  }
}

function cell(column, value) {
  if (column === 'kind' && value) return t(`kind.${value}`);
  if (column === 'default_priority' && value) return t(`priority.${value}`);
  if (value === true) return t('admin.yes');
  if (value === false) return t('admin.no');
  return verbatim(value ?? '');
}
