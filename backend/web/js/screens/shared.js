// shared.js -- the problems schools share (docs/dialogue.md): first those the principal's
// school joined ("our school has this too"), then every problem shared now, newest first,
// a page at a time. Cluster leaders see the shared ones.
import { get } from '../api.js';
import { add, h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { byCode } from '../refdata.js';
import { issueCard } from '../issue_bits.js';
import { problemText } from '../errors.js';
import { showPages } from '../paged_list.js';

const PAGE = 20;

export async function render(main, params, ctx) {
  const principal = ctx.user.role === 'principal';
  const following = h('ul', { class: 'cards' });
  const shared = h('ul', { class: 'cards' });
  const more = h('div', { class: 'more' });
  add(main,
    h('h1', null, t('shared.title')),
    h('p', { class: 'lead' }, t('shared.lead')),
    principal ? h('section', { 'aria-labelledby': 'following-h' },
      h('h2', { id: 'following-h' }, t('shared.following')), following) : null,
    h('section', { 'aria-labelledby': 'shared-h' },
      h('h2', { id: 'shared-h' }, t('shared.all')), shared, more));
  // The first page is asked for at once, beside the rest, not after it (slow mobile data).
  const firstPage = get('/api/issues', { shared: 'true', limit: PAGE });
  firstPage.catch(() => {});   // its failure is shown by showPages
  let categories;
  try {
    let joined;
    [categories, joined] = await Promise.all([byCode('categories'),
      principal ? get('/api/issues', { cosigned: 'true', limit: 50 }) : null]);
    if (joined) {
      fill(following, joined.items.length ? joined.items.map((i) => issueCard(i, categories, { withSchool: true }))
        : h('li', { class: 'empty' }, t('shared.following.none')));
    }
  } catch (err) {
    fill(shared, h('li', { class: 'error' }, problemText(err)));
    return;
  }
  await showPages({
    items: shared, more, ctx,
    fetchPage: (cursor) => (cursor ? get('/api/issues', { shared: 'true', limit: PAGE, cursor }) : firstPage),
    card: (i) => issueCard(i, categories, { withSchool: true }),
    emptyText: t('shared.none'),
  });
}
