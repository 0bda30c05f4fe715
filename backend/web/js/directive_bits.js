// directive_bits.js -- the small pieces every view of the Department's directives shows
// (docs/ratings-and-directives.md): whom it went to, who sent it when, how many schools
// acknowledged it (a bar and its words), and a school's own acknowledgement.
import { h, verbatim } from './dom.js';
import { t, tParts, dateOnly, dateTime } from './i18n.js';

export function audienceText(directive) {
  if (directive.audience !== 'clusters') return t('dir.audience.all');
  return t('dir.audience.clusters', { codes: (directive.clusters || []).join(', ') });
}

export function sentBy(directive) {
  return tParts('dir.sent_by', { name: verbatim(directive.sent_by_name || directive.sent_by), day: dateOnly(directive.sent_at) });
}

// "đã xác nhận 3/12 trường" with a bar that says the same to the eye.
export function acknowledgedCount(directive) {
  const schools = directive.schools ?? 0;
  const acked = directive.acknowledged ?? 0;
  const bar = h('span', { class: 'ack-bar' });
  bar.style.width = `${schools ? Math.round((acked / schools) * 100) : 0}%`;
  return h('span', { class: `ack-count${schools && acked === schools ? ' all' : ''}` },
    h('span', { class: 'ack-track', 'aria-hidden': 'true' }, bar),
    h('span', { class: 'ack-text' }, t('dir.acked_count', { acked, schools })));
}

// The reader's school: received (and when), or not yet -- the latter stands out.
export function ownAcknowledgement(directive) {
  return directive.acknowledged_at
    ? h('span', { class: 'badge ack-done', title: dateTime(directive.acknowledged_at) }, t('dir.acked'))
    : h('span', { class: 'badge ack-pending' }, t('dir.unacked'));
}
