// report.js -- the month's unresolved-issue report for the user's scope: month picker, key
// figures, bar charts, the decisions of the last meetings, the schools' ratings of the
// month's resolutions, the unresolved list a page at a time (officers and supervisors tick
// issues there to make a meeting's agenda), and the downloads (CSV of the list and of the
// summary, the printable page) that the meeting uses.
import * as api from '../api.js';
import { add, h, fill, field, verbatim } from '../dom.js';
import { t, nameOf, currentMonth, dateTime } from '../i18n.js';
import { byCode } from '../refdata.js';
import { statusBadge, priorityBadge } from '../issue_bits.js';
import { problemText } from '../errors.js';
import { decisionsSection } from '../report_decisions.js';
import { ratingsSection } from '../report_ratings.js';
import { agendaPicker } from '../report_agenda.js';
import { listFilter } from '../list_filter.js';

const PAGE = 25;

export async function render(main, params, ctx) {
  const month = /^\d{4}-\d{2}$/.test(new URLSearchParams(location.search).get('month') || '')
    ? new URLSearchParams(location.search).get('month') : currentMonth();
  const picker = h('input', { type: 'month', value: month, max: currentMonth(), required: true });
  const form = h('form', { class: 'row wrap month-form' },
    field(t('report.month'), picker, { name: 'month' }),
    h('button', { type: 'submit', class: 'primary' }, t('report.show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (/^\d{4}-\d{2}$/.test(picker.value)) ctx.navigate(`/report?month=${picker.value}`);
  });
  const base = `/api/reports/monthly?month=${month}`;
  const downloads = h('ul', { class: 'downloads' },
    h('li', null, h('a', { href: `${base}&format=csv&part=issues`, download: `bao-cao-${month}.csv` }, t('report.csv.issues'))),
    h('li', null, h('a', { href: `${base}&format=csv&part=summary`, download: `tong-hop-${month}.csv` }, t('report.csv.summary'))),
    h('li', null, h('a', { href: `${base}&format=html`, target: '_blank', rel: 'noopener' }, t('report.print'))));
  const body = h('div', { class: 'report', 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('app.loading')));
  add(main, h('h1', null, t('report.title')), form, downloads, body);

  try {
    const [report, categories, divisions] = await Promise.all([
      api.get('/api/reports/monthly', { month, format: 'json' }), byCode('categories'), byCode('divisions')]);
    fill(body, content(report, categories, divisions, ctx, month));
  } catch (err) {
    fill(body, h('p', { class: 'error' }, problemText(err)));
  }
}

function content(report, categories, divisions, ctx, month) {
  const staff = ['officer', 'supervisor', 'admin'].includes(ctx.user.role);
  // Officers and supervisors make meetings; an admin reads the report as it is.
  const picker = ['officer', 'supervisor'].includes(ctx.user.role) ? agendaPicker(report.issues, month, ctx) : null;
  const tot = report.totals;
  const figures = h('ul', { class: 'figures' },
    figure(t('report.unresolved'), tot.unresolved, 'main'),
    figure(t('report.overdue'), tot.overdue, tot.overdue ? 'bad' : ''),
    figure(t('report.escalated'), tot.escalated, ''),
    figure(t('report.filed'), tot.filed_in_month, ''),
    figure(t('report.resolved'), tot.resolved_in_month, 'good'));
  const rt = report.response_times?.overall;
  const hours = (v) => (v === null || v === undefined ? '—' : t('report.hours', { n: Math.round(v) }));
  return [
    h('p', { class: 'hint' }, t('report.asof', { when: dateTime(report.as_of) }), ' · ',
      t(`report.scope.${report.scope.kind}`), report.scope.code ? [' ', verbatim(report.scope.code)] : null),
    figures,
    report.change ? h('p', null, t('report.change', {
      carried: report.change.carried_over, fresh: report.change.newly_unresolved, gone: report.change.resolved_since })) : null,
    rt ? h('p', null, t('report.times', {
      first: hours(rt.first_response_hours?.median), resolution: hours(rt.resolution_hours?.median) })) : null,
    h('div', { class: 'charts' },
      barChart(t('report.by_cluster'), report.by_cluster.map((g) => [g.name || g.code, g.count, true])),
      barChart(t('report.by_age'), report.by_age.map((g) => [t(`age.${g.bucket}`), g.count])),
      barChart(t('report.by_category'), report.by_category.slice(0, 10).map((g) => [nameOf(categories.get(g.code)) || g.name, g.count])),
      barChart(t('report.by_division'), report.by_division.map((g) => [nameOf(divisions.get(g.code)) || g.name, g.count])),
      trendChart(report.trend)),
    decisionsSection(report.decisions, divisions, staff),
    ratingsSection(report.ratings, divisions, staff),
    issueList(report.issues, categories, picker),
  ];
}

function figure(label, value, kind) {
  return h('li', { class: `figure ${kind}` }, h('span', { class: 'figure-n' }, String(value ?? 0)), h('span', null, label));
}

// Horizontal bars: a list a screen reader reads as "label: count".
function barChart(title, rows) {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const id = `chart-${title.replace(/\W+/g, '-')}`;
  return h('figure', { class: 'chart' },
    h('figcaption', { id }, title),
    rows.length ? h('ul', { class: 'bars', 'aria-labelledby': id }, rows.map(([label, count, proper]) => {
      const bar = h('span', { class: 'bar' });
      bar.style.width = `${(count / max) * 100}%`;
      return h('li', null,
        h('span', { class: proper ? 'bar-label verbatim' : 'bar-label', lang: proper ? 'vi' : null }, label),
        h('span', { class: 'bar-track' }, bar), h('span', { class: 'bar-n' }, String(count)));
    })) : h('p', { class: 'hint' }, t('report.nodata')));
}

function trendChart(trend) {
  const max = Math.max(1, ...trend.map((m) => m.unresolved));
  return h('figure', { class: 'chart trend' },
    h('figcaption', { id: 'chart-trend' }, t('report.trend')),
    h('ol', { class: 'columns', 'aria-labelledby': 'chart-trend' }, trend.map((m) => {
      const bar = h('span', { class: 'column' });
      bar.style.height = `${(m.unresolved / max) * 100}%`;
      return h('li', { title: `${m.month}: ${m.unresolved}` },
        h('span', { class: 'column-n' }, String(m.unresolved)),
        h('span', { class: 'column-track' }, bar),
        // On a phone thirteen "MM/YY" do not fit side by side: the year is left to the title
        // and to screen readers there (app.css).
        h('span', { class: 'column-label' }, m.month.slice(5), h('span', { class: 'column-year' }, `/${m.month.slice(2, 4)}`)));
    })));
}

// picker: the agenda's boxes and bar, for those who make meetings (else null).
function issueList(issues, categories, picker) {
  const tbody = h('tbody');
  const pager = h('div', { class: 'row pager' });
  let shown = issues;
  // A long list is searched by reference, title or school (ticks stay as they are).
  const filter = issues.length > PAGE ? listFilter(issues,
    (i) => [i.ref, i.title, i.school, i.school_name, ...(i.schools || [])],
    (matching) => { shown = matching; show(0); }) : null;
  const section = h('section', { 'aria-labelledby': 'list-h' },
    h('h2', { id: 'list-h' }, t('report.list', { n: issues.length })),
    picker && issues.length ? h('p', { class: 'hint' }, t('agenda.hint'), ' ', picker.count) : null,
    filter,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') }, h('table', { class: 'queue report-list' },
      h('thead', null, h('tr', null,
        picker ? h('th', { scope: 'col', class: 'pick' }, h('span', { class: 'visually-hidden' }, t('agenda.col'))) : null,
        ['queue.col.ref', 'queue.col.title', 'queue.col.category', 'queue.col.priority',
          'queue.col.status', 'report.col.age'].map((k) => h('th', { scope: 'col' }, t(k))))),
      tbody)),
    picker?.bar,
    pager);
  function show(page) {
    const slice = shown.slice(page * PAGE, (page + 1) * PAGE);
    fill(tbody, slice.map((i) => h('tr', { class: i.overdue ? 'overdue' : null },
      picker ? h('td', { class: 'pick' }, picker.checkbox(i)) : null,
      h('td', null, h('a', { href: `/issues/${i.ref}` }, i.ref)),
      h('td', null, verbatim(i.title), h('div', { class: 'hint' }, verbatim(i.school_name),
        i.schools_affected > 1 ? [' ', h('span', { class: 'badge schools-badge' }, t('share.schools', { n: i.schools_affected }))] : null,
        // A systemic problem counts once: the schools it stands for, by code.
        i.schools ? h('div', { class: 'hint' }, t('report.schools', { codes: i.schools.join(', ') })) : null)),
      h('td', null, nameOf(categories.get(i.category)) || i.category),
      h('td', null, priorityBadge(i.priority)),
      h('td', null, statusBadge(i.status)),
      h('td', null, t('report.days', { n: i.age_days })))));
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    fill(pager,
      h('button', { type: 'button', disabled: page === 0, onclick: () => show(page - 1) }, t('list.prev')),
      h('span', { 'aria-live': 'polite' }, t('list.page', { page: page + 1, pages })),
      h('button', { type: 'button', disabled: page + 1 >= pages, onclick: () => show(page + 1) }, t('list.next')));
  }
  show(0);
  return section;
}
