// rating.js -- a school's rating of a resolution it confirms (docs/ratings-and-
// directives.md): the question with its five choices, 1 (not solved) to 5 (solved for
// good), each named, and a rating as people read it ("★ 4/5", said in words to screen readers).
import { h, uid } from './dom.js';
import { t } from './i18n.js';

export const LOW_RATING = 2;   // a 1 or a 2 is told to the supervisors

// The question as a group of five radio buttons (name "rating"), each a wide target with
// its number and its words (a phone's thumb, a screen reader); value() is the number
// chosen, or null.
export function ratingField() {
  const name = 'rating';
  const hintId = uid('rating-hint');
  const errorId = uid('rating-err');
  const choices = [1, 2, 3, 4, 5].map((n) => {
    const id = uid('rating');
    return h('div', { class: 'rating-choice' },
      h('input', { type: 'radio', name, id, value: String(n) }),
      h('label', { for: id },
        h('span', { class: 'rating-n', 'aria-hidden': 'true' }, String(n)),
        h('span', { class: 'visually-hidden' }, `${t('rating.choice', { n })}: `),
        h('span', { class: 'rating-word' }, t(`rating.${n}`))));
  });
  const element = h('fieldset', { class: 'field rating-field', dataset: { field: 'rating' },
    'aria-describedby': `${hintId} ${errorId}` },
  h('legend', null, t('rating.question')),
  h('p', { class: 'hint', id: hintId }, t('rating.hint')),
  h('div', { class: 'rating-scale' }, choices),
  h('p', { class: 'field-error', id: errorId }));
  // A choice made answers the "choose one" said before (the only thing a confirmation can
  // lack, so the form's summary of it goes too).
  element.addEventListener('change', () => {
    element.querySelector('.field-error').textContent = '';
    for (const radio of element.querySelectorAll('[aria-invalid]')) radio.removeAttribute('aria-invalid');
    const summary = element.closest('form')?.querySelector('.form-error');
    if (summary) summary.textContent = '';
  });
  return {
    element,
    value() {
      const chosen = element.querySelector('input:checked');
      return chosen ? Number(chosen.value) : null;
    },
  };
}

// "★ 4/5", its words for screen readers; a low one marked.
export function ratingBadge(n) {
  return h('span', { class: `rating-badge${n <= LOW_RATING ? ' rating-low' : ''}` },
    h('span', { 'aria-hidden': 'true' }, `★ ${n}/5`),
    h('span', { class: 'visually-hidden' }, t('event.rating', { n })));
}
