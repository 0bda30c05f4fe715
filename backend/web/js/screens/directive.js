// directive.js -- one directive of the Department (docs/ratings-and-directives.md): its
// text, who sent it to whom; a principal's "received" button, or when the school pressed
// it; for staff and cluster leaders the schools it reached, those that have not
// acknowledged it first, with a filter to see only those.
import * as api from '../api.js';
import { loadOne } from '../load_one.js';
import { h, fill, verbatim, uid } from '../dom.js';
import { t, dateTime } from '../i18n.js';
import { audienceText, sentBy, acknowledgedCount, ownAcknowledgement } from '../directive_bits.js';
import { problemText } from '../errors.js';

const SEES_SCHOOLS = ['officer', 'supervisor', 'admin', 'cluster_leader'];

export async function render(main, params, ctx) {
  const directive = await load(params.id, main);
  if (!directive) return;
  fill(main, await content(directive, ctx, main));
}

function load(id, main) {
  return loadOne(main, `/api/directives/${encodeURIComponent(id)}`,
    { notFound: 'dir.notfound', back: '/directives', backLabel: 'nav.directives' });
}

async function content(directive, ctx, main) {
  const principal = ctx.user.role === 'principal';
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '/directives' }, t('nav.directives'))),
    h('h1', null, verbatim(directive.title)),
    h('p', { class: 'meta directive-meta' }, principal ? ownAcknowledgement(directive) : null, h('span', null, sentBy(directive)), h('span', { 'aria-hidden': 'true' }, '·'),
      h('span', null, audienceText(directive)),
      // When schools are reminded is the Department's business, not the school's.
      principal ? null : [h('span', { 'aria-hidden': 'true' }, '·'),
        h('span', null, t('dir.remind_after', { n: directive.remind_after_days }))]),
    h('section', { class: 'panel directive-body', 'aria-label': t('dir.f.body') }, verbatim(directive.body, 'p')),
    principal ? acknowledgePanel(directive, ctx, main) : null,
    SEES_SCHOOLS.includes(ctx.user.role) ? await schoolsSection(directive) : null,
  ];
}

// The school's "received": pressed once, it says when; the first press stands.
function acknowledgePanel(directive, ctx, main) {
  if (directive.acknowledged_at) {
    return h('p', { class: 'notice ack-notice done' }, t('dir.acked_at', { when: dateTime(directive.acknowledged_at) }));
  }
  const button = h('button', { type: 'button', class: 'primary acknowledge' }, t('dir.ack'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    error.textContent = '';
    try {
      const updated = await api.post(`/api/directives/${directive.id}/acknowledge`);
      ctx.announce(t('dir.ack.done'), 'success');
      fill(main, await content(updated, ctx, main));
      main.querySelector('.ack-notice')?.setAttribute('tabindex', '-1');
      main.querySelector('.ack-notice')?.focus();
    } catch (err) {
      error.textContent = problemText(err);
      button.disabled = false;
    }
  });
  return h('section', { class: 'panel ack-panel', 'aria-labelledby': 'ack-h' },
    h('h2', { id: 'ack-h' }, t('dir.ack.title')),
    h('p', null, t('dir.ack.lead')), error, h('div', { class: 'row' }, button));
}

// The schools it reached, pending first; the box keeps only the pending ones.
async function schoolsSection(directive) {
  const tbody = h('tbody');
  const boxId = uid('pending');
  const box = h('input', { type: 'checkbox', id: boxId });
  async function show() {
    try {
      const data = await api.get(`/api/directives/${directive.id}/schools`, { pending: box.checked ? 'true' : null });
      fill(tbody, data.items.length ? data.items.map(row)
        : h('tr', null, h('td', { colspan: '3', class: 'empty' }, t('dir.schools.none'))));
    } catch (err) {
      fill(tbody, h('tr', null, h('td', { colspan: '3', class: 'error' }, problemText(err))));
    }
  }
  box.addEventListener('change', show);
  await show();
  return h('section', { class: 'panel directive-schools', 'aria-labelledby': 'schools-h' },
    h('h2', { id: 'schools-h' }, t('dir.schools')),
    acknowledgedCount(directive),
    h('div', { class: 'check' }, box, h('label', { for: boxId }, t('dir.schools.pending_only'))),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region') },
      h('table', { class: 'queue school-acks stack-on-phone' },
        h('caption', { class: 'visually-hidden' }, t('dir.col.school')),
        h('thead', null, h('tr', null, ['dir.col.school', 'dir.col.cluster', 'dir.col.state'].map((k) => h('th', { scope: 'col' }, t(k))))),
        tbody)));
}

function row(school) {
  const acked = !!school.acknowledged_at;
  return h('tr', { class: acked ? 'acked' : 'pending', dataset: { school: school.school } },
    h('td', null, h('span', { class: 'ref' }, school.school), ' ', verbatim(school.school_name)),
    h('td', null, school.cluster),
    h('td', null,
      acked ? [h('span', { class: 'badge ack-done' }, t('dir.acked')), ' ', h('span', { class: 'hint' }, dateTime(school.acknowledged_at))]
        : h('span', { class: 'badge ack-waiting' }, t('dir.unacked')),
      school.reminded_at ? h('div', { class: 'hint' }, t('dir.reminded', { when: dateTime(school.reminded_at) })) : null));
}
