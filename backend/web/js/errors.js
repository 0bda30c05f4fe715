// errors.js -- turns problem+json into sentences in the chosen language, each field's
// sentence shown next to its field, never raw JSON.
import { t, has } from './i18n.js';

// The sentence for a whole problem: its stable code first, then its HTTP status.
export function problemText(err) {
  const problem = err?.problem || {};
  if (problem.code && has(`err.${problem.code}`)) return t(`err.${problem.code}`, problem);
  const status = err?.status ?? 0;
  if (has(`err.http.${status}`)) return t(`err.http.${status}`);
  return t('err.unknown');
}

export function fieldText(fieldError) {
  const key = `ferr.${fieldError.code}`;
  if (fieldError.code && has(key)) return t(key, fieldError.params || {});
  return t('ferr.invalid_value');
}

// Clears the error sentences inside a form.
export function clearErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-error');
  if (summary) summary.textContent = '';
}

// Shows each field error next to the field the server named (fields are found by their
// data-field wrapper); the rest, and the problem itself, in the form's summary line.
// Returns the first control marked invalid, for focus.
export function showErrors(form, err) {
  clearErrors(form);
  let first = null;
  const unplaced = [];
  for (const fe of err?.problem?.errors || []) {
    // An item of a list ("issues[2]") is shown on the list's field.
    const wrapper = form.querySelector(`[data-field="${CSS.escape(fe.field || '')}"]`)
      || form.querySelector(`[data-field="${CSS.escape((fe.field || '').replace(/\[\d+\].*$/, ''))}"]`);
    if (!wrapper) { unplaced.push(fieldText(fe)); continue; }
    wrapper.querySelector('.field-error').textContent = fieldText(fe);
    const control = wrapper.querySelector('input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    }
  }
  const summary = form.querySelector('.form-error');
  if (summary) summary.textContent = [problemText(err), ...unplaced].join(' ');
  (first || summary)?.focus?.();
  return first;
}
