// decision_card.js -- one decision of a meeting as people read it: its state, what was
// decided, who does it by when, the issues it concerns, and once done the note saying how;
// the meeting page adds its buttons below, the issue page names the meeting.
import { h, verbatim } from './dom.js';
import { t, dateTime } from './i18n.js';
import { dayText, decisionBadge, divisionName, issueLinks } from './decision_bits.js';

// Options: divisions (by code, for names in the reader's language), meeting: 'link' (staff,
// who read meetings) or 'text' (a school) to name the meeting, onIssue: the reference of
// the issue whose page shows it (its other issues only are listed), names: given to staff
// (who then read who marked it done), tools: an element below.
export function decisionCard(decision, { divisions, meeting = null, onIssue = null, names = null, tools = null } = {}) {
  const issues = issueLinks(decision.issues, { except: onIssue });
  const done = decision.state === 'done_on_time' || decision.state === 'done_late';
  const m = decision.meeting;
  const meetingName = m ? [verbatim(m.title), ` (${dayText(m.held_on)})`] : null;
  return h('li', { class: `card decision-card decision-card-${decision.state}`, dataset: { decision: String(decision.id) } },
    h('p', { class: 'meta' }, decisionBadge(decision.state), ' ',
      h('span', { class: 'decision-due' }, t('dec.due', { day: dayText(decision.due_on) }))),
    h('p', { class: 'decision-body verbatim', lang: 'vi' }, decision.body),
    h('dl', { class: 'facts decision-facts' },
      meeting && m ? fact(t('dec.meeting'), meeting === 'link'
        ? h('a', { href: `/meetings/${m.id}` }, meetingName) : meetingName) : null,
      fact(t('dec.division'), divisionName(decision, divisions)),
      fact(t('dec.responsible'), decision.responsible
        ? verbatim(decision.responsible_name || decision.responsible) : t('dec.responsible.division')),
      issues ? fact(t(onIssue ? 'dec.issues.also' : 'dec.issues'), issues) : null,
      done ? fact(t('dec.done_at'), [dateTime(decision.done_at),
        // Staff know each other (names given); a school reads that the Department did it.
        decision.done_by && names ? [' · ', verbatim(decision.done_by_name || decision.done_by)] : null]) : null),
    done && decision.done_note ? h('p', { class: 'event-note verbatim decision-note', lang: 'vi' }, decision.done_note) : null,
    tools);
}

function fact(label, value) {
  return [h('dt', null, label), h('dd', null, value)];
}
