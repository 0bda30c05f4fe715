// decision_strip.js -- the officers' queue's reminder of what meetings decided and is not
// done yet (GET /api/decisions?state=open, an officer's own division): one line with the
// count and how many are overdue, opening to the list; and the "QĐ" badge for the queue's
// rows whose issue such a decision names.
import * as api from './api.js';
import { h, fill, verbatim } from './dom.js';
import { t } from './i18n.js';
import { dayText, decisionBadge, issueLinks } from './decision_bits.js';

// element: the strip (hidden while there is nothing to show); refs: a promise of the set
// of references the open decisions name (empty if they could not be read).
export function decisionStrip(user) {
  const element = h('details', { class: 'decision-strip', hidden: true });
  const division = user.role === 'officer' ? user.division : null;
  const refs = api.get('/api/decisions', { state: 'open', division, limit: 200 }).then((data) => {
    const items = data.items || [];
    if (items.length) {
      const overdue = items.filter((d) => d.state === 'overdue').length;
      fill(element,
        h('summary', null, t(overdue ? 'dec.strip.overdue' : 'dec.strip', { n: items.length, m: overdue })),
        h('ul', { class: 'strip-list' }, items.map(stripItem)));
      element.classList.toggle('has-overdue', overdue > 0);
      element.hidden = false;
    }
    return new Set(items.flatMap((d) => (d.issues || []).map((i) => i.ref)));
  }).catch(() => new Set());   // a reminder, not the queue: the list works without it
  return { element, refs };
}

function stripItem(d) {
  return h('li', { class: d.state === 'overdue' ? 'overdue' : null },
    h('div', { class: 'meta' }, decisionBadge(d.state), h('span', null, t('dec.due', { day: dayText(d.due_on) })),
      d.meeting ? h('a', { href: `/meetings/${d.meeting.id}` }, verbatim(d.meeting.title)) : null),
    h('p', { class: 'strip-body verbatim', lang: 'vi' }, d.body),
    issueLinks(d.issues));
}

// The queue row's mark: an open decision of a meeting names this issue.
export function decisionMark() {
  return h('span', { class: 'badge decision-badge', title: t('dec.badge.title') },
    h('span', { 'aria-hidden': 'true' }, t('dec.badge')), h('span', { class: 'visually-hidden' }, t('dec.badge.title')));
}
