// form_submit.js -- sending a form, written once: errors cleared, what is missing said before
// the server is asked, the button held while it works, the server's errors shown by the fields.
import * as api from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { showErrors, clearErrors } from './errors.js';

// The end of every form: the summary line showErrors fills and focuses, then the button.
export function formFooter(submit) {
  return [h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }), h('div', { class: 'row' }, submit)];
}

// The problem shown for what the form itself found wrong, in the server's own words.
export function validationProblem(errors) {
  return { problem: { code: 'validation', errors } };
}

// "required" for each [control, field name] left blank.
export function blankFields(controls) {
  return controls.filter(([control]) => !control.value.trim())
    .map(([, field]) => ({ field, code: 'required' }));
}

// Clears the last errors and shows what the form itself finds missing; true if none is.
function readyToSend(form, missing) {
  clearErrors(form);
  const errors = missing();
  if (errors.length) showErrors(form, validationProblem(errors));
  return !errors.length;
}

// A form that changes what exists. payload() gives what to send; an empty one is not sent
// (the user is told nothing changed). The button stays held after success, as onDone
// replaces the form; it is freed again if the server refuses.
export function submitChange(form, submit, ctx, { missing = () => [], payload, send, successKey, onDone }) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!readyToSend(form, missing)) return;
    const body = payload();
    if (!Object.keys(body).length) return ctx.announce(t('triage.nothing'), 'info');
    submit.disabled = true;
    try {
      const updated = await send(body);
      ctx.announce(t(successKey), 'success');
      await onDone(updated);
    } catch (err) {
      showErrors(form, err);
      submit.disabled = false;
    }
  });
}

// A form that makes something: POSTed with an Idempotency-Key, so a retried request makes it
// once; a new key once made, or when the server says the key went with another text.
// failed(err, body, firstInvalidControl), if given, adds to the errors shown.
export function submitCreate(form, submit, ctx, { path, missing, payload, successKey, onDone, failed }) {
  let key = api.newKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!readyToSend(form, missing)) return;
    const body = payload();
    submit.disabled = true;
    try {
      const made = await api.post(path, body, { key });
      key = api.newKey();
      ctx.announce(t(successKey), 'success');
      await onDone(made);
    } catch (err) {
      if (err.problem?.code === 'idempotency_key_reused') key = api.newKey();
      const first = showErrors(form, err);
      failed?.(err, body, first);
    } finally {
      submit.disabled = false;
    }
  });
}
