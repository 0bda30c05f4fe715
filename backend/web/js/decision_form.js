// decision_form.js -- recording a meeting's decision (POST /api/meetings/{id}/decisions):
// what was decided, the agenda's issues it concerns (none ticked beforehand) and any other
// by reference, the division responsible and, if known, its officer, and the due day.
import * as api from './api.js';
import { h, field, fill, options, verbatim, uid } from './dom.js';
import { t, nameOf } from './i18n.js';
import { list } from './refdata.js';
import { formFooter, blankFields, submitCreate } from './form_submit.js';

// References typed by hand: comma, semicolon or space separated, any case.
export function parseRefs(text) {
  return (text || '').split(/[\s,;]+/).map((r) => r.trim().toUpperCase()).filter(Boolean);
}

// After showErrors: the server names a list's item by its place ("issues[1]"); the field
// says which references those are, as they were sent.
export function sayWhichRefs(form, err, name, sent) {
  const wrong = (err?.problem?.errors || []).map((fe) => new RegExp(`^${name}\\[(\\d+)\\]`).exec(fe.field || ''))
    .filter(Boolean).map((m) => sent[Number(m[1])]).filter(Boolean);
  const slot = form.querySelector(`[data-field="${name}"] .field-error`);
  if (wrong.length && slot) slot.textContent = `${slot.textContent.replace(/\.$/, ':')} ${wrong.join(', ')}`;
}

// The division's select and the officer's under it: the officers of the division chosen
// (and the supervisors, as /api/officers gives them), or "the whole division".
export async function responsiblePicker({ division, responsible = null }) {
  const divisions = await list('divisions');
  const divisionSelect = h('select', null, options(divisions.map((d) => [d.code, nameOf(d)]), division || divisions[0]?.code));
  const officerSelect = h('select', { class: 'verbatim' });
  const officerField = field(`${t('dec.f.responsible')} ${t('form.optional')}`, officerSelect,
    { name: 'responsible', hint: t('dec.f.responsible.hint') });
  async function loadOfficers(current) {
    try {
      const data = await api.get('/api/officers', { division: divisionSelect.value });
      fill(officerSelect, h('option', { value: '' }, t('dec.responsible.division')),
        options(data.items.map((o) => [o.login, `${o.name} (${t(`role.${o.role}`)})`]), current || ''));
      officerField.hidden = false;
    } catch {
      officerField.hidden = true;   // without the list the division alone is named
    }
  }
  divisionSelect.addEventListener('change', () => loadOfficers(''));
  await loadOfficers(responsible);
  return {
    divisionField: field(t('dec.f.division'), divisionSelect, { name: 'division' }),
    officerField,
    division: divisionSelect,
    officer: () => (officerField.hidden ? undefined : (officerSelect.value || null)),
    setDivision: (code) => {
      if (!code || code === divisionSelect.value) return;
      divisionSelect.value = code;
      loadOfficers('');
    },
  };
}

// onRecorded(decision) runs once the server has it.
export async function recordDecisionForm(meeting, ctx, onRecorded) {
  const body = h('textarea', { rows: '4', required: true, maxlength: '2000' });
  // An officer's own division first; for a supervisor, the agenda's first issue's.
  const picker = await responsiblePicker({ division: ctx.user.division || meeting.agenda?.[0]?.division });
  const due = h('input', { type: 'date', required: true, min: meeting.held_on });
  // The division follows the first issue ticked, until the user picks one.
  let divisionChosen = false;
  picker.division.addEventListener('change', () => { divisionChosen = true; });
  const boxes = (meeting.agenda || []).map((item) => {
    const box = h('input', { type: 'checkbox', value: item.ref, id: uid('dec-issue') });
    box.addEventListener('change', () => {
      if (box.checked && !divisionChosen) picker.setDivision(item.division);
    });
    return h('div', { class: 'check decision-issue' }, box,
      h('label', { for: box.id }, h('span', { class: 'ref' }, item.ref), ' ', verbatim(item.title)));
  });
  const others = h('input', { autocomplete: 'off', spellcheck: 'false', placeholder: 'HT-2026-000123', id: uid('dec-others') });
  others.setAttribute('aria-describedby', `${others.id}-hint ${others.id}-err`);
  const issuesField = h('fieldset', { class: 'field decision-issues', dataset: { field: 'issues' } },
    h('legend', null, t('dec.f.issues')),
    boxes.length ? boxes : h('p', { class: 'hint' }, t('dec.f.issues.none')),
    h('label', { for: others.id, class: 'others-label' }, t('dec.f.others')),
    h('p', { class: 'hint', id: `${others.id}-hint` }, t('dec.f.others.hint')),
    others,
    h('p', { class: 'field-error', id: `${others.id}-err` }));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('dec.record'));
  const form = h('form', { class: 'stack decision-form', novalidate: true },
    field(t('dec.f.body'), body, { name: 'body', hint: t('dec.f.body.hint') }),
    issuesField,
    h('div', { class: 'grid2' }, picker.divisionField, picker.officerField),
    field(t('dec.f.due'), due, { name: 'due_on', hint: t('dec.f.due.hint') }),
    formFooter(submit));

  const tickedBoxes = () => boxes.map((b) => b.querySelector('input')).filter((b) => b.checked);
  submitCreate(form, submit, ctx, {
    path: `/api/meetings/${meeting.id}/decisions`,
    missing: () => blankFields([[body, 'body'], [due, 'due_on']]),
    payload: () => {
      const issues = [...new Set([...tickedBoxes().map((b) => b.value), ...parseRefs(others.value)])];
      const payload = { body: body.value.trim(), division: picker.division.value, due_on: due.value, issues };
      const responsible = picker.officer();
      if (responsible !== undefined) payload.responsible = responsible;
      return payload;
    },
    successKey: 'dec.recorded',
    onDone: (decision) => {
      // The next decision often goes to the same division: only what was decided is cleared.
      body.value = '';
      due.value = '';
      others.value = '';
      for (const box of tickedBoxes()) box.checked = false;
      return onRecorded(decision);
    },
    failed: (err, payload, first) => {
      sayWhichRefs(form, err, 'issues', payload.issues);
      // A reference at fault is most likely one typed by hand: mark that field, not a box.
      if (first?.type === 'checkbox' && others.value.trim()) {
        first.removeAttribute('aria-invalid');
        others.setAttribute('aria-invalid', 'true');
        others.focus();
      }
    },
  });
  return form;
}
