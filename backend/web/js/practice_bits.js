// practice_bits.js -- the small pieces every view of the practice library shows
// (docs/practices.md): where a practice comes from, its status, its category in the
// reader's language, and a practice as a card in a list.
import { h, verbatim } from './dom.js';
import { t, nameOf, dateOnly } from './i18n.js';

const EXCERPT_CHARS = 220;

export function practiceStatusBadge(status) {
  return h('span', { class: `badge practice-${status}` }, t(`practice.status.${status}`));
}

// A Department practice names its cluster, never the school that filed the problem (the
// school did not choose to share it); a school's own proposal names the school.
export function practiceOrigin(practice) {
  if (practice.origin === 'school') return verbatim(practice.school_name || practice.school);
  return [t('practice.origin.department'),
    practice.cluster_name ? [' · ', verbatim(practice.cluster_name)] : null];
}

export function practiceCategory(practice, categories) {
  const known = categories?.get(practice.category);
  return known ? nameOf(known) : (practice.category_name || practice.category || '');
}

// The first lines of a text, cut at a word (the list's texts are cut at 300 characters).
export function excerpt(text, max = EXCERPT_CHARS) {
  const flat = (text || '').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max * 0.6)).replace(/[,;:.\s]+$/, '')}…`;
}

// When it reached the library, or, before that, when it was proposed.
export function practiceDay(practice) {
  return practice.published_at ? t('practice.published_on', { day: dateOnly(practice.published_at) })
    : t('practice.proposed_on', { day: dateOnly(practice.proposed_at) });
}

// One practice in a list: title, category and origin, its status unless published, the
// first lines of the problem; a declined one says why.
export function practiceCard(practice, categories) {
  return h('li', { class: `card practice-card practice-card-${practice.status}` },
    h('a', { href: `/practices/${practice.id}`, class: 'card-link' }, verbatim(practice.title, 'span')),
    h('p', { class: 'meta' },
      practice.status !== 'published' ? practiceStatusBadge(practice.status) : null,
      h('span', { class: 'practice-category' }, practiceCategory(practice, categories)),
      h('span', { 'aria-hidden': 'true' }, '·'),
      h('span', null, practiceOrigin(practice))),
    h('p', { class: 'practice-excerpt verbatim', lang: 'vi' }, excerpt(practice.problem)),
    practice.status === 'declined' && practice.review_note
      ? h('p', { class: 'meta' }, t('practice.review_note'), ': ', verbatim(practice.review_note)) : null);
}
