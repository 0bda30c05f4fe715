// home.js -- the principal's home: what waits on the school (information requests,
// resolutions to confirm, and a line for the Department's directives not yet acknowledged)
// first, then the school's other issues grouped by status, each group newest first.
import { get } from '../api.js';
import { add, h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { byCode } from '../refdata.js';
import { issueCard, STATUSES } from '../issue_bits.js';
import { problemText } from '../errors.js';
import { hasDraft } from '../draft.js';
import { directiveNotice } from '../directive_notice.js';

const PAGE = 20;

export async function render(main, params, ctx) {
  const waitingList = h('ul', { class: 'cards' });
  const otherList = h('div', { class: 'status-groups' });
  const loaded = [];
  const more = h('div', { class: 'more' });
  const directives = directiveNotice();
  add(main, 
    h('div', { class: 'page-head' },
      h('h1', null, t('home.title')),
      h('a', { class: 'button primary', href: '/issues/new' }, t('nav.file'))),
    hasDraft() ? h('p', { class: 'notice' }, t('home.draft'), ' ', h('a', { href: '/issues/new' }, t('home.draft.open'))) : null,
    directives.element,
    h('section', { 'aria-labelledby': 'waiting-h' },
      h('h2', { id: 'waiting-h' }, t('home.waiting')), waitingList),
    h('section', { 'aria-labelledby': 'others-h' },
      h('h2', { id: 'others-h' }, t('home.others')), otherList, more));

  let categories;
  try {
    const [cats, awaiting, resolved, recent] = await Promise.all([
      byCode('categories'),
      get('/api/issues', { status: 'awaiting_school', limit: 50 }),
      get('/api/issues', { status: 'resolved', limit: 50 }),
      get('/api/issues', { limit: PAGE }),
      directives.ready,
    ]);
    categories = cats;
    const waiting = [...awaiting.items, ...resolved.items];
    fill(waitingList, waiting.length ? waiting.map((i) => waitingCard(i, categories))
      : h('li', { class: 'empty' }, t('home.waiting.none')));
    showOthers(recent);
  } catch (err) {
    fill(otherList, h('p', { class: 'error' }, problemText(err)));
  }

  function showOthers(page) {
    loaded.push(...page.items.filter((i) => i.status !== 'awaiting_school' && i.status !== 'resolved'));
    const groups = STATUSES.map((status) => [status, loaded.filter((i) => i.status === status)])
      .filter(([, items]) => items.length);
    fill(otherList, groups.length ? groups.map(([status, items]) => h('section', { 'aria-labelledby': `grp-${status}` },
      h('h3', { id: `grp-${status}` }, t(`status.${status}`), ' ', h('span', { class: 'hint' }, `(${items.length})`)),
      h('ul', { class: 'cards' }, items.map((i) => issueCard(i, categories)))))
      : h('p', { class: 'empty' }, page.next_cursor ? '' : t('home.none')));
    fill(more, page.next_cursor ? h('button', {
      type: 'button',
      onclick: async (event) => {
        event.target.disabled = true;
        try {
          showOthers(await get('/api/issues', { limit: PAGE, cursor: page.next_cursor }));
        } catch (err) {
          ctx.announce(problemText(err), 'error');
          event.target.disabled = false;
        }
      },
    }, t('list.more')) : null);
  }
}

// A waiting issue says what the school is asked to do.
function waitingCard(issue, categories) {
  const card = issueCard(issue, categories);
  card.classList.add('waiting');
  card.append(h('p', { class: 'todo' },
    t(issue.status === 'awaiting_school' ? 'home.todo.answer' : 'home.todo.confirm')));
  return card;
}
