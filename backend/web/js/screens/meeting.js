// meeting.js -- one meeting (docs/meetings.md): its day and kind, the printable agenda, the
// agenda's issues, and its decisions, each with what its `can` allows; officers and
// supervisors record new decisions in the form beside them.
import { h, fill, verbatim } from '../dom.js';
import { t, lang } from '../i18n.js';
import { byCode } from '../refdata.js';
import { dayText, meetingKind } from '../decision_bits.js';
import { decisionCard } from '../decision_card.js';
import { decisionTools } from '../decision_actions.js';
import { recordDecisionForm } from '../decision_form.js';
import { agendaSection } from '../meeting_agenda.js';
import { staffNames } from '../staff_names.js';
import { loadOne } from '../load_one.js';

export async function render(main, params, ctx) {
  const [meeting, divisions, names] = await Promise.all([load(params.id, main), byCode('divisions'), staffNames()]);
  if (!meeting) return;
  const refs = { divisions, names };
  // After any change: the server's new picture of the meeting, built before it replaces
  // the old one (the page keeps its scroll position).
  // The focus, lost with the button pressed, goes to the heading of the part that changed.
  const redraw = async (fresh, headingId = 'decisions-h') => {
    const latest = fresh?.agenda ? fresh : await load(params.id, main);
    if (!latest) return;
    fill(main, await content(latest, refs, ctx, redraw));
    const heading = document.getElementById(headingId);
    heading?.setAttribute('tabindex', '-1');
    heading?.focus({ preventScroll: true });
  };
  fill(main, await content(meeting, refs, ctx, redraw));
}

function load(id, main) {
  return loadOne(main, `/api/meetings/${encodeURIComponent(id)}`,
    { notFound: 'meet.notfound', back: '/meetings', backLabel: 'nav.meetings' });
}

// refs: divisions by code, staff's names by login.
async function content(meeting, { divisions, names }, ctx, redraw) {
  const canRecord = !!meeting.can?.change;
  const decisions = meeting.decisions || [];
  const printHref = `/api/meetings/${meeting.id}/agenda?lang=${lang()}`;
  const record = canRecord ? await recordDecisionForm(meeting, ctx, () => redraw(null)) : null;
  const cards = decisions.map((d) => decisionCard(d, {
    divisions, names, tools: decisionTools(d, meeting, ctx, () => redraw(null)) }));
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '/meetings' }, t('nav.meetings'))),
    h('div', { class: 'page-head meeting-head' },
      h('div', null,
        h('h1', null, verbatim(meeting.title)),
        h('p', { class: 'meta' }, h('strong', null, dayText(meeting.held_on)), ' · ', meetingKind(meeting),
          meeting.created_by ? [' · ', t('meet.made_by'), ' ', verbatim(names.get(meeting.created_by) || meeting.created_by)] : null)),
      h('a', { href: printHref, target: '_blank', rel: 'noopener', class: 'button print-agenda' },
        t('meet.print'), h('span', { class: 'visually-hidden' }, ` ${t('meet.new_tab')}`))),
    h('div', { class: canRecord ? 'meeting-layout with-form' : 'meeting-layout' },
      h('div', { class: 'meeting-main' },
        agendaSection(meeting, ctx, (fresh) => redraw(fresh, 'agenda-h')),
        h('section', { class: 'panel decisions-panel', 'aria-labelledby': 'decisions-h' },
          h('h2', { id: 'decisions-h' }, t('meet.decisions', { n: decisions.length })),
          cards.length ? h('ul', { class: 'cards decision-list' }, cards)
            : h('p', { class: 'hint' }, t(canRecord ? 'meet.decisions.none.record' : 'meet.decisions.none')))),
      record ? h('section', { class: 'panel record-panel', 'aria-labelledby': 'record-h' },
        h('h2', { id: 'record-h' }, t('dec.record.title')), record) : null),
  ];
}
