// decision_actions.js -- what may be done to a decision on its meeting's page, exactly as
// its `can` says: mark it done (with a note on how), reopen it (the note says why, and is
// required), or change its due day and who is responsible. Each button opens its form.
import * as api from './api.js';
import { h, field, fill } from './dom.js';
import { t } from './i18n.js';
import { responsiblePicker } from './decision_form.js';
import { showErrors, clearErrors } from './errors.js';

const ACTIONS = ['done', 'reopen', 'change'];

// onChanged(decision) runs after the server took the change.
export function decisionTools(decision, meeting, ctx, onChanged) {
  const can = decision.can || {};
  const allowed = ACTIONS.filter((a) => can[a]);
  if (!allowed.length) return null;
  const slot = h('div', { class: 'action-slot' });
  const buttons = allowed.map((action) => h('button', {
    type: 'button', class: `action dec-action-${action}`, 'aria-expanded': 'false',
    onclick: async (event) => {
      const button = event.currentTarget;
      const open = button.getAttribute('aria-expanded') === 'true';
      for (const b of buttons) b.setAttribute('aria-expanded', String(!open && b === button));
      if (open) return fill(slot);
      fill(slot, action === 'change' ? await changeForm(decision, meeting, ctx, onChanged) : stateForm(decision, action, ctx, onChanged));
      slot.querySelector('textarea, input, select')?.focus();
    },
  }, t(`dec.action.${action}`)));
  return h('div', { class: 'decision-tools' }, h('div', { class: 'row wrap' }, buttons), slot);
}

// Done or reopened, with its note.
function stateForm(decision, action, ctx, onChanged) {
  const required = action === 'reopen';
  const note = h('textarea', { rows: '3', required, maxlength: '2000' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t(`dec.action.${action}`));
  const form = h('form', { class: 'stack', novalidate: true, dataset: { decisionAction: action } },
    field(t(`dec.note.${action}`) + (required ? '' : ` ${t('form.optional')}`), note, { name: 'note' }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (required && !note.value.trim()) {
      return showErrors(form, { problem: { code: 'validation', errors: [{ field: 'note', code: 'required' }] } });
    }
    const body = { action };
    if (note.value.trim()) body.note = note.value.trim();
    submit.disabled = true;
    try {
      const updated = await api.post(`/api/decisions/${decision.id}/actions`, body);
      ctx.announce(t(`dec.acted.${action}`), 'success');
      await onChanged(updated);
    } catch (err) {
      showErrors(form, err);
      submit.disabled = false;
    }
  });
  return form;
}

// The due day and who is responsible: only what changed is sent.
async function changeForm(decision, meeting, ctx, onChanged) {
  const due = h('input', { type: 'date', required: true, min: meeting.held_on, value: decision.due_on });
  const picker = await responsiblePicker({ division: decision.division, responsible: decision.responsible });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('dec.save'));
  const form = h('form', { class: 'stack', novalidate: true, dataset: { decisionAction: 'change' } },
    field(t('dec.f.due'), due, { name: 'due_on' }),
    h('div', { class: 'grid2' }, picker.divisionField, picker.officerField),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const changes = {};
    if (due.value && due.value !== decision.due_on) changes.due_on = due.value;
    if (picker.division.value !== decision.division) changes.division = picker.division.value;
    const officer = picker.officer();
    if (officer !== undefined && officer !== (decision.responsible || null)) changes.responsible = officer;
    if (!Object.keys(changes).length) return ctx.announce(t('triage.nothing'), 'info');
    submit.disabled = true;
    try {
      const updated = await api.patch(`/api/decisions/${decision.id}`, changes);
      ctx.announce(t('dec.changed'), 'success');
      await onChanged(updated);
    } catch (err) {
      showErrors(form, err);
      submit.disabled = false;
    }
  });
  return form;
}
