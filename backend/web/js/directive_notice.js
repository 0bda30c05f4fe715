// directive_notice.js -- on the principal's home, one line when the Department sent the
// school directives it has not acknowledged yet, with the way to them
// (docs/ratings-and-directives.md). Small on purpose: the home loads it at once.
import { get } from './api.js';
import { h, fill } from './dom.js';
import { t } from './i18n.js';

const LOOKED_AT = 50;   // the latest ones: an older unacknowledged one has been reminded of

// element: hidden until something waits; ready: settles once the list was read (or not).
export function directiveNotice() {
  const element = h('p', { class: 'notice directive-notice', hidden: true });
  const ready = get('/api/directives', { limit: LOOKED_AT }).then((data) => {
    const n = data.items.filter((d) => !d.acknowledged_at).length;
    if (!n) return;
    fill(element, t(n === 1 ? 'home.directive' : 'home.directives', { n }), ' ',
      h('a', { href: '/directives' }, t('home.directives.open')));
    element.hidden = false;
  }).catch(() => { /* a reminder, not the home: the list works without it */ });
  return { element, ready };
}
