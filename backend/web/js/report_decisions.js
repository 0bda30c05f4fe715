// report_decisions.js -- the monthly report's "Decisions from the last meetings": how many
// were done on time, done late, are overdue or still open at the month's end, and each
// decision as it stood then, with its meeting, division, due day and issues.
import { h, verbatim } from './dom.js';
import { t } from './i18n.js';
import { DECISION_STATES, dayText, decisionBadge, divisionName, issueLinks } from './decision_bits.js';

// staff: the meetings are theirs to open; a school reads the meeting's name only.
export function decisionsSection(decisions, divisions, staff) {
  if (!decisions) return null;   // a server without meetings
  const counts = decisions.counts || {};
  const items = decisions.items || [];
  return h('section', { class: 'report-decisions', 'aria-labelledby': 'dec-h' },
    h('h2', { id: 'dec-h' }, t('report.decisions')),
    h('ul', { class: 'figures decision-figures' }, DECISION_STATES.map((state) => h('li', { class: `figure decision-figure-${state}` },
      h('span', { class: 'figure-n' }, String(counts[state] ?? 0)), h('span', null, t(`dec.state.${state}`))))),
    items.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') },
      h('table', { class: 'queue report-decision-list stack-on-phone' },
        h('caption', { class: 'visually-hidden' }, t('report.decisions')),
        h('thead', null, h('tr', null, ['dec.col.state', 'dec.col.decision', 'dec.division', 'dec.col.due', 'dec.issues']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, items.map((d) => h('tr', { class: d.state === 'overdue' ? 'overdue' : null },
          h('td', null, decisionBadge(d.state)),
          h('td', null, verbatim(d.body, 'div'), d.meeting ? h('div', { class: 'hint' },
            staff ? h('a', { href: `/meetings/${d.meeting.id}` }, verbatim(d.meeting.title)) : verbatim(d.meeting.title),
            ` · ${dayText(d.meeting.held_on)}`) : null),
          h('td', { 'data-label': t('dec.division') }, divisionName(d, divisions)),
          h('td', { 'data-label': t('dec.col.due') }, dayText(d.due_on)),
          h('td', { 'data-label': t('dec.issues') }, issueLinks(d.issues) || '—'))))))
      : h('p', { class: 'hint' }, t('report.decisions.none')));
}
