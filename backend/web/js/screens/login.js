// login.js -- the sign-in screen; afterwards goes where the user was heading (or home).
import * as api from '../api.js';
import { add, h, field } from '../dom.js';
import { t } from '../i18n.js';
import { showErrors, clearErrors } from '../errors.js';

export function render(main, params, ctx) {
  const next = new URLSearchParams(location.search).get('next');
  const login = h('input', { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { class: 'primary wide', type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'stack', novalidate: true },
    field(t('login.login'), login, { name: 'login' }),
    field(t('login.password'), password, { name: 'password' }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!login.value.trim() || !password.value) {
      showErrors(form, { problem: { code: 'validation', errors: [
        ...(!login.value.trim() ? [{ field: 'login', code: 'required' }] : []),
        ...(!password.value ? [{ field: 'password', code: 'required' }] : [])] } });
      return;
    }
    submit.disabled = true;
    try {
      const user = await api.signIn(login.value.trim(), password.value);
      const target = user.must_change_password ? '/password'
        : (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
      ctx.navigate(target, { replace: true });
    } catch (err) {
      showErrors(form, err.status === 401 ? { problem: { code: 'bad_login' } } : err);
      submit.disabled = false;
    }
  });
  add(main, h('section', { class: 'narrow' },
    h('h1', null, t('login.title')),
    h('p', { class: 'lead' }, t('login.lead')),
    form));
  if (api.currentUser()) {
    main.querySelector('section').append(h('p', null, t('login.already'), ' ', h('a', { href: '/' }, t('nav.home'))));
  }
  login.focus();
}
