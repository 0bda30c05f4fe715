// practice_propose.js -- a principal proposes the school's own practice ("what worked for
// us", POST /api/practices with a category): the Department reads and approves it before
// any other school sees it.
import * as api from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { list } from './refdata.js';
import { practiceFields } from './practice_form.js';
import { showErrors, clearErrors } from './errors.js';

// onProposed(practice) runs once the server has it.
export async function proposeForm(ctx, onProposed) {
  const categories = (await list('categories')).filter((c) => c.active !== false);
  const fields = practiceFields({}, categories);
  const submit = h('button', { type: 'submit', class: 'primary' }, t('practice.propose.send'));
  const form = h('form', { class: 'stack practice-propose', novalidate: true },
    h('p', { class: 'lead' }, t('practice.propose.lead')),
    fields.elements,
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));

  let key = api.newKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const missing = fields.missing();
    if (missing.length) return showErrors(form, { problem: { code: 'validation', errors: missing } });
    submit.disabled = true;
    try {
      const practice = await api.post('/api/practices', fields.values(), { key });
      key = api.newKey();
      ctx.announce(t('practice.proposed'), 'success');
      await onProposed(practice);
    } catch (err) {
      if (err.problem?.code === 'idempotency_key_reused') key = api.newKey();
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
