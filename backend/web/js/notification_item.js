// notification_item.js -- one notification in the list (docs/notifications.md): what
// happened as a sentence, the issue (or decision, or directive), what was written, who and when.
import { post } from './api.js';
import { h, verbatim } from './dom.js';
import { t, tParts, has, timeEl } from './i18n.js';
import { statusBadge } from './issue_bits.js';
import { dayText } from './decision_bits.js';
import { setUnread } from './notifications.js';

// What happened, in a sentence. A school that follows a problem (it co-signed it, or its own
// issue is linked under it) hears what the Department or the filing school did to it.
export function whatHappened(n) {
  if (n.reason === 'followed' && n.event && has(`notif.followed.${n.event.action}`)) {
    return t(`notif.followed.${n.event.action}`);
  }
  return t(`notif.reason.${n.reason}`);
}

// Who did it. The issue's school is said with the issue, not next to the person: a school
// that co-signs is another school than the one that filed, named by its event.
function who(n) {
  if (!n.event) return null;
  if (!n.event.actor) return [t('event.system'), ' · '];
  const joined = n.event.school;
  return [verbatim(n.event.actor.name),
    joined ? [' ', h('span', { class: 'notif-role' }, tParts('notif.cosigner', { school: verbatim(joined.name) }))] : null, ' · '];
}

// The issue's school, for those to whom it is news: staff, and a school reading about
// another school's issue (one it follows), never a principal's own.
function schoolOf(n, user) {
  if (!n.issue?.school_name) return null;
  if (user?.role === 'principal' && user.school === n.issue.school) return null;
  return h('p', { class: 'meta notif-school' }, tParts('notif.filed_by', { school: verbatim(n.issue.school_name) }));
}

// Any of issue, event, decision and directive may be null (a decision given or falling due
// names its decision and meeting; a directive or its reminder the directive).
export function notificationItem(n, user) {
  const decision = !n.issue && n.decision ? n.decision : null;
  const directive = !n.issue && n.directive ? n.directive : null;
  const href = n.issue ? `/issues/${n.issue.ref}` : decision ? `/meetings/${decision.meeting_id}`
    : directive ? `/directives/${directive.id}` : '/notifications';
  return h('li', { class: `card notif${n.read ? '' : ' unread'}`, dataset: { reason: n.reason } },
    n.read ? null : h('span', { class: 'notif-unread' }, h('span', { class: 'visually-hidden' }, t('notif.unread'))),
    h('a', {
      href,
      class: 'card-link',
      onclick: () => { if (!n.read) post(`/api/notifications/${n.id}/read`).then((r) => setUnread(r.unread), () => {}); },
    }, whatHappened(n)),
    n.issue ? h('p', { class: 'meta' }, h('span', { class: 'ref' }, n.issue.ref), ' ', statusBadge(n.issue.status), ' ',
      verbatim(n.issue.title)) : null,
    schoolOf(n, user),
    decision ? h('p', { class: 'meta' }, t('dec.due', { day: dayText(decision.due_on) })) : null,
    decision?.body ? h('p', { class: 'notif-excerpt' }, verbatim(decision.body)) : null,
    directive ? h('p', { class: 'notif-directive' }, verbatim(directive.title)) : null,
    n.event?.excerpt ? h('p', { class: 'notif-excerpt' }, verbatim(n.event.excerpt)) : null,
    h('p', { class: 'meta notif-by' }, who(n), timeEl(n.created_at)));
}
