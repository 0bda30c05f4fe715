// issue.js -- one issue: what it is, what the school proposed, what meetings decided about
// it, its attachments, the whole visible timeline, and what the current user may do now
// (school steps, staff actions, triage, comments).
import * as api from '../api.js';
import { loadOne } from '../load_one.js';
import { add, h, fill, verbatim } from '../dom.js';
import { t, nameOf, dateTime } from '../i18n.js';
import { byCode } from '../refdata.js';
import { statusBadge, priorityBadge, slaBadge, problemBadges, OPEN_STATUSES } from '../issue_bits.js';
import { timeline } from '../timeline.js';
import { schoolActions, staffActions, commentForms, triagePanel } from '../issue_forms.js';
import { attachmentList, attachmentPicker } from '../attachments.js';
import { sharingPanel, cosignPanel } from '../sharing.js';
import { systemicPanel } from '../systemic.js';
import { decisionsPanel } from '../decisions_panel.js';
import { practiceOffer } from '../practice_offer.js';
import { problemText } from '../errors.js';
import { markIssueRead } from '../notifications.js';
import { foldWhenEnded } from '../issue_ended.js';

export async function render(main, params, ctx) {
  const [refs, issue] = await Promise.all([
    Promise.all([byCode('categories'), byCode('divisions')]).then(([categories, divisions]) => ({ categories, divisions })),
    load(params.ref, main),
  ]);
  if (!issue) return;
  markIssueRead(issue.ref);
  await draw(main, issue, refs, ctx);
}

function load(ref, main) {
  return loadOne(main, `/api/issues/${encodeURIComponent(ref)}`,
    { notFound: 'notfound.issue', back: '/', backLabel: 'nav.home' });
}

// acted: the action just taken here, if any (after resolving, the library's offer).
async function draw(main, issue, refs, ctx, acted = null) {
  // After any change: the server's new picture of the issue, drawn afresh.
  const done = async (updated, action = null) => {
    const fresh = updated?.events ? updated : await load(issue.ref, main);
    if (!fresh) return;
    fill(main);
    await draw(main, fresh, refs, ctx, action);
  };
  const category = refs.categories.get(issue.category);
  const division = refs.divisions.get(issue.division);
  const staff = ['officer', 'supervisor', 'admin'].includes(ctx.user.role);

  const facts = h('dl', { class: 'facts' },
    fact(t('issue.school'), verbatim(issue.school_name || issue.school)),
    fact(t('issue.category'), category ? nameOf(category) : issue.category),
    fact(t('issue.division'), division ? nameOf(division) : issue.division),
    // "Not assigned" is news only while the issue is open; after, it would read as neglect.
    issue.assignee ? fact(t('issue.assignee'), verbatim(issue.assignee.name))
      : OPEN_STATUSES.includes(issue.status) ? fact(t('issue.assignee'), t('triage.nobody')) : null,
    fact(t('issue.filed'), [verbatim(issue.filed_by?.name), ' · ', dateTime(issue.created_at)]),
    issue.status === 'resolved' || issue.status === 'closed'
      ? fact(t('issue.resolved_at'), dateTime(issue.resolved_at || issue.closed_at))
      : fact(t('issue.due'), dateTime(issue.first_response_at ? issue.due_resolution_at : issue.due_first_response_at)),
    issue.duplicate_of ? fact(t('issue.duplicate_of'), h('a', { href: `/issues/${issue.duplicate_of}` }, issue.duplicate_of)) : null);

  const [attachmentsSection, decisions] = await Promise.all([
    attachmentsPart(issue, ctx, done), decisionsPanel(issue, ctx, refs.divisions)]);
  const triage = staff ? await triagePanel(issue, ctx, done) : null;
  const actions = staff ? staffActions(issue, ctx, done) : null;
  const side = actions || triage;   // a finished issue has no tools: the page keeps its width
  // The library's offer: at the top right after resolving, else below the attachments.
  const justResolved = acted === 'resolve';
  const offer = practiceOffer(issue, ctx, { justResolved });

  add(main, 
    h('p', { class: 'crumbs' }, h('a', { href: staff ? '/queue' : '/' }, t(staff ? 'nav.queue' : 'nav.home'))),
    h('div', { class: 'issue-head' },
      h('h1', null, verbatim(issue.title)),
      h('p', { class: 'meta' },
        h('span', { class: 'ref' }, issue.ref), ' ', statusBadge(issue.status), ' ', priorityBadge(issue.priority),
        issue.escalation_level > 0 ? [' ', h('span', { class: 'badge escalated' }, t('issue.escalated', { level: issue.escalation_level }))] : null,
        issue.overdue ? [' ', h('span', { class: 'badge overdue-badge' }, t('issue.overdue'))] : null,
        problemBadges(issue),
        ' ', slaBadge(issue))),
    schoolActions(issue, ctx, done),
    cosignPanel(issue, ctx, done),
    justResolved ? offer : null,
    h('div', { class: side ? 'issue-layout staff' : 'issue-layout' },
      h('div', { class: 'issue-main' },
        h('section', { class: 'panel', 'aria-labelledby': 'desc-h' },
          h('h2', { id: 'desc-h' }, t('issue.description')),
          verbatim(issue.description, 'p'),
          issue.proposed_solution ? [h('h3', null, t('issue.solution')), verbatim(issue.proposed_solution, 'p')] : null,
          facts),
        decisions,
        attachmentsSection,
        justResolved ? null : offer,
        sharingPanel(issue, ctx, done),
        systemicPanel(issue, ctx, done),
        h('section', { class: 'panel', 'aria-labelledby': 'tl-h' },
          h('h2', { id: 'tl-h' }, t('issue.timeline')),
          timeline(issue.events || [], refs)),
        foldWhenEnded(issue, t(staff ? 'issue.ended.write.staff' : 'issue.ended.write'),
          commentForms(issue, ctx, done), { name: 'comments' })),
      side ? h('aside', { class: 'issue-side', 'aria-label': t('issue.staff_tools') }, actions, triage) : null));
  // Long descriptions must wrap; the page's heading gets focus for screen readers.
  main.querySelector('h1')?.setAttribute('tabindex', '-1');
  // Just resolved: the offer to share the answer is where the officer looks next.
  if (justResolved) {
    const heading = document.getElementById('offer-h');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }
}

function fact(label, value) {
  return [h('dt', null, label), h('dd', null, value)];
}

async function attachmentsPart(issue, ctx, done) {
  const visible = (issue.attachments || []).filter((a) => !a.hidden).length;
  const canAttach = issue.can?.attach && 'attachments' in issue;
  if (!issue.attachments?.length && !canAttach) return null;
  let picker = null;
  let form = null;
  if (canAttach && visible < 5) {
    picker = attachmentPicker(ctx, { already: visible });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('att.send'));
    form = h('form', { class: 'stack', novalidate: true }, picker.element,
      h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }), h('div', { class: 'row' }, submit));
    const key = api.newKey();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!picker.count()) return;
      submit.disabled = true;
      try {
        await picker.upload(issue.ref, key);
        done(null);
      } catch (err) {
        form.querySelector('.form-error').textContent = problemText(err);
        submit.disabled = false;
      }
    });
  }
  return h('section', { class: 'panel', 'aria-labelledby': 'att-h' },
    h('h2', { id: 'att-h' }, t('att.title')),
    attachmentList(issue.attachments, { canHide: !!issue.can?.hide_files, onHidden: () => done(null) })
      || h('p', { class: 'hint' }, t('att.none')),
    foldWhenEnded(issue, t('att.add'), form, { lead: false, name: 'files' }));
}

