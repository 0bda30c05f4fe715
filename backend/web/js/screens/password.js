// password.js -- change one's own password; forced right after signing in with a
// temporary one (must_change_password), when no other screen opens until it is done.
import * as api from '../api.js';
import { add, h, field } from '../dom.js';
import { t } from '../i18n.js';
import { showErrors, clearErrors } from '../errors.js';

export function render(main, params, ctx) {
  const forced = ctx.user.must_change_password;
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const fresh = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: '10', maxlength: '200' });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { class: 'primary', type: 'submit' }, t('password.submit'));
  const form = h('form', { class: 'stack', novalidate: true },
    field(t('password.current'), current, { name: 'current_password' }),
    field(t('password.new'), fresh, { name: 'new_password', hint: t('password.rule') }),
    field(t('password.again'), again, { name: 'again' }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (fresh.value !== again.value) {
      showErrors(form, { problem: { code: 'validation', errors: [{ field: 'again', code: 'password_mismatch' }] } });
      return;
    }
    submit.disabled = true;
    try {
      await api.put('/api/me/password', { current_password: current.value, new_password: fresh.value });
      await api.loadMe();
      ctx.announce(t('password.done'), 'success');
      ctx.navigate('/', { replace: true });
    } catch (err) {
      showErrors(form, err);
      submit.disabled = false;
    }
  });
  add(main, h('section', { class: 'narrow' },
    h('h1', null, t('password.title')),
    forced ? h('p', { class: 'notice' }, t('password.forced')) : null,
    form));
  current.focus();
}
