// similar.js -- while a principal types a new issue, the issues that look alike (their own
// school's, and those other schools share): "one answer for many schools" starts here.
// A shared one can be joined on the spot instead of filing anew. Below them, the published
// practices alike ("what worked" elsewhere, docs/practices.md). Asked of the server once
// the typing pauses, and only the latest question's answer is shown (slow mobile data:
// answers may come back out of order); folded under one line that counts them.
import * as api from './api.js';
import { h, fill, verbatim } from './dom.js';
import { t, dateOnly } from './i18n.js';
import { statusBadge, problemBadges } from './issue_bits.js';
import { cosign } from './sharing.js';
import { problemText } from './errors.js';

const PAUSE_MS = 700;
const MIN_CHARS = 12;        // a few words: shorter text finds everything and nothing
const MAX_CHARS = 1000;      // the server's limit for ?text=
let opened = false;          // the list was opened: a redraw (the language switch) keeps it so

// Shown while typing as one line under the description ("3 similar issues · 1 practice"),
// which opens onto the list: the form stays whole on a phone, the suggestions in sight.
export function similarPanel(ctx) {
  const items = h('ul', { class: 'cards similar-list' });
  const practices = h('ul', { class: 'cards similar-practices' });
  const issuesPart = h('div', { class: 'similar-issues' },
    h('h2', { id: 'similar-h' }, t('similar.title')),
    h('p', { class: 'hint' }, t('similar.lead')), items);
  const practicesPart = h('div', { class: 'similar-library' },
    h('h2', { id: 'similar-practices-h' }, t('similar.practices')),
    h('p', { class: 'hint' }, t('similar.practices.lead')), practices);
  const count = h('span', { class: 'similar-count' });
  const fold = h('details', { class: 'similar-fold', open: opened }, h('summary', null, count), issuesPart, practicesPart);
  fold.addEventListener('toggle', () => { opened = fold.open; });
  const section = h('section', { class: 'panel similar', hidden: true, 'aria-label': t('similar.region') }, fold);
  // The count, said to a screen reader as it changes (a live region must stay in the page).
  const spoken = h('p', { class: 'visually-hidden', role: 'status' });
  const show = (text) => {
    count.textContent = text;
    if (spoken.textContent !== text) spoken.textContent = text;
    section.hidden = !text;
  };
  let timer = null;
  let asked = 0;
  let lastText = '';

  async function ask(text) {
    const mine = ++asked;
    try {
      const data = await api.get('/api/issues/similar', { text });
      if (mine !== asked) return;
      const found = data.practices || [];
      fill(items, data.items.map((i) => card(i, ctx)));
      fill(practices, found.map(practiceCard));
      issuesPart.hidden = data.items.length === 0;
      practicesPart.hidden = found.length === 0;
      show([counted('similar.count', data.items.length), counted('similar.practices.count', found.length)]
        .filter(Boolean).join(' · '));
    } catch {
      // Suggestions are a help, never in the way of filing: a failure just shows none.
      if (mine === asked) show('');
    }
  }

  return {
    element: [section, spoken],
    update(title, description) {
      const text = `${title.trim()} ${description.trim()}`.trim().slice(0, MAX_CHARS);
      if (text === lastText) return;
      lastText = text;
      clearTimeout(timer);
      if (text.length < MIN_CHARS) {
        asked += 1;
        show('');
        return;
      }
      timer = setTimeout(() => ask(text), PAUSE_MS);
    },
  };
}

// "3 similar issues", "1 similar issue"; nothing for none.
function counted(key, n) {
  if (!n) return '';
  return t(n === 1 ? `${key}.one` : key, { n });
}

// Titles alike are told apart by where each stands: its status, whose it is (or how many
// schools it reaches), its reference and the day it was filed.
function card(issue, ctx) {
  const joinable = issue.shared && !issue.own && !issue.cosigned;
  const slot = h('div', { class: 'row' });
  if (joinable) {
    const key = api.newKey();
    const button = h('button', { type: 'button', class: 'primary' }, t('cosign.do'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await cosign(issue.ref, '', key);
        ctx.announce(t('cosign.done'), 'success');
        ctx.navigate(`/issues/${issue.ref}`);
      } catch (err) {
        ctx.announce(problemText(err), 'error');
        button.disabled = false;
      }
    });
    slot.append(button);
  } else if (issue.cosigned) {
    slot.append(h('span', { class: 'hint' }, t('similar.joined')));
  }
  return h('li', { class: 'card issue-card similar-card' },
    h('a', { href: `/issues/${issue.ref}`, class: 'card-link' }, verbatim(issue.title, 'span')),
    h('p', { class: 'meta' }, statusBadge(issue.status), ' ',
      issue.own ? h('span', { class: 'similar-school' }, t('similar.own'))
        : verbatim(issue.school_name, 'span'),
      ' ', h('span', { class: 'ref' }, issue.ref), ' ',
      issue.filed_at ? h('span', { class: 'similar-filed' }, t('similar.filed', { day: dateOnly(issue.filed_at) })) : null,
      problemBadges(issue)),
    slot.childNodes.length ? slot : null);
}

// A practice alike: its title to open (the draft is kept meanwhile), its category and
// where it comes from as the server names it (a school's own names the school, a
// Department one its cluster).
function practiceCard(practice) {
  const from = practice.school_name || practice.cluster_name;
  return h('li', { class: 'card practice-card' },
    h('a', { href: `/practices/${practice.id}`, class: 'card-link' }, verbatim(practice.title, 'span')),
    h('p', { class: 'meta' }, verbatim(practice.category_name),
      from ? [h('span', { 'aria-hidden': 'true' }, '·'), verbatim(from)] : null));
}
