// decision_actions.js -- what may be done to a decision on its meeting's page, exactly as
// its `can` says: mark it done (with a note on how), reopen it (the note says why, and is
// required), or change its due day and who is responsible. Each button opens its form.
import * as api from './api.js';
import { h, field } from './dom.js';
import { t } from './i18n.js';
import { responsiblePicker } from './decision_form.js';
import { actionButtons } from './action_buttons.js';
import { noteForm } from './note_form.js';
import { formFooter, submitChange } from './form_submit.js';

const ACTIONS = ['done', 'reopen', 'change'];

// onChanged(decision) runs after the server took the change.
export function decisionTools(decision, meeting, ctx, onChanged) {
  const can = decision.can || {};
  const allowed = ACTIONS.filter((a) => can[a]);
  if (!allowed.length) return null;
  return h('div', { class: 'decision-tools' }, actionButtons(allowed, {
    classPrefix: 'dec-action',
    labelPrefix: 'dec.action',
    formFor: (action) => (action === 'change' ? changeForm(decision, meeting, ctx, onChanged)
      : stateForm(decision, action, ctx, onChanged)),
  }));
}

// Done or reopened, with its note.
function stateForm(decision, action, ctx, onChanged) {
  return noteForm(ctx, {
    required: action === 'reopen',
    label: t(`dec.note.${action}`),
    button: t(`dec.action.${action}`),
    dataset: { decisionAction: action },
    path: `/api/decisions/${decision.id}/actions`,
    body: { action },
    successKey: `dec.acted.${action}`,
    onDone: onChanged,
  });
}

// The due day and who is responsible: only what changed is sent.
async function changeForm(decision, meeting, ctx, onChanged) {
  const due = h('input', { type: 'date', required: true, min: meeting.held_on, value: decision.due_on });
  const picker = await responsiblePicker({ division: decision.division, responsible: decision.responsible });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('dec.save'));
  const form = h('form', { class: 'stack', novalidate: true, dataset: { decisionAction: 'change' } },
    field(t('dec.f.due'), due, { name: 'due_on' }),
    h('div', { class: 'grid2' }, picker.divisionField, picker.officerField),
    formFooter(submit));
  submitChange(form, submit, ctx, {
    payload: () => changedFields(decision, due, picker),
    send: (changes) => api.patch(`/api/decisions/${decision.id}`, changes),
    successKey: 'dec.changed',
    onDone: onChanged,
  });
  return form;
}

function changedFields(decision, due, picker) {
  const changes = {};
  if (due.value && due.value !== decision.due_on) changes.due_on = due.value;
  if (picker.division.value !== decision.division) changes.division = picker.division.value;
  const officer = picker.officer();
  if (officer !== undefined && officer !== (decision.responsible || null)) changes.responsible = officer;
  return changes;
}
