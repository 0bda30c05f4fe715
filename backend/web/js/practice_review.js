// practice_review.js -- what the Department's reviewers may do to a practice, exactly as
// its `can` says (docs/practices.md): edit its text and category, publish a proposal,
// decline it or withdraw a published one (both with a note the school reads). Each button
// opens its own form below the buttons.
import * as api from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { list } from './refdata.js';
import { practiceFields } from './practice_form.js';
import { actionButtons } from './action_buttons.js';
import { noteForm } from './note_form.js';
import { formFooter, submitChange } from './form_submit.js';

const ACTIONS = ['edit', 'publish', 'decline', 'withdraw'];
const NOTE_REQUIRED = new Set(['decline', 'withdraw']);

// onChanged(practice) runs with the server's new picture of the practice.
export function reviewTools(practice, ctx, onChanged) {
  const can = practice.can || {};
  const allowed = ACTIONS.filter((a) => can[a]);
  if (!allowed.length) return null;
  return h('section', { class: 'panel practice-tools', 'aria-labelledby': 'practice-tools-h' },
    h('h2', { id: 'practice-tools-h' }, t('practice.tools')),
    actionButtons(allowed, {
      classPrefix: 'practice-action',
      labelPrefix: 'practice.action',
      formFor: (action) => (action === 'edit' ? editForm(practice, ctx, onChanged)
        : reviewForm(practice, action, ctx, onChanged)),
    }));
}

// Its title, texts and category: only what changed is sent.
async function editForm(practice, ctx, onChanged) {
  const categories = await list('categories');
  const fields = practiceFields(practice, categories);
  const submit = h('button', { type: 'submit', class: 'primary' }, t('practice.save'));
  const form = h('form', { class: 'stack', novalidate: true, dataset: { practiceAction: 'edit' } },
    fields.elements,
    formFooter(submit));
  submitChange(form, submit, ctx, {
    missing: fields.missing,
    payload: () => Object.fromEntries(Object.entries(fields.values()).filter(([k, v]) => v !== practice[k])),
    send: (changes) => api.patch(`/api/practices/${practice.id}`, changes),
    successKey: 'practice.done.edit',
    onDone: onChanged,
  });
  return form;
}

// Publish, decline or withdraw, with its note (required for the last two).
function reviewForm(practice, decision, ctx, onChanged) {
  return noteForm(ctx, {
    required: NOTE_REQUIRED.has(decision),
    label: t(`practice.note.${decision}`),
    button: t(`practice.action.${decision}`),
    dataset: { practiceAction: decision },
    path: `/api/practices/${practice.id}/review`,
    body: { decision },
    successKey: `practice.done.${decision}`,
    onDone: onChanged,
  });
}
