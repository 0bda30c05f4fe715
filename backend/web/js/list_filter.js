// list_filter.js -- a search box over a list already in the page (the monthly report's
// unresolved issues): typed words match with accents and case folded away, as the
// server's own search does, so "thach ha" finds "Thạch Hà".

import { h, uid } from './dom.js';
import { t } from './i18n.js';

export function fold(text) {
  return String(text ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd').toLowerCase();
}

// texts(item): the strings an item is found by. onChange(matching items) on each input.
export function listFilter(items, texts, onChange) {
  const input = h('input', { type: 'search', id: uid('filter'), autocomplete: 'off', class: 'list-filter-input' });
  const found = h('span', { class: 'hint', 'aria-live': 'polite' });
  const folded = items.map((item) => fold(texts(item).join(' ')));
  input.addEventListener('input', () => {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    const matching = words.length ? items.filter((_, k) => words.every((w) => folded[k].includes(w))) : items;
    found.textContent = words.length ? t('filter.found', { n: matching.length }) : '';
    onChange(matching);
  });
  return h('div', { class: 'field list-filter' },
    h('label', { for: input.id }, t('filter.label')), input, found);
}
