// notifications.js -- what one was told (docs/notifications.md): unread first, newest first,
// each saying why it came, about which issue (or which meeting's decision, or which of the
// Department's directives), who did it and when; opening one marks it read and goes to the
// issue (the meeting, the directive). "Mark all read" marks only what the page has shown.
import { get, post, put } from '../api.js';
import { add, h, fill, verbatim } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../errors.js';
import { setUnread } from '../notifications.js';
import { notificationItem } from '../notification_item.js';

const PAGE = 30;

export async function render(main, params, ctx) {
  const list = h('ul', { class: 'cards notif-list' });
  const more = h('div', { class: 'more' });
  const markAll = h('button', { type: 'button', disabled: true }, t('notif.mark_all'));
  let newest = 0;
  const emailBox = h('div', { class: 'notif-email' });
  add(main, h('h1', null, t('notif.title')),
    h('div', { class: 'notif-tools' }, markAll), emailBox, list, more);
  get('/api/me/notification-settings').then((s) => fill(emailBox, emailChoice(s, ctx)), () => {});

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
    add(list, page.items.map((n) => notificationItem(n, ctx.user)));
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

// How emails come: one each, or the day's digest at 16:30 (none without an address).
function emailChoice(settings, ctx) {
  if (!settings.email) return h('p', { class: 'meta' }, t('notif.email.none'));
  const box = h('input', { type: 'checkbox', id: 'email-digest', checked: settings.email_digest });
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      const now = await put('/api/me/notification-settings', { email_digest: box.checked });
      box.checked = now.email_digest;
      ctx.announce(t(now.email_digest ? 'notif.email.digest_on' : 'notif.email.digest_off'));
    } catch (err) {
      box.checked = !box.checked;
      ctx.announce(problemText(err), 'error');
    }
    box.disabled = false;
  });
  return [h('p', { class: 'meta' }, t('notif.email.to'), ' ', verbatim(settings.email)),
    h('div', { class: 'check' }, box, h('label', { for: 'email-digest' }, t('notif.email.digest')))];
}

function markShownRead(li) {
  li.classList.remove('unread');
  li.querySelector('.notif-unread')?.remove();
}
