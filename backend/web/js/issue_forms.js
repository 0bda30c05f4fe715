// issue_forms.js -- what a user can do on an issue page: exactly the lifecycle actions the
// server lists in `allowed_actions`, comments (a public reply and an internal note as two
// separate, differently coloured forms), and the staff's triage panel.
import * as api from './api.js';
import { h, field, fill, options } from './dom.js';
import { t, nameOf } from './i18n.js';
import { showErrors, clearErrors } from './errors.js';
import { list } from './refdata.js';
import { PRIORITIES } from './issue_bits.js';
import { ratingField } from './rating.js';

// Actions whose note the server requires (a hint only: the server decides).
const NOTE_REQUIRED = new Set(['request_info', 'answer_info', 'resolve', 'reopen', 'decline']);
const SCHOOL_ACTIONS = ['answer_info', 'confirm', 'reopen'];

// A form that sends once at a time and keeps its Idempotency-Key until the server answered,
// so a retry after a timeout or a new sign-in is the same request.
function sendingForm(form, submit, send) {
  let key = api.newKey();
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    submit.disabled = true;
    clearErrors(form);
    try {
      await send(key);
      key = api.newKey();
    } catch (err) {
      if (err.problem?.code === 'idempotency_key_reused') key = api.newKey();
      showErrors(form, err);
    } finally {
      busy = false;
      submit.disabled = false;
    }
  });
}

// The school's own steps, spelled out: answer the question, confirm, or reopen with a reason.
export function schoolActions(issue, ctx, done) {
  const allowed = (issue.allowed_actions || []).filter((a) => SCHOOL_ACTIONS.includes(a));
  if (!allowed.length) return null;
  return h('section', { class: 'panel todo-panel', 'aria-labelledby': 'todo-h' },
    h('h2', { id: 'todo-h' }, t('issue.todo')),
    allowed.map((action) => actionForm(issue, action, ctx, done)));
}

// The Department's lifecycle buttons; each opens its own small form (note, duplicate).
export function staffActions(issue, ctx, done) {
  const allowed = (issue.allowed_actions || []).filter((a) => !SCHOOL_ACTIONS.includes(a));
  if (!allowed.length) return null;
  const slot = h('div', { class: 'action-slot' });
  const buttons = allowed.map((action) => h('button', {
    type: 'button', class: `action action-${action}`, 'aria-expanded': 'false',
    onclick: (event) => {
      for (const b of buttons) b.setAttribute('aria-expanded', String(b === event.currentTarget));
      fill(slot, actionForm(issue, action, ctx, done));
      slot.querySelector('textarea, input')?.focus();
    },
  }, t(`action.${action}`)));
  return h('section', { class: 'panel', 'aria-labelledby': 'actions-h' },
    h('h2', { id: 'actions-h' }, t('issue.actions')),
    h('div', { class: 'row wrap' }, buttons), slot);
}

