// systemic.js -- one problem, many schools (docs/dialogue.md, step 2). On a main issue:
// the issues linked under it that this reader may read, and for the Department other
// schools' issues that read alike, a field to link another issue by its reference, and a
// button to let one go. On a linked issue:
// the line that names its main issue, and for the Department the button to let it go.
import * as api from './api.js';
import { h, field, verbatim } from './dom.js';
import { t } from './i18n.js';
import { statusBadge } from './issue_bits.js';
import { showErrors, clearErrors, problemText } from './errors.js';

const REF_PATTERN = '^HT-[0-9]{4}-[0-9]{6}$';

function setParent(ref, parent) {
  return api.put(`/api/issues/${encodeURIComponent(ref)}/parent`, { parent });
}

// A button that lets `childRef` go from its main issue, then redraws `issue`.
function unlinkButton(childRef, ctx, done, label) {
  const button = h('button', { type: 'button', class: 'link-button' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await setParent(childRef, null);
      ctx.announce(t('sys.unlinked', { ref: childRef }), 'success');
      done(null);
    } catch (err) {
      ctx.announce(problemText(err), 'error');
      button.disabled = false;
    }
  });
  return button;
}

function childRow(child, issue, ctx, done) {
  return h('li', { class: 'child-row' },
    h('a', { href: `/issues/${child.ref}` }, h('span', { class: 'ref' }, child.ref), ' ', verbatim(child.title)),
    h('div', { class: 'hint' }, verbatim(child.school_name || child.school), ' ', statusBadge(child.status)),
    issue.can?.unlink ? unlinkButton(child.ref, ctx, done, t('sys.unlink')) : null);
}

// The Department's field: another issue's reference, linked under this one.
function linkForm(issue, ctx, done) {
  const input = h('input', { type: 'text', inputmode: 'text', autocomplete: 'off', pattern: REF_PATTERN,
    placeholder: 'HT-2026-000123', spellcheck: 'false' });
  const submit = h('button', { type: 'submit' }, t('sys.link'));
  const form = h('form', { class: 'stack', novalidate: true },
    field(t('sys.link.label'), input, { name: 'parent', hint: t('sys.link.hint') }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const child = input.value.trim().toUpperCase();
    if (!child) return;
    submit.disabled = true;
    try {
      await setParent(child, issue.ref);
      ctx.announce(t('sys.linked', { ref: child }), 'success');
      done(null);
    } catch (err) {
      showErrors(form, err);
      // The reference typed is the URL's issue: a 404 means that one, said as such.
      if (err.status === 404) form.querySelector('.form-error').textContent = t('sys.link.unknown', { ref: child });
      submit.disabled = false;
    }
  });
  return form;
}

// Other schools' issues that read like this one (the suggestions' own search), offered to
// the Department for linking: those already part of a systemic problem, and those done
// with (closed, declined, duplicates), are left out. Filled in once the answer arrives.
function candidates(issue, ctx, done) {
  const list = h('ul', { class: 'child-list' });
  const section = h('div', { class: 'candidates', hidden: true },
    h('h3', null, t('sys.candidates')), list);
  const text = `${issue.title} ${issue.description}`.slice(0, 1000);
  const taken = new Set((issue.children || []).map((c) => c.ref));
  api.get('/api/issues/similar', { text }).then((answer) => {
    const found = (answer.items || []).filter((c) => c.ref !== issue.ref && !taken.has(c.ref) && !c.systemic
      && !['closed', 'declined', 'duplicate'].includes(c.status));
    if (!found.length) return;
    list.append(...found.map((c) => {
      const button = h('button', { type: 'button' }, t('sys.link'));
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await setParent(c.ref, issue.ref);
          ctx.announce(t('sys.linked', { ref: c.ref }), 'success');
          done(null);
        } catch (err) {
          ctx.announce(problemText(err), 'error');
          button.disabled = false;
        }
      });
      return h('li', { class: 'child-row' },
        h('a', { href: `/issues/${c.ref}` }, h('span', { class: 'ref' }, c.ref), ' ', verbatim(c.title)),
        h('div', { class: 'hint' }, verbatim(c.school_name || c.school), ' ', statusBadge(c.status)),
        button);
    }));
    section.hidden = false;
  }).catch(() => {});   // suggestions are a help, not the page: nothing shown on failure
  return section;
}

// On a main issue (or one the Department could make one): its children and the tools.
export function systemicPanel(issue, ctx, done) {
  const can = issue.can || {};
  if (issue.parent) return childPanel(issue, ctx, done);
  if (!issue.child_count && !can.link) return null;
  const children = issue.children || [];
  const hidden = issue.child_count - children.length;
  return h('section', { class: 'panel systemic-panel', 'aria-labelledby': 'sys-h' },
    h('h2', { id: 'sys-h' }, t('sys.title')),
    h('p', null, issue.child_count
      ? t('sys.summary', { n: issue.child_count, schools: issue.schools_affected })
      : t('sys.none')),
    issue.child_count ? h('p', { class: 'hint' }, t('sys.cascade')) : null,
    children.length ? h('ul', { class: 'child-list' }, children.map((c) => childRow(c, issue, ctx, done))) : null,
    hidden > 0 ? h('p', { class: 'hint' }, t('sys.others', { n: hidden })) : null,
    can.link ? candidates(issue, ctx, done) : null,
    can.link ? linkForm(issue, ctx, done) : null);
}

// On a linked issue: its main issue, and what resolving it will do here.
function childPanel(issue, ctx, done) {
  return h('section', { class: 'panel systemic-panel', 'aria-labelledby': 'sys-h' },
    h('h2', { id: 'sys-h' }, t('sys.child.title')),
    h('p', null, t('sys.child.lead'), ' ', h('a', { href: `/issues/${issue.parent}` }, h('span', { class: 'ref' }, issue.parent)), '.'),
    h('p', { class: 'hint' }, t(ctx.user.role === 'principal' ? 'sys.child.school' : 'sys.child.staff')),
    issue.can?.unlink_from_parent ? unlinkButton(issue.ref, ctx, done, t('sys.unlink.this')) : null);
}
