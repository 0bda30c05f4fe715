// practices.js -- the practice library (docs/practices.md): a search without accents
// needed, filters by category and cluster kept in the address, the published practices a
// page at a time. Principals propose their school's own and follow their proposals; the
// Department's reviewers get the proposals waiting for them.
import * as api from '../api.js';
import { add, h, fill, field, options } from '../dom.js';
import { t, nameOf } from '../i18n.js';
import { list, byCode } from '../refdata.js';
import { practiceCard } from '../practice_bits.js';
import { proposeForm } from '../practice_propose.js';
import { problemText } from '../errors.js';
import { showPages } from '../paged_list.js';

const PAGE = 20;
const REVIEWERS = ['officer', 'supervisor'];

export async function render(main, params, ctx) {
  const search = new URLSearchParams(location.search);
  const principal = ctx.user.role === 'principal';
  const reviewer = REVIEWERS.includes(ctx.user.role);
  const tab = (principal || reviewer) && search.get('tab') === 'proposals' ? 'proposals' : 'library';
  const categories = await byCode('categories');
  add(main,
    h('h1', null, t('practice.title')),
    h('p', { class: 'lead' }, t('practice.lead')),
    principal ? h('details', { class: 'panel new-practice' },
      h('summary', null, t('practice.propose')),
      await proposeForm(ctx, () => ctx.navigate('/practices?tab=proposals'))) : null,
    principal || reviewer ? h('nav', { class: 'tabs', 'aria-label': t('practice.tabs') },
      tabLink('/practices', 'practice.tab.library', tab === 'library'),
      tabLink('/practices?tab=proposals', principal ? 'practice.tab.own' : 'practice.tab.waiting', tab === 'proposals')) : null);
  if (tab === 'library') return library(main, search, categories, ctx);
  return principal ? ownProposals(main, categories, ctx) : waiting(main, categories, ctx);
}

function tabLink(href, key, current) {
  return h('a', { href, class: 'tab', 'aria-current': current ? 'page' : null }, t(key));
}

// The published practices, searched and filtered as the address says.
async function library(main, search, categories, ctx) {
  const [categoryList, clusters] = await Promise.all([list('categories'), list('clusters')]);
  const any = [['', t('filter.any')]];
  const q = h('input', { type: 'search', value: search.get('q') || '', autocomplete: 'off' });
  const category = h('select', null, options([...any, ...categoryList.map((c) => [c.code, nameOf(c)])], search.get('category') || ''));
  const cluster = h('select', { class: 'verbatim' },
    options([...any, ...clusters.map((c) => [c.code, `${c.code} · ${c.name}`])], search.get('cluster') || ''));
  const form = h('form', { class: 'filters practice-filters', role: 'search', 'aria-label': t('practice.search') },
    field(t('practice.search'), q, { name: 'q', hint: t('practice.search.hint') }),
    h('div', { class: 'filter-grid' },
      field(t('practice.category'), category, { name: 'category' }),
      field(t('practice.cluster'), cluster, { name: 'cluster' })),
    h('div', { class: 'row wrap' },
      h('button', { type: 'submit', class: 'primary' }, t('practice.find')),
      h('a', { href: '/practices', class: 'button' }, t('practice.clear'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(`/practices${api.query({ q: q.value.trim(), category: category.value, cluster: cluster.value })}`);
  });
  const filters = { q: search.get('q'), category: search.get('category'), cluster: search.get('cluster') };
  const filtered = Object.values(filters).some(Boolean);
  const items = h('ul', { class: 'cards practice-list' });
  const more = h('div', { class: 'more' });
  add(main, form, h('section', { 'aria-label': t('practice.tab.library'), class: 'practice-results' }, items, more));
  await pages(items, more, { ...filters }, categories, ctx, t(filtered ? 'practice.none' : 'practice.empty'));
}

// The proposals waiting for a reviewer, newest first as the server lists them.
async function waiting(main, categories, ctx) {
  const items = h('ul', { class: 'cards practice-list' });
  const more = h('div', { class: 'more' });
  add(main, h('section', { 'aria-label': t('practice.tab.waiting') },
    h('p', { class: 'hint' }, t('practice.waiting.lead')), items, more));
  await pages(items, more, { status: 'proposed' }, categories, ctx, t('practice.waiting.none'));
}

// A principal's own proposals, each with its status: those waiting, declined or withdrawn
// (the server lists only the school's own), and the school's that were published.
async function ownProposals(main, categories, ctx) {
  const items = h('ul', { class: 'cards practice-list' });
  add(main, h('section', { 'aria-label': t('practice.tab.own') },
    h('p', { class: 'hint' }, t('practice.own.lead')), items));
  try {
    const lists = await Promise.all(['proposed', 'declined', 'withdrawn', 'published']
      .map((status) => api.get('/api/practices', { status, limit: 100 })));
    const own = lists.flatMap((l) => l.items)
      .filter((p) => p.origin === 'school' && p.school === ctx.user.school)
      .sort((a, b) => b.id - a.id);
    fill(items, own.length ? own.map((p) => practiceCard(p, categories)) : h('li', { class: 'empty' }, t('practice.own.none')));
  } catch (err) {
    fill(items, h('li', { class: 'error' }, problemText(err)));
  }
}

// The practices the filters select, a page at a time.
function pages(items, more, filters, categories, ctx, emptyText) {
  return showPages({
    items, more, ctx, emptyText,
    fetchPage: (cursor) => api.get('/api/practices', { ...filters, limit: PAGE, cursor }),
    card: (p) => practiceCard(p, categories),
  });
}
