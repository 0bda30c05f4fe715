// cluster.js -- a cluster leader's view: the cluster's issues grouped by school, with a
// count per status for each; read-only apart from comments on the issue page.
import * as api from '../api.js';
import { add, h, fill, verbatim } from '../dom.js';
import { t } from '../i18n.js';
import { list, byCode } from '../refdata.js';
import { OPEN_STATUSES, statusBadge, issueCard } from '../issue_bits.js';
import { problemText } from '../errors.js';

export async function render(main, params, ctx) {
  const cluster = ctx.user.cluster;
  const body = h('div');
  add(main, h('h1', null, t('cluster.title')), h('p', { class: 'lead' }, t('cluster.lead')), body);
  try {
    const [schools, categories] = await Promise.all([list('schools'), byCode('categories')]);
    const ours = schools.filter((s) => s.cluster === cluster);
    // Every issue of the cluster, a page at a time (a cluster has some hundreds at most).
    const issues = [];
    let cursor = null;
    do {
      const data = await api.get('/api/issues', { limit: 200, cursor });
      issues.push(...data.items);
      cursor = data.next_cursor;
    } while (cursor && issues.length < 2000);
    const bySchool = new Map(ours.map((s) => [s.code, []]));
    for (const i of issues) (bySchool.get(i.school) || bySchool.set(i.school, []).get(i.school)).push(i);
    // Schools with the most open issues first: that is where help is needed.
    const openCount = (items) => items.filter((i) => OPEN_STATUSES.includes(i.status)).length;
    const schoolsInOrder = [...bySchool.entries()].sort((a, b) => openCount(b[1]) - openCount(a[1]) || a[0].localeCompare(b[0]));
    const totals = new Map();
    for (const i of issues) totals.set(i.status, (totals.get(i.status) || 0) + 1);
    fill(body,
      h('p', { class: 'meta cluster-totals' }, [...totals.entries()].map(([st, n]) => [statusBadge(st), ` ${n} `])),
      schoolsInOrder.map(([code, items]) => schoolSection(code, items, ours, categories)));
  } catch (err) {
    fill(body, h('p', { class: 'error' }, problemText(err)));
  }
}

function schoolSection(code, items, schools, categories) {
  const school = schools.find((s) => s.code === code);
  const open = items.filter((i) => OPEN_STATUSES.includes(i.status));
  const counts = new Map();
  for (const i of items) counts.set(i.status, (counts.get(i.status) || 0) + 1);
  const details = h('details', { class: 'school-block', open: open.length > 0 && open.length <= 5 },
    h('summary', null, verbatim(school ? school.name : code), ' ',
      h('span', { class: 'hint' }, t('cluster.counts', { open: open.length, all: items.length }))),
    h('p', { class: 'meta' }, [...counts.entries()].map(([s, n]) => [statusBadge(s), ` ${n} `])),
    h('ul', { class: 'cards' }, items.map((i) => issueCard(i, categories))));
  return details;
}
