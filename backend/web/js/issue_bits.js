// issue_bits.js -- the small pieces every issue list shows: status, priority and sharing
// badges, the SLA countdown, a row linking to the issue.
import { h, verbatim } from './dom.js';
import { t, nameOf, duration, timeEl } from './i18n.js';

export const STATUSES = ['new', 'triaged', 'in_progress', 'awaiting_school', 'resolved',
  'closed', 'declined', 'duplicate'];
export const OPEN_STATUSES = ['new', 'triaged', 'in_progress', 'awaiting_school'];
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'];

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, t(`status.${status}`));
}

export function priorityBadge(priority) {
  return h('span', { class: `badge prio-${priority}` }, t(`priority.${priority}`));
}

// The clock that matters now: the first answer until there is one, then the resolution.
// Paused while waiting on the school; none once resolved or closed.
export function slaInfo(issue, now = Date.now()) {
  if (!OPEN_STATUSES.includes(issue.status)) return null;
  if (issue.status === 'awaiting_school') return { text: t('sla.paused'), kind: 'paused' };
  const due = issue.first_response_at ? issue.due_resolution_at : issue.due_first_response_at;
  if (!due) return null;
  const left = new Date(due).getTime() - now;
  const which = issue.first_response_at ? 'resolution' : 'first';
  if (left < 0 || issue.overdue) {
    return { text: t(`sla.over.${which}`, { d: duration(-left) }), kind: 'over' };
  }
  return { text: t(`sla.left.${which}`, { d: duration(left) }), kind: left < 86400000 ? 'soon' : 'ok' };
}

// What reaches beyond the issue's own school: shared, how many schools, one problem of
// many (a main issue, or an issue linked under one); each after a space (docs/dialogue.md).
export function problemBadges(issue) {
  return [
    issue.child_count > 0 ? [' ', h('span', { class: 'badge systemic-badge' }, t('sys.badge'))] : null,
    issue.parent ? [' ', h('span', { class: 'badge systemic-badge' }, t('sys.child.badge', { ref: issue.parent }))] : null,
    issue.shared ? [' ', h('span', { class: 'badge shared-badge' }, t('share.badge'))] : null,
    issue.schools_affected > 1
      ? [' ', h('span', { class: 'badge schools-badge' }, t('share.schools', { n: issue.schools_affected }))]
      : null,
  ];
}

export function slaBadge(issue) {
  const info = slaInfo(issue);
  return info ? h('span', { class: `sla sla-${info.kind}` }, info.text) : null;
}

// One issue as a card (phones) -- title first, what and when below.
// withSchool: lists that mix schools (shared problems) say whose each issue is.
export function issueCard(issue, categories, { withSchool = false } = {}) {
  const category = categories?.get(issue.category);
  return h('li', { class: `card issue-card${issue.overdue ? ' overdue' : ''}` },
    h('a', { href: `/issues/${issue.ref}`, class: 'card-link' },
      verbatim(issue.title, 'span')),
    withSchool ? h('p', { class: 'meta' }, verbatim(issue.school_name)) : null,
    h('p', { class: 'meta' },
      statusBadge(issue.status), ' ', priorityBadge(issue.priority), ' ',
      h('span', { class: 'ref' }, issue.ref), problemBadges(issue)),
    h('p', { class: 'meta' },
      category ? nameOf(category) : issue.category, ' · ', t('issue.updated'), ' ', timeEl(issue.updated_at)),
    slaBadge(issue));
}
