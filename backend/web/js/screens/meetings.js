// meetings.js -- the Department's meetings (docs/meetings.md), latest day first: each with
// its kind, agenda and how its decisions stand; officers and supervisors also get the form
// that makes a new one (an agenda is usually made from the monthly report instead).
import * as api from '../api.js';
import { add, h, fill, verbatim } from '../dom.js';
import { t } from '../i18n.js';
import { dayText, meetingKind } from '../decision_bits.js';
import { meetingForm } from '../meeting_form.js';
import { problemText } from '../errors.js';

const MAKERS = ['officer', 'supervisor'];

export async function render(main, params, ctx) {
  const tbody = h('tbody');
  const canMake = MAKERS.includes(ctx.user.role);
  add(main,
    h('h1', null, t('meet.title')),
    h('p', { class: 'lead' }, t('meet.lead')),
    canMake ? h('details', { class: 'panel new-meeting' },
      h('summary', null, t('meet.new')),
      await meetingForm(ctx, { onMade: (meeting) => ctx.navigate(`/meetings/${meeting.id}`) })) : null,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') },
      h('table', { class: 'queue meetings stack-on-phone' },
        h('caption', { class: 'visually-hidden' }, t('meet.title')),
        h('thead', null, h('tr', null, ['meet.col.day', 'meet.col.meeting', 'meet.col.agenda', 'meet.col.decisions']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        tbody)));
  try {
    const data = await api.get('/api/meetings', { limit: 200 });
    fill(tbody, data.items.length ? data.items.map(row)
      : h('tr', null, h('td', { colspan: '4', class: 'empty' }, t('meet.none'))));
  } catch (err) {
    fill(tbody, h('tr', null, h('td', { colspan: '4', class: 'error' }, problemText(err))));
  }
}

function row(meeting) {
  const counts = meeting.decisions || {};
  return h('tr', null,
    h('td', null, dayText(meeting.held_on)),
    h('td', null, h('a', { href: `/meetings/${meeting.id}`, class: 'row-title' }, verbatim(meeting.title)),
      h('div', { class: 'hint' }, meetingKind(meeting))),
    h('td', null, t('meet.issues', { n: meeting.agenda_count ?? 0 })),
    h('td', null, decisionCounts(counts)));
}

// How the meeting's decisions stand: open (of which overdue, counted in open too) and done.
function decisionCounts(counts) {
  const open = counts.open ?? 0;
  const done = counts.done ?? 0;
  if (!open && !done) return h('span', { class: 'hint' }, t('meet.no_decisions'));
  return h('span', { class: 'decision-counts' },
    open ? h('span', { class: 'badge decision-open' }, t('meet.count.open', { n: open })) : null,
    counts.overdue ? h('span', { class: 'badge decision-overdue' }, t('meet.count.overdue', { n: counts.overdue })) : null,
    done ? h('span', { class: 'badge decision-done_on_time' }, t('meet.count.done', { n: done })) : null);
}
