// report_ratings.js -- the monthly report's "Schools' ratings" (docs/ratings-and-
// directives.md): how many resolutions the schools rated in the month, the average and how
// many were low, overall and by the division the issue was in when it was confirmed.
import { h } from './dom.js';
import { t, nameOf } from './i18n.js';

// staff: the low ratings are theirs to open.
export function ratingsSection(ratings, divisions, staff) {
  if (!ratings) return null;   // a server without ratings
  const average = (v) => (v === null || v === undefined ? '—' : Number(v).toFixed(1));
  const rows = ratings.by_division || [];
  return h('section', { class: 'report-ratings', 'aria-labelledby': 'ratings-h' },
    h('h2', { id: 'ratings-h' }, t('report.ratings')),
    h('ul', { class: 'figures rating-figures' },
      h('li', { class: 'figure rating-count' }, h('span', { class: 'figure-n' }, String(ratings.count ?? 0)), h('span', null, t('report.ratings.count'))),
      h('li', { class: 'figure' }, h('span', { class: 'figure-n' }, average(ratings.average)), h('span', null, t('report.ratings.average'))),
      h('li', { class: `figure ${ratings.low ? 'bad' : ''}` }, h('span', { class: 'figure-n' }, String(ratings.low ?? 0)),
        h('span', null, t('report.ratings.low')))),
    staff && ratings.low ? h('p', null, h('a', { href: '/ratings' }, t('report.ratings.open'))) : null,
    rows.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') },
      h('table', { class: 'report-rating-list' },
        h('caption', { class: 'visually-hidden' }, t('report.ratings')),
        h('thead', null, h('tr', null, ['report.ratings.col.division', 'report.ratings.col.count', 'report.ratings.col.average',
          'report.ratings.col.low'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, rows.map((d) => h('tr', { class: d.low ? 'has-low' : null },
          h('td', null, nameOf(divisions.get(d.code)) || d.name || d.code),
          h('td', { class: 'num' }, String(d.count ?? 0)),
          h('td', { class: 'num' }, average(d.average)),
          h('td', { class: 'num' }, String(d.low ?? 0)))))))
      : h('p', { class: 'hint' }, t('report.ratings.none')));
}
