// ratings.js -- how schools rated the resolutions they confirmed (GET /api/ratings,
// docs/ratings-and-directives.md), newest first: the low ones (1 or 2) by default, which a
// supervisor looks into, or all of them; each with its issue, school, division and comment.
import * as api from '../api.js';
import { add, h, verbatim } from '../dom.js';
import { t, nameOf, timeEl } from '../i18n.js';
import { byCode } from '../refdata.js';
import { statusBadge } from '../issue_bits.js';
import { ratingBadge, LOW_RATING } from '../rating.js';
import { showPages } from '../paged_list.js';

const PAGE = 50;

export async function render(main, params, ctx) {
  const all = new URLSearchParams(location.search).get('all') === 'true';
  const items = h('ul', { class: 'cards rating-list' });
  const more = h('div', { class: 'more' });
  add(main,
    h('h1', null, t('rating.title')),
    h('p', { class: 'lead' }, t('rating.lead')),
    h('nav', { class: 'tabs', 'aria-label': t('rating.tabs') },
      h('a', { href: '/ratings', class: 'tab', 'aria-current': all ? null : 'page' }, t('rating.low')),
      h('a', { href: '/ratings?all=true', class: 'tab', 'aria-current': all ? 'page' : null }, t('rating.all'))),
    items, more);
  const divisions = await byCode('divisions');

  await showPages({
    items, more, ctx,
    emptyText: t(all ? 'rating.none' : 'rating.none.low'),
    fetchPage: (cursor) => api.get('/api/ratings', { low: all ? null : 'true', limit: PAGE, cursor }),
    card: (r) => card(r, divisions),
  });
}

function card(rating, divisions) {
  const division = divisions.get(rating.division);
  return h('li', { class: `card rating-card${rating.rating <= LOW_RATING ? ' low' : ''}` },
    h('p', { class: 'meta rating-head' }, ratingBadge(rating.rating), h('span', { class: 'ref' }, rating.ref),
      statusBadge(rating.status)),
    h('a', { href: `/issues/${rating.ref}`, class: 'card-link' }, verbatim(rating.title, 'span')),
    rating.comment ? h('p', { class: 'notif-excerpt rating-comment verbatim', lang: 'vi' }, rating.comment)
      : h('p', { class: 'hint' }, t('rating.no_comment')),
    h('p', { class: 'meta' }, verbatim(rating.school_name || rating.school), h('span', { 'aria-hidden': 'true' }, '·'),
      division ? nameOf(division) : rating.division, h('span', { 'aria-hidden': 'true' }, '·'), timeEl(rating.rated_at)));
}
