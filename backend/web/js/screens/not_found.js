// not_found.js -- a path the app does not know, or one this role may not open.
import { add, h } from '../dom.js';
import { t } from '../i18n.js';

export function render(main) {
  add(main, h('h1', null, t('notfound.title')), h('p', null, t('notfound.text'), ' ', h('a', { href: '/' }, t('nav.home'))));
}
