// similar.js -- while a principal types a new issue, the issues that look alike (their own
// school's, and those other schools share): "one answer for many schools" starts here.
// A shared one can be joined on the spot instead of filing anew. Below them, the published
// practices alike ("what worked" elsewhere, docs/practices.md). Asked of the server once
// the typing pauses, and only the latest question's answer is shown (slow mobile data:
// answers may come back out of order).
import * as api from './api.js';
import { h, fill, verbatim } from './dom.js';
import { t } from './i18n.js';
import { statusBadge, problemBadges } from './issue_bits.js';
import { cosign } from './sharing.js';
import { problemText } from './errors.js';

const PAUSE_MS = 700;
const MIN_CHARS = 12;        // a few words: shorter text finds everything and nothing
const MAX_CHARS = 1000;      // the server's limit for ?text=

export function similarPanel(ctx) {
  const items = h('ul', { class: 'cards similar-list' });
  const practices = h('ul', { class: 'cards similar-practices' });
  const issuesPart = h('div', { class: 'similar-issues' },
    h('h2', { id: 'similar-h' }, t('similar.title')),
    h('p', { class: 'hint' }, t('similar.lead')), items);
  const practicesPart = h('div', { class: 'similar-library' },
    h('h2', { id: 'similar-practices-h' }, t('similar.practices')),
    h('p', { class: 'hint' }, t('similar.practices.lead')), practices);
  const element = h('section', { class: 'panel similar', hidden: true, 'aria-live': 'polite',
    'aria-labelledby': 'similar-h similar-practices-h' }, issuesPart, practicesPart);
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
      element.hidden = data.items.length === 0 && found.length === 0;
    } catch {
      // Suggestions are a help, never in the way of filing: a failure just shows none.
      if (mine === asked) element.hidden = true;
    }
  }

  return {
    element,
    update(title, description) {
      const text = `${title.trim()} ${description.trim()}`.trim().slice(0, MAX_CHARS);
      if (text === lastText) return;
      lastText = text;
      clearTimeout(timer);
      if (text.length < MIN_CHARS) {
        asked += 1;
        element.hidden = true;
        return;
      }
      timer = setTimeout(() => ask(text), PAUSE_MS);
    },
  };
}

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
  return h('li', { class: 'card issue-card' },
    h('a', { href: `/issues/${issue.ref}`, class: 'card-link' }, verbatim(issue.title, 'span')),
    h('p', { class: 'meta' }, statusBadge(issue.status), ' ', h('span', { class: 'ref' }, issue.ref),
      problemBadges(issue)),
    h('p', { class: 'meta' }, issue.own ? t('similar.own') : verbatim(issue.school_name)),
    slot.childNodes.length ? slot : null);
}

// A practice alike: its title to open (the draft is kept meanwhile), its category and
// cluster as the server names them.
function practiceCard(practice) {
  return h('li', { class: 'card practice-card' },
    h('a', { href: `/practices/${practice.id}`, class: 'card-link' }, verbatim(practice.title, 'span')),
    h('p', { class: 'meta' }, verbatim(practice.category_name),
      practice.cluster_name ? [h('span', { 'aria-hidden': 'true' }, '·'), verbatim(practice.cluster_name)] : null));
}
