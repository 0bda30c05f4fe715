// meeting_agenda.js -- a meeting's agenda: its issues in order, each with its status,
// school and how many schools it affects; for officers and supervisors a button to take
// one off and a field to add others by reference (PUT /api/meetings/{id}/agenda).
import * as api from './api.js';
import { h, field, verbatim } from './dom.js';
import { t } from './i18n.js';
import { statusBadge } from './issue_bits.js';
import { parseRefs, sayWhichRefs } from './decision_form.js';
import { showErrors, clearErrors, problemText } from './errors.js';

// onChanged(meeting) runs with the server's new picture of the meeting.
export function agendaSection(meeting, ctx, onChanged) {
  const agenda = meeting.agenda || [];
  const canChange = !!meeting.can?.change;
  const refs = agenda.map((i) => i.ref);
  const save = (issues) => api.put(`/api/meetings/${meeting.id}/agenda`, { issues });
  return h('section', { class: 'panel agenda-panel', 'aria-labelledby': 'agenda-h' },
    h('h2', { id: 'agenda-h' }, t('meet.agenda', { n: agenda.length })),
    agenda.length ? h('ol', { class: 'agenda-list' }, agenda.map((item) => h('li', { class: item.overdue ? 'agenda-item overdue' : 'agenda-item' },
      h('a', { href: `/issues/${item.ref}`, class: 'agenda-title' }, h('span', { class: 'ref' }, item.ref), ' ', verbatim(item.title)),
      h('div', { class: 'meta' }, statusBadge(item.status),
        item.overdue ? h('span', { class: 'badge overdue-badge' }, t('issue.overdue')) : null,
        item.schools_affected > 1 ? h('span', { class: 'badge schools-badge' }, t('share.schools', { n: item.schools_affected })) : null,
        verbatim(item.school_name || item.school),
        canChange ? removeButton(item.ref, refs, save, ctx, onChanged) : null))))
      : h('p', { class: 'hint' }, t('meet.agenda.empty')),
    canChange ? addForm(refs, save, ctx, onChanged) : null);
}

function removeButton(ref, refs, save, ctx, onChanged) {
  // The reference, unseen, tells a screen reader's list of buttons which one this is.
  const button = h('button', { type: 'button', class: 'link-button agenda-remove' },
    t('meet.agenda.remove'), h('span', { class: 'visually-hidden' }, ` ${ref}`));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const meeting = await save(refs.filter((r) => r !== ref));
      ctx.announce(t('meet.agenda.removed', { ref }), 'success');
      await onChanged(meeting);
    } catch (err) {
      ctx.announce(problemText(err), 'error');
      button.disabled = false;
    }
  });
  return button;
}

// More issues at the end of the agenda, in the order typed.
function addForm(refs, save, ctx, onChanged) {
  const input = h('input', { autocomplete: 'off', spellcheck: 'false', placeholder: 'HT-2026-000123' });
  const submit = h('button', { type: 'submit' }, t('meet.agenda.add'));
  const form = h('form', { class: 'stack agenda-add', novalidate: true },
    field(t('meet.agenda.add.label'), input, { name: 'issues', hint: t('dec.f.others.hint') }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const added = parseRefs(input.value).filter((r) => !refs.includes(r));
    if (!added.length) return;
    const issues = [...refs, ...added];
    submit.disabled = true;
    try {
      const meeting = await save(issues);
      ctx.announce(t('meet.agenda.added', { n: added.length }), 'success');
      await onChanged(meeting);
    } catch (err) {
      showErrors(form, err);
      sayWhichRefs(form, err, 'issues', issues);
      submit.disabled = false;
    }
  });
  return form;
}
