// practice_review.js -- what the Department's reviewers may do to a practice, exactly as
// its `can` says (docs/practices.md): edit its text and category, publish a proposal,
// decline it or withdraw a published one (both with a note the school reads). Each button
// opens its own form below the buttons.
import * as api from './api.js';
import { h, field, fill } from './dom.js';
import { t } from './i18n.js';
import { list } from './refdata.js';
import { practiceFields } from './practice_form.js';
import { showErrors, clearErrors } from './errors.js';

const ACTIONS = ['edit', 'publish', 'decline', 'withdraw'];
const NOTE_REQUIRED = new Set(['decline', 'withdraw']);

// onChanged(practice) runs with the server's new picture of the practice.
export function reviewTools(practice, ctx, onChanged) {
  const can = practice.can || {};
  const allowed = ACTIONS.filter((a) => can[a]);
  if (!allowed.length) return null;
  const slot = h('div', { class: 'action-slot' });
  const buttons = allowed.map((action) => h('button', {
    type: 'button', class: `action practice-action-${action}`, 'aria-expanded': 'false',
    onclick: async (event) => {
      const button = event.currentTarget;
      const open = button.getAttribute('aria-expanded') === 'true';
      for (const b of buttons) b.setAttribute('aria-expanded', String(!open && b === button));
      if (open) return fill(slot);
      fill(slot, action === 'edit' ? await editForm(practice, ctx, onChanged) : reviewForm(practice, action, ctx, onChanged));
      slot.querySelector('textarea, input, select')?.focus();
    },
  }, t(`practice.action.${action}`)));
  return h('section', { class: 'panel practice-tools', 'aria-labelledby': 'practice-tools-h' },
    h('h2', { id: 'practice-tools-h' }, t('practice.tools')),
    h('div', { class: 'row wrap' }, buttons), slot);
}

// Its title, texts and category: only what changed is sent.
async function editForm(practice, ctx, onChanged) {
  const categories = await list('categories');
  const fields = practiceFields(practice, categories);
  const submit = h('button', { type: 'submit', class: 'primary' }, t('practice.save'));
  const form = h('form', { class: 'stack', novalidate: true, dataset: { practiceAction: 'edit' } },
    fields.elements,
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const missing = fields.missing();
    if (missing.length) return showErrors(form, { problem: { code: 'validation', errors: missing } });
    const changes = Object.fromEntries(Object.entries(fields.values()).filter(([k, v]) => v !== practice[k]));
    if (!Object.keys(changes).length) return ctx.announce(t('triage.nothing'), 'info');
    submit.disabled = true;
    try {
      const updated = await api.patch(`/api/practices/${practice.id}`, changes);
      ctx.announce(t('practice.done.edit'), 'success');
      await onChanged(updated);
    } catch (err) {
      showErrors(form, err);
      submit.disabled = false;
    }
  });
  return form;
}

// Publish, decline or withdraw, with its note (required for the last two).
function reviewForm(practice, decision, ctx, onChanged) {
  const required = NOTE_REQUIRED.has(decision);
  const note = h('textarea', { rows: '3', maxlength: '2000', required });
  const submit = h('button', { type: 'submit', class: 'primary' }, t(`practice.action.${decision}`));
  const form = h('form', { class: 'stack', novalidate: true, dataset: { practiceAction: decision } },
    field(t(`practice.note.${decision}`) + (required ? '' : ` ${t('form.optional')}`), note, { name: 'note' }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (required && !note.value.trim()) {
      return showErrors(form, { problem: { code: 'validation', errors: [{ field: 'note', code: 'required' }] } });
    }
    const body = { decision };
    if (note.value.trim()) body.note = note.value.trim();
    submit.disabled = true;
    try {
      const updated = await api.post(`/api/practices/${practice.id}/review`, body);
      ctx.announce(t(`practice.done.${decision}`), 'success');
      await onChanged(updated);
    } catch (err) {
      showErrors(form, err);
      submit.disabled = false;
    }
  });
  return form;
}
