// action_buttons.js -- a row of action buttons, each opening its own form in the slot below
// and closing it when pressed again; aria-expanded says which one is open.
import { h, fill } from './dom.js';
import { t } from './i18n.js';

// Each action's button has the class `action {classPrefix}-{action}` and the text
// `{labelPrefix}.{action}`; formFor(action) gives its form (or a promise of it).
// Returns [the row of buttons, the slot], to be placed together.
export function actionButtons(actions, { classPrefix, labelPrefix, formFor }) {
  const slot = h('div', { class: 'action-slot' });
  const buttons = actions.map((action) => h('button', {
    type: 'button', class: `action ${classPrefix}-${action}`, 'aria-expanded': 'false',
    onclick: (event) => toggle(event.currentTarget, action),
  }, t(`${labelPrefix}.${action}`)));
  async function toggle(button, action) {
    const open = button.getAttribute('aria-expanded') === 'true';
    for (const b of buttons) b.setAttribute('aria-expanded', String(!open && b === button));
    if (open) return fill(slot);
    fill(slot, await formFor(action));
    slot.querySelector('textarea, input, select')?.focus();
  }
  return [h('div', { class: 'row wrap' }, buttons), slot];
}
