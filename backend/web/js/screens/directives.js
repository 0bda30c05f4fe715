// directives.js -- the Department's directives (docs/ratings-and-directives.md), newest
// first. Officers and supervisors send one from here and follow how many schools
// acknowledged each; a cluster leader sees the same for the cluster's schools; a principal
// reads the school's, those not yet acknowledged standing out.
import * as api from '../api.js';
import { add, h, verbatim } from '../dom.js';
import { t } from '../i18n.js';
import { audienceText, sentBy, acknowledgedCount, ownAcknowledgement } from '../directive_bits.js';
import { directiveForm } from '../directive_form.js';
import { excerpt } from '../practice_bits.js';
import { showPages } from '../paged_list.js';

const PAGE = 20;
const SENDERS = ['officer', 'supervisor'];

export async function render(main, params, ctx) {
  const role = ctx.user.role;
  const principal = role === 'principal';
  const lead = principal ? 'dir.lead.school' : role === 'cluster_leader' ? 'dir.lead.cluster' : 'dir.lead.staff';
  const items = h('ul', { class: 'cards directive-list' });
  const more = h('div', { class: 'more' });
  const pending = h('p', { class: 'notice directive-pending', hidden: true, role: 'status' });
  add(main,
    h('h1', null, t('dir.title')),
    h('p', { class: 'lead' }, t(lead)),
    SENDERS.includes(role) ? h('details', { class: 'panel new-directive' },
      h('summary', null, t('dir.new')),
      await directiveForm(ctx, (directive) => ctx.navigate(`/directives/${directive.id}`))) : null,
    pending, items, more);

  await showPages({
    items, more, ctx,
    emptyText: t('dir.none'),
    fetchPage: (cursor) => api.get('/api/directives', { limit: PAGE, cursor }),
    card: (d) => card(d, principal),
    onPage: principal ? pendingCounter(pending) : null,
  });
}

// A principal's count of what waits for the school's "received", over what is shown.
function pendingCounter(pending) {
  let unacknowledged = 0;
  return (shown) => {
    unacknowledged += shown.filter((d) => !d.acknowledged_at).length;
    pending.textContent = t('dir.pending_count', { n: unacknowledged });
    pending.hidden = unacknowledged === 0;
  };
}

// A school reads whether it acknowledged; staff and cluster leaders how many schools did.
function card(directive, principal) {
  const waiting = principal && !directive.acknowledged_at;
  return h('li', { class: `card directive-card${waiting ? ' unacknowledged' : ''}` },
    principal ? h('p', { class: 'meta' }, ownAcknowledgement(directive)) : null,
    h('a', { href: `/directives/${directive.id}`, class: 'card-link' }, verbatim(directive.title, 'span')),
    h('p', { class: 'meta' }, h('span', null, sentBy(directive)), h('span', { 'aria-hidden': 'true' }, '·'),
      h('span', null, audienceText(directive))),
    h('p', { class: 'directive-excerpt verbatim', lang: 'vi' }, excerpt(directive.body, 160)),
    principal ? null : acknowledgedCount(directive));
}
