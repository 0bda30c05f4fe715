// file_issue.js -- a principal files an issue: category (each explained in one line),
// title, description, proposed solution, suggested priority and attachments; issues that
// look alike are suggested while the title and description are typed. The draft is
// saved on every keystroke; sending reuses the draft's Idempotency-Key, so pressing send
// twice or retrying after a timeout files one issue.
import * as api from '../api.js';
import { add, h, field, options, uid } from '../dom.js';
import { t, nameOf, describe } from '../i18n.js';
import { list } from '../refdata.js';
import { showErrors, clearErrors } from '../errors.js';
import { loadDraft, saveDraft, clearDraft } from '../draft.js';
import { PRIORITIES } from '../issue_bits.js';
import { attachmentPicker } from '../attachments.js';
import { loadDraftFiles, saveDraftFiles, clearDraftFiles } from '../draft_files.js';
import { similarPanel } from '../similar.js';

export async function render(main, params, ctx) {
  const draft = loadDraft();
  const categories = (await list('categories')).filter((c) => c.active !== false);

  const title = h('input', { maxlength: '200', required: true, autocomplete: 'off' });
  const description = h('textarea', { rows: '6', maxlength: '10000', required: true });
  const solution = h('textarea', { rows: '4', maxlength: '10000' });
  const priority = h('select', null,
    h('option', { value: '' }, t('file.priority.default')),
    options(PRIORITIES.map((p) => [p, t(`priority.${p}`)])));
  const categoryGroup = categoryPicker(categories, draft.fields.category);
  const picker = attachmentPicker(ctx, { onChange: saveDraftFiles });
  picker.restore(await loadDraftFiles());
  const submit = h('button', { class: 'primary wide', type: 'submit' }, t('file.submit'));
  const saved = h('p', { class: 'hint saved', 'aria-live': 'polite' });
  const similar = similarPanel(ctx);

  const textFields = { title, description, proposed_solution: solution, priority };
  for (const [name, control] of Object.entries(textFields)) control.value = draft.fields[name] || '';

  const form = h('form', { class: 'stack', novalidate: true },
    categoryGroup.element,
    field(t('file.title'), title, { name: 'title', hint: t('file.title.hint') }),
    field(t('file.description'), description, { name: 'description', hint: t('file.description.hint') }),
    similar.element,
    field(t('file.solution'), solution, { name: 'proposed_solution', hint: t('file.solution.hint') }),
    field(t('file.priority'), priority, { name: 'priority' }),
    picker.element,
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    submit, saved);

  // Every change is kept at once: the next moment the phone may lose its connection.
  form.addEventListener('input', () => {
    for (const [name, control] of Object.entries(textFields)) draft.fields[name] = control.value;
    draft.fields.category = categoryGroup.value();
    saved.textContent = saveDraft(draft) ? t('file.saved') : t('file.notsaved');
    similar.update(title.value, description.value);
  });
  similar.update(title.value, description.value);     // a draft brought back

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;          // a second click while the first is on its way
    clearErrors(form);
    const missing = [];
    if (!categoryGroup.value()) missing.push({ field: 'category', code: 'required' });
    if (!title.value.trim()) missing.push({ field: 'title', code: 'required' });
    if (!description.value.trim()) missing.push({ field: 'description', code: 'required' });
    if (missing.length) {
      showErrors(form, { problem: { code: 'validation', errors: missing } });
      return;
    }
    sending = true;
    submit.disabled = true;
    submit.textContent = t('file.sending');
    try {
      if (!draft.ref) {
        const body = {
          category: categoryGroup.value(),
          title: title.value.trim(),
          description: description.value.trim(),
        };
        if (solution.value.trim()) body.proposed_solution = solution.value.trim();
        if (priority.value) body.priority = priority.value;
        const issue = await api.post('/api/issues', body, { key: draft.key });
        draft.ref = issue.ref;
        saveDraft(draft);
      }
      await picker.upload(draft.ref, draft.key);
      clearDraft();
      await clearDraftFiles();
      ctx.announce(t('file.done', { ref: draft.ref }), 'success');
      ctx.navigate(`/issues/${draft.ref}`);
    } catch (err) {
      // The key went with other words before (sent, answer lost, then edited): the next
      // send is a new request. The message asks to look at the list first.
      if (err.problem?.code === 'idempotency_key_reused') {
        draft.key = api.newKey();
        saveDraft(draft);
      }
      showErrors(form, err);
      submit.disabled = false;
      submit.textContent = t('file.retry');
    } finally {
      sending = false;
    }
  });

  add(main, h('section', { class: 'narrow' },
    h('h1', null, t('file.heading')),
    draft.ref ? h('p', { class: 'notice' }, t('file.partly', { ref: draft.ref })) : null,
    h('p', { class: 'lead' }, t('file.lead')),
    form));
}

// Radio buttons grouped by kind, each with the category's one-line explanation.
function categoryPicker(categories, selected) {
  const errorId = uid('cat-err');
  const kinds = ['management', 'teaching'];
  const groups = kinds.map((kind) => {
    const items = categories.filter((c) => c.kind === kind);
    if (!items.length) return null;
    return h('div', { class: 'cat-group' },
      h('h3', null, t(`kind.${kind}`)),
      items.map((c) => {
        const id = uid('cat');
        const text = describe(c);
        return h('div', { class: 'choice' },
          h('input', { type: 'radio', name: 'category', id, value: c.code, checked: c.code === selected,
            'aria-describedby': text ? `${id}-d` : null }),
          h('label', { for: id }, h('span', { class: 'choice-name' }, nameOf(c)),
            text ? h('span', { class: 'choice-desc', id: `${id}-d` }, text) : null));
      }));
  });
  const element = h('fieldset', { class: 'field categories', dataset: { field: 'category' }, 'aria-describedby': errorId },
    h('legend', null, t('file.category')), groups,
    h('p', { class: 'field-error', id: errorId }));
  return {
    element,
    value: () => element.querySelector('input[name=category]:checked')?.value || '',
  };
}
