// notifications.js -- what one was told (docs/notifications.md): unread first, newest first,
// each saying why it came, about which issue, who did it and when; opening one marks it
// read and goes to the issue. "Mark all read" marks only what the page has shown.
import { get, post } from '../api.js';
import { add, h, fill, verbatim } from '../dom.js';
import { t, timeEl } from '../i18n.js';
import { statusBadge } from '../issue_bits.js';
import { problemText } from '../errors.js';
import { setUnread } from '../notifications.js';

const PAGE = 30;

export async function render(main, params, ctx) {
  const list = h('ul', { class: 'cards notif-list' });
  const more = h('div', { class: 'more' });
  const markAll = h('button', { type: 'button', disabled: true }, t('notif.mark_all'));
  let newest = 0;
  add(main, h('h1', null, t('notif.title')),
    h('div', { class: 'notif-tools' }, markAll), list, more);

  markAll.addEventListener('click', async () => {
    markAll.disabled = true;
    try {
      const r = await post('/api/notifications/read-all', { up_to: newest });
      setUnread(r.unread);
      list.querySelectorAll('.notif.unread').forEach(markShownRead);
      ctx.announce(t('notif.marked', { n: r.marked }));
    } catch (err) {
      ctx.announce(problemText(err), 'error');
      markAll.disabled = false;
    }
  });

  try {
    showPage(await get('/api/notifications', { limit: PAGE }), true);
  } catch (err) {
    fill(list, h('li', { class: 'error' }, problemText(err)));
  }

  function showPage(page, first) {
    setUnread(page.unread);
    if (first) {
      newest = page.items.reduce((m, n) => Math.max(m, n.id), 0);
      markAll.disabled = page.unread === 0;
      if (!page.items.length) fill(list, h('li', { class: 'empty' }, t('notif.none')));
    }
    add(list, page.items.map(item));
    fill(more, page.next_cursor ? h('button', {
      type: 'button',
      onclick: async (event) => {
        event.target.disabled = true;
        try {
          showPage(await get('/api/notifications', { limit: PAGE, cursor: page.next_cursor }), false);
        } catch (err) {
          ctx.announce(problemText(err), 'error');
          event.target.disabled = false;
        }
      },
    }, t('list.more')) : null);
  }
}

function markShownRead(li) {
  li.classList.remove('unread');
  li.querySelector('.notif-unread')?.remove();
}

// One notification: why it came (with what happened, for a problem one follows), the
// issue, what was written, who and when.
function item(n) {
  const what = n.reason === 'followed' ? `${t(`notif.reason.${n.reason}`)} · ${t(`event.${n.event.action}`)}`
    : t(`notif.reason.${n.reason}`);
  const li = h('li', { class: `card notif${n.read ? '' : ' unread'}` },
    n.read ? null : h('span', { class: 'notif-unread' }, h('span', { class: 'visually-hidden' }, t('notif.unread'))),
    h('a', {
      href: `/issues/${n.issue.ref}`,
      class: 'card-link',
      onclick: () => { if (!n.read) post(`/api/notifications/${n.id}/read`).then((r) => setUnread(r.unread), () => {}); },
    }, what),
    h('p', { class: 'meta' }, h('span', { class: 'ref' }, n.issue.ref), ' ', statusBadge(n.issue.status), ' ',
      verbatim(n.issue.title)),
    n.event.excerpt ? h('p', { class: 'notif-excerpt' }, verbatim(n.event.excerpt)) : null,
    h('p', { class: 'meta' },
      n.event.actor ? verbatim(n.event.actor.name) : t('event.system'), ' · ', verbatim(n.issue.school_name),
      ' · ', timeEl(n.created_at)));
  return li;
}
