// signin_dialog.js -- the sign-in form opened over the current screen when the session has
// ended, so that the interrupted request is retried and nothing typed is lost.
import * as api from './api.js';
import { h, field } from './dom.js';
import { t } from './i18n.js';
import { showErrors, clearErrors } from './errors.js';

// Resolves once the same user has signed in again.
export function askToSignIn() {
  return new Promise((resolve) => {
    const previous = api.currentUser();
    const login = h('input', { autocomplete: 'username', required: true, value: previous?.login || '' });
    if (previous) login.readOnly = true;   // a retried request must run as the same person
    const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
    const submit = h('button', { class: 'primary', type: 'submit' }, t('login.submit'));
    const form = h('form', { class: 'stack', novalidate: true },
      field(t('login.login'), login, { name: 'login' }),
      field(t('login.password'), password, { name: 'password' }),
      h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
      h('div', { class: 'row' }, submit));
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'reauth-title' },
      h('h2', { id: 'reauth-title' }, t('reauth.title')),
      h('p', null, t('reauth.text')),
      form);
    dialog.addEventListener('cancel', (event) => event.preventDefault());   // Escape would lose the request
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      submit.disabled = true;
      try {
        await api.signIn(login.value.trim(), password.value);
        dialog.close();
        dialog.remove();
        resolve();
      } catch (err) {
        showErrors(form, err.status === 401 ? { problem: { code: 'bad_login' } } : err);
      } finally {
        submit.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    (previous ? password : login).focus();
  });
}
