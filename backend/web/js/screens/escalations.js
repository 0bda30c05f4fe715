// escalations.js -- the supervisors' board: open escalated issues at level 1 (division
// heads) and level 2 (Department leadership), oldest breach first, each reassignable to
// another division or officer in place.
import * as api from '../api.js';
import { add, h, fill, options, verbatim } from '../dom.js';
import { t, nameOf, timeEl } from '../i18n.js';
import { list } from '../refdata.js';
import { statusBadge, priorityBadge, slaBadge } from '../issue_bits.js';
import { problemText } from '../errors.js';

// Whom an issue of a division may go to: asked once per division for the whole board.
function officerLists() {
  const lists = new Map();
  return (division) => {
    if (!lists.has(division)) lists.set(division, api.get('/api/officers', { division }).then((d) => d.items));
    return lists.get(division);
  };
}

export async function render(main, params, ctx) {
  const officersOf = officerLists();
  const level = new URLSearchParams(location.search).get('level') === '2' ? '2' : '1';
  const divisions = await list('divisions');
  const body = h('div');
  add(main, 
    h('h1', null, t('esc.title')),
    h('p', { class: 'lead' }, t('esc.lead')),
    h('nav', { class: 'tabs', 'aria-label': t('esc.levels') },
      ['1', '2'].map((l) => h('a', { href: `/escalations?level=${l}`, class: 'tab', 'aria-current': l === level ? 'page' : null },
        t(`esc.level${l}`)))),
    body);

  async function page(cursor, into) {
    try {
      const data = await api.get('/api/escalations', { level, limit: 50, cursor });
      if (!cursor && !data.items.length) fill(into, h('li', { class: 'empty' }, t('esc.none')));
      const cards = data.items.map((i) => card(i, divisions, officersOf, ctx));
      into.append(...cards.map((c) => c.element));
      await Promise.all(cards.map((c) => c.ready));
      if (data.next_cursor) {
        const more = h('li', { class: 'more' }, h('button', { type: 'button', onclick: () => { more.remove(); page(data.next_cursor, into); } }, t('list.more')));
        into.append(more);
      }
    } catch (err) {
      fill(into, h('li', { class: 'error' }, problemText(err)));
    }
  }
  const items = h('ul', { class: 'cards esc-list' });
  body.append(items);
  await page(null, items);
}

function card(issue, divisions, officersOf, ctx) {
  const division = h('select', { 'aria-label': `${t('triage.division')} ${issue.ref}` },
    options(divisions.map((d) => [d.code, nameOf(d)]), issue.division));
  const officer = h('select', { 'aria-label': `${t('triage.assignee')} ${issue.ref}`, class: 'verbatim' });
  const message = h('p', { class: 'form-error', role: 'alert' });
  async function officers() {
    try {
      const items = await officersOf(division.value);
      fill(officer, h('option', { value: '' }, t('triage.nobody')),
        options(items.map((o) => [o.login, o.name]), division.value === issue.division ? issue.assignee?.login || '' : ''));
      officer.hidden = false;
    } catch {
      officer.hidden = true;
    }
  }
  division.addEventListener('change', officers);
  const ready = officers();
  const whoText = () => [t('issue.assignee'), ': ', issue.assignee ? verbatim(issue.assignee.name) : t('triage.nobody'),
    ' · ', t('issue.division'), ': ', nameOf(divisions.find((d) => d.code === issue.division)) || issue.division];
  const who = h('span', null, whoText());
  const save = h('button', { type: 'submit', class: 'primary' }, t('esc.reassign'));
  const form = h('form', { class: 'row wrap reassign' }, division, officer, save, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const changes = {};
    if (division.value !== issue.division) changes.division = division.value;
    if (!officer.hidden && officer.value !== (issue.assignee?.login || '')) changes.assignee = officer.value || null;
    if (!Object.keys(changes).length) return;
    save.disabled = true;
    message.textContent = '';
    try {
      const updated = await api.patch(`/api/issues/${issue.ref}`, changes);
      Object.assign(issue, updated);
      fill(who, whoText());
      ctx.announce(t('esc.done', { ref: issue.ref }), 'success');
    } catch (err) {
      message.textContent = problemText(err);
    } finally {
      save.disabled = false;
    }
  });
  const element = h('li', { class: `card${issue.overdue ? ' overdue' : ''}` },
    h('a', { href: `/issues/${issue.ref}`, class: 'card-link' }, verbatim(issue.title)),
    h('p', { class: 'meta' }, h('span', { class: 'ref' }, issue.ref), ' ', statusBadge(issue.status), ' ',
      priorityBadge(issue.priority), ' ', slaBadge(issue)),
    h('p', { class: 'meta' }, verbatim(issue.school_name || issue.school), ' · ',
      t('esc.breached'), ' ', timeEl(issue.breached_at || issue.updated_at), ' · ', who),
    issue.can?.modify === false ? null : form);
  return { element, ready };
}
