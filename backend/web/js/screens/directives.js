// directives.js -- the Department's directives (docs/ratings-and-directives.md), newest
// first. Officers and supervisors send one from here and follow how many schools
// acknowledged each; a cluster leader sees the same for the cluster's schools; a principal
// reads the school's, those not yet acknowledged standing out.
import * as api from '../api.js';
import { add, h, fill, verbatim } from '../dom.js';
import { t } from '../i18n.js';
import { audienceText, sentBy, acknowledgedCount, ownAcknowledgement } from '../directive_bits.js';
import { directiveForm } from '../directive_form.js';
import { excerpt } from '../practice_bits.js';
import { problemText } from '../errors.js';

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

  let unacknowledged = 0;
  async function page(cursor) {
    const data = await api.get('/api/directives', { limit: PAGE, cursor });
    if (!cursor && !data.items.length) fill(items, h('li', { class: 'empty' }, t('dir.none')));
    add(items, data.items.map((d) => card(d, principal)));
    // A principal's count of what waits for the school's "received", over what is shown.
    if (principal) {
      unacknowledged += data.items.filter((d) => !d.acknowledged_at).length;
      pending.textContent = t('dir.pending_count', { n: unacknowledged });
      pending.hidden = unacknowledged === 0;
    }
    fill(more, data.next_cursor ? h('button', {
      type: 'button',
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          await page(data.next_cursor);
        } catch (err) {
          ctx.announce(problemText(err), 'error');
          button.disabled = false;
        }
      },
    }, t('list.more')) : null);
  }
  try {
    await page(null);
  } catch (err) {
    fill(items, h('li', { class: 'error' }, problemText(err)));
  }
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
