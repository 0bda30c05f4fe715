// load_one.js -- a detail screen's first step: fetch the one item it shows, or put in its
// place why not (not found, or the server's problem sentence) with a way back to its list.
import * as api from './api.js';
import { h, fill } from './dom.js';
import { t } from './i18n.js';
import { problemText } from './errors.js';

// Resolves to the item, or to null once the screen says why there is none.
export async function loadOne(main, path, { notFound, back, backLabel }) {
  try {
    return await api.get(path);
  } catch (err) {
    fill(main, h('h1', null, err.status === 404 ? t(notFound) : t('err.title')),
      h('p', null, problemText(err)), h('p', null, h('a', { href: back }, t(backLabel))));
    return null;
  }
}
