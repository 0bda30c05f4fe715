// directive_form.js -- an officer or supervisor sends a directive (POST /api/directives):
// its title and text, to every school or to the clusters ticked, and after how many days a
// school that has not acknowledged it is reminded (1 to 60, 3 unless changed).
import { h, field, uid, verbatim } from './dom.js';
import { t } from './i18n.js';
import { list } from './refdata.js';
import { formFooter, blankFields, submitCreate } from './form_submit.js';

const REMIND_DEFAULT = 3;

// onSent(directive) runs once the server has sent it.
export async function directiveForm(ctx, onSent) {
  const clusters = await list('clusters');
  const title = h('input', { maxlength: '200', required: true, autocomplete: 'off' });
  const body = h('textarea', { rows: '8', required: true });
  const remind = h('input', { type: 'number', min: '1', max: '60', step: '1', required: true, value: String(REMIND_DEFAULT),
    inputmode: 'numeric' });
  const audienceName = uid('audience');
  const radio = (value, key, checked) => {
    const id = uid('audience');
    return h('div', { class: 'check' }, h('input', { type: 'radio', name: audienceName, id, value, checked }),
      h('label', { for: id }, t(key)));
  };
  const boxes = clusters.map((c) => {
    const box = h('input', { type: 'checkbox', value: c.code, id: uid('dir-cluster') });
    return h('div', { class: 'check' }, box, h('label', { for: box.id }, verbatim(`${c.code} · ${c.name}`)));
  });
  const clusterField = h('fieldset', { class: 'field cluster-choice', dataset: { field: 'clusters' } },
    h('legend', null, t('dir.f.clusters.legend')), h('div', { class: 'cluster-boxes' }, boxes), h('p', { class: 'field-error' }));
  clusterField.hidden = true;
  // A cluster ticked answers the "required" said before.
  clusterField.addEventListener('change', () => {
    clusterField.querySelector('.field-error').textContent = '';
    for (const box of clusterField.querySelectorAll('[aria-invalid]')) box.removeAttribute('aria-invalid');
  });
  const audience = h('fieldset', { class: 'field audience-choice', dataset: { field: 'audience' } },
    h('legend', null, t('dir.f.audience')),
    h('div', { class: 'row wrap' }, radio('all', 'dir.f.all', true), radio('clusters', 'dir.f.clusters', false)),
    h('p', { class: 'field-error' }));
  audience.addEventListener('change', () => { clusterField.hidden = chosenAudience() !== 'clusters'; });
  const chosenAudience = () => audience.querySelector('input:checked')?.value || 'all';
  const ticked = () => boxes.map((b) => b.querySelector('input')).filter((b) => b.checked).map((b) => b.value);

  const submit = h('button', { type: 'submit', class: 'primary' }, t('dir.send'));
  const form = h('form', { class: 'stack directive-form', novalidate: true },
    field(t('dir.f.title'), title, { name: 'title' }),
    field(t('dir.f.body'), body, { name: 'body' }),
    audience, clusterField,
    h('div', { class: 'remind-field' }, field(t('dir.f.remind'), remind, { name: 'remind_after_days', hint: t('dir.f.remind.hint') })),
    formFooter(submit));

  const clusterCodes = () => (chosenAudience() === 'clusters' ? ticked() : []);
  submitCreate(form, submit, ctx, {
    path: '/api/directives',
    missing: () => {
      const missing = blankFields([[title, 'title'], [body, 'body']]);
      if (!validRemindDays(remind.value)) missing.push({ field: 'remind_after_days', code: 'out_of_range' });
      if (chosenAudience() === 'clusters' && !clusterCodes().length) missing.push({ field: 'clusters', code: 'required' });
      return missing;
    },
    payload: () => {
      const payload = { title: title.value.trim(), body: body.value.trim(), remind_after_days: Number(remind.value) };
      if (clusterCodes().length) payload.clusters = clusterCodes();
      return payload;
    },
    successKey: 'dir.sent',
    onDone: onSent,
  });
  return form;
}

function validRemindDays(value) {
  const days = Number(value);
  return Number.isInteger(days) && days >= 1 && days <= 60;
}
