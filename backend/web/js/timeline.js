// timeline.js -- an issue's history as people read it: who did what, when, from which
// status to which, with the note; internal notes marked so no one mistakes them for public.
import { h, verbatim } from './dom.js';
import { t, tParts, timeEl, nameOf } from './i18n.js';
import { shortDay } from './decision_bits.js';
import { ratingBadge } from './rating.js';

export function timeline(events, refs) {
  return h('ol', { class: 'timeline' }, events.map((e) => eventItem(e, refs)));
}

function eventItem(event, refs) {
  const actor = event.actor
    ? [verbatim(event.actor.name), h('span', { class: 'hint' }, ` · ${t(`role.${event.actor.role}`)}`)]
    : h('span', null, t('event.system'));
  const classes = ['event', `event-${event.action}`];
  if (event.internal) classes.push('internal');
  return h('li', { class: classes.join(' ') },
    h('div', { class: 'event-head' },
      event.internal ? h('span', { class: 'badge internal-badge' }, t('event.internal')) : null,
      h('strong', null, t(eventLabel(event))), ' ',
      event.from_status && event.to_status && event.from_status !== event.to_status
        ? h('span', { class: 'hint' }, `${t(`status.${event.from_status}`)} → ${t(`status.${event.to_status}`)}`) : null),
    h('div', { class: 'event-by' }, actor, ' · ', timeEl(event.created_at)),
    detailsText(event, refs),
    // The sweep's own notes (no actor) are English sentences for the log; the label and the
    // details above already say the same in the reader's language.
    event.note && event.actor ? h('p', { class: 'event-note verbatim', lang: 'vi' }, event.note) : null);
}

// A link or unlink is written on both issues: on the main issue it names the other one
// ("an issue was linked in"), on the linked issue the main one.
function eventLabel(event) {
  const onMain = (event.action === 'link' || event.action === 'unlink') && event.details?.child;
  return onMain ? `event.${event.action}.main` : `event.${event.action}`;
}

// set_* events carry {field, from, to}; escalations {level, reason}; duplicates the
// survivor; a confirmation the school's rating; a co-signature its school; an unshare by
// the Department its reason; a link the other issue of the pair, and a resolve carried by
// a main issue that issue.
function detailsText(event, refs) {
  const d = event.details;
  if (!d) return null;
  const show = (field, code) => {
    if (code === null || code === undefined) return t('event.none');
    if (field === 'priority') return t(`priority.${code}`);
    if (field === 'category') return nameOf(refs.categories?.get(code)) || code;
    if (field === 'division') return nameOf(refs.divisions?.get(code)) || code;
    return code;
  };
  if (d.field) return h('p', { class: 'event-detail' }, `${show(d.field, d.from)} → ${show(d.field, d.to)}`);
  if (event.action.startsWith('decision')) return decisionDetail(event, show);
  if (event.action === 'escalate' || event.action === 'escalated') {
    return h('p', { class: 'event-detail' }, t('event.level', { level: d.level }),
      d.reason ? ` · ${t(`event.reason.${d.reason}`)}` : '');
  }
  if (d.duplicate_of) return h('p', { class: 'event-detail' }, t('event.duplicate_of'), ' ', h('a', { href: `/issues/${d.duplicate_of}` }, d.duplicate_of));
  if (event.action === 'attach' && d.name) return h('p', { class: 'event-detail' }, verbatim(d.name));
  if (event.action === 'confirm' && d.rating) return h('p', { class: 'event-detail event-rating' }, ratingBadge(d.rating));
  if (event.action === 'cosign' && d.school_name) return h('p', { class: 'event-detail' }, verbatim(d.school_name));
  if (event.action === 'unshare' && d.reason) return h('p', { class: 'event-detail' }, t(`event.reason.${d.reason}`));
  // A systemic problem: the main issue is readable by whoever reads a linked one; a linked
  // issue's reference is shown, not offered (it may be another school's, private).
  if (d.parent) {
    return h('p', { class: 'event-detail' }, t(event.action === 'resolve' ? 'event.resolve.parent' : 'event.link.parent'),
      ' ', h('a', { href: `/issues/${d.parent}` }, d.parent));
  }
  if (d.child) return h('p', { class: 'event-detail' }, t('event.link.child'), ' ', h('span', { class: 'ref' }, d.child));
  return null;
}

// A meeting's decision (docs/meetings.md): which meeting, its day, and for the decision
// itself when it is due and which division does it; the text is the event's note.
function decisionDetail(event, show) {
  const d = event.details;
  if (!d.meeting_title) return null;
  const title = verbatim(d.meeting_title);
  const day = shortDay(d.held_on);
  if (event.action !== 'decision') {
    // A decision marked done says whether that was by its due day.
    const when = event.action === 'decision_done' && typeof d.late === 'boolean'
      ? ` ${t(d.late ? 'dec.state.done_late' : 'dec.state.done_on_time')}.` : '';
    return h('p', { class: 'event-detail' }, tParts('event.decision.of', { title, day, due: shortDay(d.due_on) }), when);
  }
  return h('p', { class: 'event-detail' }, tParts('event.decision.detail', {
    title, day, due: shortDay(d.due_on), division: show('division', d.division) }));
}
