// queue.js -- the officers' queue: filters kept in the address (so a reload or a shared
// link shows the same list), counts per status, accent-insensitive search, keyset paging,
// each row's SLA countdown with overdue rows highlighted, and the meetings' open decisions
// (a strip above the list, a badge on the issues they name).
import * as api from '../api.js';
import { add, h, fill, field, options, verbatim } from '../dom.js';
import { t, nameOf, timeEl } from '../i18n.js';
import { list } from '../refdata.js';
import { STATUSES, PRIORITIES, statusBadge, priorityBadge, slaBadge, problemBadges } from '../issue_bits.js';
import { problemText } from '../errors.js';
import { decisionStrip, decisionMark } from '../decision_strip.js';

const PAGE = 50;
const FILTERS = ['q', 'status', 'division', 'cluster', 'school', 'category', 'priority', 'overdue', 'escalated', 'assignee'];

export async function render(main, params, ctx) {
  const state = readState(ctx.user);
  const [categories, divisions, clusters, schools] = await Promise.all(
    ['categories', 'divisions', 'clusters', 'schools'].map((k) => list(k)));
  const categoryByCode = new Map(categories.map((c) => [c.code, c]));

  const any = [['', t('filter.any')]];
  const controls = {
    q: h('input', { type: 'search', value: state.q || '', autocomplete: 'off' }),
    status: h('select', null, options([...any, ...STATUSES.map((s) => [s, t(`status.${s}`)])], state.status || '')),
    division: h('select', null, options([...any, ...divisions.map((d) => [d.code, nameOf(d)])], state.division || '')),
    cluster: h('select', null, options([...any, ...clusters.map((c) => [c.code, `${c.code} · ${c.name}`])], state.cluster || '')),
    school: h('select', null, options([...any, ...schools.map((s) => [s.code, `${s.code} · ${s.name}`])], state.school || '')),
    category: h('select', null, options([...any, ...categories.map((c) => [c.code, nameOf(c)])], state.category || '')),
    priority: h('select', null, options([...any, ...PRIORITIES.map((p) => [p, t(`priority.${p}`)])], state.priority || '')),
    overdue: h('input', { type: 'checkbox', checked: state.overdue === 'true' }),
    escalated: h('input', { type: 'checkbox', checked: state.escalated === 'true' }),
    assignee: h('input', { type: 'checkbox', checked: state.assignee === 'me' }),
  };
  for (const name of ['cluster', 'school']) controls[name].classList.add('verbatim');
  const check = (name, label) => h('div', { class: 'check' }, controls[name], h('label', { for: controls[name].id = `flt-${name}` }, label));

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('queue.filters') },
    field(t('queue.search'), controls.q, { name: 'q', hint: t('queue.search.hint') }),
    h('div', { class: 'filter-grid' },
      field(t('queue.status'), controls.status, { name: 'status' }),
      field(t('queue.division'), controls.division, { name: 'division' }),
      field(t('queue.cluster'), controls.cluster, { name: 'cluster' }),
      field(t('queue.school'), controls.school, { name: 'school' }),
      field(t('queue.category'), controls.category, { name: 'category' }),
      field(t('queue.priority'), controls.priority, { name: 'priority' })),
    h('div', { class: 'row wrap' },
      check('overdue', t('queue.overdue')), check('escalated', t('queue.escalated')),
      check('assignee', t('queue.mine')),
      h('button', { type: 'submit', class: 'primary' }, t('queue.apply')),
      h('a', { href: '/queue', class: 'button' }, t('queue.clear'))));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    for (const name of ['q', 'status', 'division', 'cluster', 'school', 'category', 'priority']) {
      if (controls[name].value.trim()) next[name] = controls[name].value.trim();
    }
    if (controls.overdue.checked) next.overdue = 'true';
    if (controls.escalated.checked) next.escalated = 'true';
    if (controls.assignee.checked) next.assignee = 'me';
    if (!next.division) next.division = '';   // "all divisions" chosen: keep it so, not the default
    ctx.navigate(`/queue${api.query(next) || '?division='}`);
  });

  const countsEl = h('nav', { class: 'counts', 'aria-label': t('queue.counts') });
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });
  const strip = decisionStrip(ctx.user);
  add(main, 
    h('h1', null, t('queue.title')),
    form, countsEl, strip.element, summary,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue' },
      h('caption', { class: 'visually-hidden' }, t('queue.title')),
      h('thead', null, h('tr', null,
        ['queue.col.ref', 'queue.col.title', 'queue.col.category', 'queue.col.priority', 'queue.col.status',
          'queue.col.sla', 'queue.col.updated'].map((k) => h('th', { scope: 'col' }, t(k))))),
      tbody)),
    more);

  const filters = Object.fromEntries(Object.entries(state).filter(([, v]) => v));
  loadCounts(countsEl, filters, state);
  let shown = 0;
  async function page(cursor) {
    try {
      const [data, decided] = await Promise.all([api.get('/api/issues', { ...filters, limit: PAGE, cursor }), strip.refs]);
      if (!cursor) fill(tbody);
      tbody.append(...data.items.map((i) => row(i, categoryByCode, decided)));
      shown += data.items.length;
      summary.textContent = t('queue.shown', { n: shown });
      if (!shown) tbody.append(h('tr', null, h('td', { colspan: '7', class: 'empty' }, t('queue.none'))));
      fill(more, data.next_cursor ? h('button', { type: 'button', onclick: (event) => { event.currentTarget.disabled = true; page(data.next_cursor); } }, t('list.more')) : null);
    } catch (err) {
      summary.textContent = problemText(err);
    }
  }
  await page(null);
}

// The address holds the filters; an officer with none chosen sees the own division.
function readState(user) {
  const search = new URLSearchParams(location.search);
  const state = {};
  for (const name of FILTERS) state[name] = search.get(name) || '';
  if (!search.has('division') && user.role === 'officer' && user.division) state.division = user.division;
  return state;
}

async function loadCounts(el, filters, state) {
  const { status, ...rest } = filters;
  try {
    const data = await api.get('/api/issues/counts', rest);
    const link = (code, label, n) => {
      const q = { ...rest, division: rest.division || '' };
      if (code) q.status = code;
      return h('a', { href: `/queue${api.query(q) || '?division='}`, class: 'count', 'aria-current': (state.status || '') === code ? 'true' : null },
        label, ' ', h('span', { class: 'count-n' }, String(n)));
    };
    fill(el, link('', t('filter.any'), data.total),
      STATUSES.map((s) => link(s, t(`status.${s}`), data.counts?.[s] ?? 0)));
  } catch {
    el.hidden = true;   // counts are a help, not a need: without them the list still works
  }
}

// decided: the references an open decision of a meeting names.
function row(issue, categories, decided) {
  return h('tr', { class: issue.overdue ? 'overdue' : null },
    h('td', null, h('a', { href: `/issues/${issue.ref}` }, issue.ref)),
    h('td', null, h('a', { href: `/issues/${issue.ref}`, class: 'row-title' }, verbatim(issue.title)),
      h('div', { class: 'hint' }, verbatim(issue.school_name || issue.school), problemBadges(issue),
        decided.has(issue.ref) ? [' ', decisionMark()] : null)),
    h('td', null, nameOf(categories.get(issue.category)) || issue.category),
    h('td', null, priorityBadge(issue.priority)),
    h('td', null, statusBadge(issue.status),
      issue.escalation_level > 0 ? [' ', h('span', { class: 'badge escalated' }, t('issue.escalated', { level: issue.escalation_level }))] : null),
    h('td', null, slaBadge(issue)),
    h('td', null, timeEl(issue.updated_at)));
}

