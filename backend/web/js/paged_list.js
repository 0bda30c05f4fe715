// paged_list.js -- a list shown a page at a time: the first page, then "show more" with the
// server's cursor; an empty or failed first page says so inside the list.
import { add, h, fill } from './dom.js';
import { t } from './i18n.js';
import { problemText } from './errors.js';

// items: the <ul>; more: where the button goes; fetchPage(cursor) -> {items, next_cursor};
// card(item) -> its <li>; onPage(shownItems), if given, runs after each page is added.
export async function showPages({ items, more, fetchPage, card, emptyText, onPage, ctx }) {
  async function page(cursor) {
    const data = await fetchPage(cursor);
    if (!cursor && !data.items.length) fill(items, h('li', { class: 'empty' }, emptyText));
    add(items, data.items.map((item) => card(item)));
    onPage?.(data.items);
    fill(more, data.next_cursor ? moreButton(() => page(data.next_cursor), ctx) : null);
  }
  try {
    await page(null);
  } catch (err) {
    fill(items, h('li', { class: 'error' }, problemText(err)));
  }
}

// Held while the next page loads; freed again, with the reason announced, if it fails.
function moreButton(loadNext, ctx) {
  return h('button', {
    type: 'button',
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        await loadNext();
      } catch (err) {
        ctx.announce(problemText(err), 'error');
        button.disabled = false;
      }
    },
  }, t('list.more'));
}
