// practice_propose.js -- a principal proposes the school's own practice ("what worked for
// us", POST /api/practices with a category): the Department reads and approves it before
// any other school sees it.
import { h } from './dom.js';
import { t } from './i18n.js';
import { list } from './refdata.js';
import { practiceFields } from './practice_form.js';
import { formFooter, submitCreate } from './form_submit.js';

// onProposed(practice) runs once the server has it.
export async function proposeForm(ctx, onProposed) {
  const categories = (await list('categories')).filter((c) => c.active !== false);
  const fields = practiceFields({}, categories);
  const submit = h('button', { type: 'submit', class: 'primary' }, t('practice.propose.send'));
  const form = h('form', { class: 'stack practice-propose', novalidate: true },
    h('p', { class: 'lead' }, t('practice.propose.lead')),
    fields.elements,
    formFooter(submit));
  submitCreate(form, submit, ctx, {
    path: '/api/practices',
    missing: fields.missing,
    payload: fields.values,
    successKey: 'practice.proposed',
    onDone: onProposed,
  });
  return form;
}
