// note_form.js -- the small form an action button opens to send that action with a note
// (required for some): a decision done or reopened, a practice published, declined or withdrawn.
import * as api from './api.js';
import { h, field } from './dom.js';
import { t } from './i18n.js';
import { formFooter, blankFields, submitChange } from './form_submit.js';

// label, button: its texts; dataset: names the action on the form; body: what is POSTed to
// path besides the note; successKey: the message said once done; onDone(updated).
export function noteForm(ctx, { required, label, button, dataset, path, body, successKey, onDone }) {
  const note = h('textarea', { rows: '3', maxlength: '2000', required });
  const submit = h('button', { type: 'submit', class: 'primary' }, button);
  const form = h('form', { class: 'stack', novalidate: true, dataset },
    field(label + (required ? '' : ` ${t('form.optional')}`), note, { name: 'note' }),
    formFooter(submit));
  submitChange(form, submit, ctx, {
    missing: () => (required ? blankFields([[note, 'note']]) : []),
    payload: () => withNote(body, note.value.trim()),
    send: (payload) => api.post(path, payload),
    successKey, onDone,
  });
  return form;
}

function withNote(body, note) {
  return note ? { ...body, note } : { ...body };
}
