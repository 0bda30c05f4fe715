// decision_bits.js -- the small pieces every view of a meeting's decisions shows
// (docs/meetings.md): calendar days as people read them, the decision's state badge, the
// meeting named by its kind, and a decision's issues as links.
import { h, verbatim } from './dom.js';
import { t, tParts, nameOf } from './i18n.js';

export const DECISION_STATES = ['open', 'overdue', 'done_on_time', 'done_late'];

// Meetings and due days are calendar days ("2026-11-05"), not moments: read as written,
// never through Date (a device west of Greenwich would show the day before).
export function dayText(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

export function shortDay(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day || '');
  return m ? `${m[3]}/${m[2]}` : '';
}

// Today's calendar day in Ha Tinh, as a date input wants it (YYYY-MM-DD).
export function todayInHaTinh() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

export function decisionBadge(state) {
  return h('span', { class: `badge decision-${state}` }, t(`dec.state.${state}`));
}

// "Toàn tỉnh" or "Họp cụm: <name>" (the name, kept as written, says "Cụm" itself).
export function meetingKind(meeting) {
  if (meeting.kind !== 'cluster') return t('meet.kind.province');
  return tParts('meet.kind.cluster_of', { name: verbatim(meeting.cluster_name || meeting.cluster || '') });
}

// The division responsible, in the reader's language when the reference list knows it.
export function divisionName(decision, divisions) {
  const known = divisions?.get(decision.division);
  return known ? nameOf(known) : (decision.division_name || decision.division || '');
}

// A decision's issues as links: with their titles when known ({ref, title, status}), else
// (a report's items: bare references) the references in a row. except: the issue whose
// page this is, not named again.
export function issueLinks(issues, { except = null } = {}) {
  const items = (issues || []).map((i) => (typeof i === 'string' ? { ref: i } : i)).filter((i) => i.ref && i.ref !== except);
  if (!items.length) return null;
  if (!items.some((i) => i.title)) {
    return h('span', { class: 'issue-refs' }, items.map((i, n) => [n ? ', ' : '', h('a', { href: `/issues/${i.ref}`, class: 'ref' }, i.ref)]));
  }
  return h('ul', { class: 'issue-refs' }, items.map((i) => h('li', null,
    h('a', { href: `/issues/${i.ref}` }, h('span', { class: 'ref' }, i.ref), ' ', verbatim(i.title)))));
}