function actionForm(issue, action, ctx, done) {
  const required = NOTE_REQUIRED.has(action);
  const note = h('textarea', { rows: '3', maxlength: '10000', required });
  const duplicateOf = action === 'mark_duplicate'
    ? h('input', { required: true, placeholder: 'HT-2026-000123', autocomplete: 'off', pattern: 'HT-\\d{4}-\\d{6}' }) : null;
  // A school confirming says how well it was solved: required here, the note its comment.
  const rating = action === 'confirm' ? ratingField() : null;
  const submit = h('button', { type: 'submit', class: `primary action-${action}` }, t(`action.${action}`));
  const form = h('form', { class: 'stack action-form', novalidate: true, dataset: { action } },
    h('h3', null, t(`action.${action}.title`)),
    quoteFor(issue, action),
    rating?.element,
    duplicateOf ? field(t('action.duplicate_of'), duplicateOf, { name: 'duplicate_of' }) : null,
    field(t(`action.${action}.note`) + (required ? '' : ` ${t('form.optional')}`), note, { name: 'note' }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  sendingForm(form, submit, async (key) => {
    const missing = [];
    if (rating && !rating.value()) missing.push({ field: 'rating', code: 'choose_rating' });
    if (required && !note.value.trim()) missing.push({ field: 'note', code: 'required' });
    if (missing.length) throw { problem: { code: 'validation', errors: missing } };
    const body = { action };
    if (rating) body.rating = rating.value();
    if (note.value.trim()) body.note = note.value.trim();
    if (duplicateOf) body.duplicate_of = duplicateOf.value.trim().toUpperCase();
    const updated = await api.post(`/api/issues/${issue.ref}/actions`, body, { key });
    ctx.announce(t('issue.acted', { action: t(`action.${action}`) }), 'success');
    done(updated, action);
  });
  return form;
}

// The school answers what the Department asked, and confirms what it did: quote it here.
function quoteFor(issue, action) {
  const wanted = action === 'answer_info' ? 'request_info' : (action === 'confirm' ? 'resolve' : null);
  if (!wanted) return null;
  const last = [...(issue.events || [])].reverse().find((e) => e.action === wanted && e.note);
  return last ? h('blockquote', { class: 'quote verbatim', lang: 'vi' }, last.note) : null;
}

// Comments: the public one and, for the Department, the internal one -- separate forms,
// separate buttons, separate colours, so an internal note is never sent as public by mistake.
export function commentForms(issue, ctx, done) {
  const can = issue.can || {};
  const staff = ['officer', 'supervisor', 'admin'].includes(ctx.user.role);
  const forms = [];
  if (can.comment ?? true) forms.push(commentForm(issue, ctx, done, false, staff));
  if (can.internal_note ?? staff) forms.push(commentForm(issue, ctx, done, true, staff));
  return forms.length ? h('div', { class: 'comment-forms' }, forms) : null;
}

function commentForm(issue, ctx, done, internal, staff) {
  const kind = internal ? 'internal' : (staff ? 'public' : 'comment');
  const body = h('textarea', { rows: '3', maxlength: '10000', required: true });
  const submit = h('button', { type: 'submit', class: internal ? 'internal-button' : 'primary' }, t(`comment.${kind}.send`));
  const form = h('form', { class: `stack comment-form comment-${kind}`, novalidate: true, dataset: { kind } },
    h('h2', null, t(`comment.${kind}.title`)),
    h('p', { class: 'hint' }, t(`comment.${kind}.hint`)),
    field(t(`comment.${kind}.label`), body, { name: 'body' }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  sendingForm(form, submit, async (key) => {
    if (!body.value.trim()) throw { problem: { code: 'validation', errors: [{ field: 'body', code: 'required' }] } };
    await api.post(`/api/issues/${issue.ref}/comments`, { body: body.value.trim(), internal }, { key });
    body.value = '';
    ctx.announce(t(`comment.${kind}.done`), 'success');
    done(null);
  });
  return form;
}

// Category, division, priority and assignee, saved together with one PATCH of what changed.
export async function triagePanel(issue, ctx, done) {
  if (!issue.can?.modify) return null;
  const [categories, divisions] = await Promise.all([list('categories'), list('divisions')]);
  const category = h('select', null, options(categories.map((c) => [c.code, nameOf(c)]), issue.category));
  const division = h('select', null, options(divisions.map((d) => [d.code, nameOf(d)]), issue.division));
  const priority = h('select', null, options(PRIORITIES.map((p) => [p, t(`priority.${p}`)]), issue.priority));
  const assignee = h('select', { class: 'verbatim' });   // people's names
  const assigneeField = field(t('triage.assignee'), assignee, { name: 'assignee' });

  async function loadOfficers() {
    try {
      const data = await api.get('/api/officers', { division: division.value });
      const current = division.value === issue.division ? issue.assignee?.login : '';
      fill(assignee, h('option', { value: '' }, t('triage.nobody')),
        options(data.items.map((o) => [o.login, `${o.name} (${t(`role.${o.role}`)})`]), current || ''));
      assigneeField.hidden = false;
    } catch (err) {
      assigneeField.hidden = true;   // no list of officers on this server: leave the assignee alone
    }
  }
  division.addEventListener('change', loadOfficers);
  await loadOfficers();

  const submit = h('button', { type: 'submit', class: 'primary' }, t('triage.save'));
  const form = h('form', { class: 'stack triage', novalidate: true },
    h('h2', null, t('triage.title')),
    h('div', { class: 'grid2' },
      field(t('triage.category'), category, { name: 'category' }),
      field(t('triage.division'), division, { name: 'division' }),
      field(t('triage.priority'), priority, { name: 'priority' }),
      assigneeField),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  sendingForm(form, submit, async () => {
    const changes = {};
    if (category.value !== issue.category) changes.category = category.value;
    if (division.value !== issue.division) changes.division = division.value;
    if (priority.value !== issue.priority) changes.priority = priority.value;
    if (!assigneeField.hidden && assignee.value !== (issue.assignee?.login || '')) {
      changes.assignee = assignee.value || null;
    }
    if (!Object.keys(changes).length) {
      ctx.announce(t('triage.nothing'), 'info');
      return;
    }
    const updated = await api.patch(`/api/issues/${issue.ref}`, changes);
    ctx.announce(t('triage.saved'), 'success');
    done(updated);
  });
  return h('section', { class: 'panel' }, form);
}

