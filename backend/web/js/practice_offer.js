// practice_offer.js -- on a resolved or closed issue, the offer to put its answer in the
// practice library (docs/practices.md), for those who may: the officers of the issue's
// division and supervisors (no `can` of the issue says it; the server decides, and its
// refusal is shown). The form itself is loaded only when asked for.
import { h, fill } from './dom.js';
import { t } from './i18n.js';

const ANSWERED = ['resolved', 'closed'];

// justResolved: the officer has just resolved it here, so the offer is made right away.
export function practiceOffer(issue, ctx, { justResolved = false } = {}) {
  if (!ANSWERED.includes(issue.status)) return null;
  const { role, division } = ctx.user;
  if (role !== 'supervisor' && !(role === 'officer' && division === issue.division)) return null;
  const slot = h('div', { class: 'action-slot' });
  const button = h('button', { type: 'button', class: 'primary practice-offer-open', 'aria-expanded': 'false' },
    t('practice.offer.do'));
  button.addEventListener('click', async () => {
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!open));
    if (open) return fill(slot);
    const { publishForm } = await import('./practice_publish.js');
    fill(slot, publishForm(issue, ctx));
    slot.querySelector('input, textarea')?.focus();
  });
  return h('section', { class: `panel practice-offer${justResolved ? ' just-resolved' : ''}`, 'aria-labelledby': 'offer-h' },
    h('h2', { id: 'offer-h' }, t('practice.offer.title')),
    h('p', null, t(justResolved ? 'practice.offer.just' : 'practice.offer.lead')),
    h('div', { class: 'row' }, button), slot);
}
