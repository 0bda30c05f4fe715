// practice_publish.js -- publishing an issue's answer in the practice library (POST
// /api/practices with the issue): a copy prefilled with the issue's title, its description
// as the problem and the last resolution note as what was done, edited before it goes (no
// names: every school reads it), with only the attachments ticked travelling with it.
import * as api from './api.js';
import { h, verbatim, uid } from './dom.js';
import { t } from './i18n.js';
import { practiceFields } from './practice_form.js';
import { sizeText } from './attachments.js';
import { showErrors, clearErrors } from './errors.js';

export function publishForm(issue, ctx) {
  const resolution = [...(issue.events || [])].reverse().find((e) => e.action === 'resolve' && e.note);
  const fields = practiceFields({ title: issue.title, problem: issue.description, solution: resolution?.note || '' });
  const files = (issue.attachments || []).filter((a) => !a.hidden);
  // None ticked beforehand: a photo may show a child's face, a form a teacher's name. A
  // photo is shown small beside its box, so that the officer sees what would travel.
  const boxes = files.map((a) => {
    const box = h('input', { type: 'checkbox', value: String(a.id), id: uid('practice-file') });
    return h('div', { class: 'check practice-file' }, box,
      h('label', { for: box.id },
        a.type?.startsWith('image/') ? h('img', { src: `/api/attachments/${a.id}`, alt: '', loading: 'lazy', class: 'practice-thumb' }) : null,
        h('span', null, h('span', { class: 'verbatim file-name', lang: 'vi' }, a.name), ' ', h('span', { class: 'hint' }, sizeText(a.size)))));
  });
  const filesField = h('fieldset', { class: 'field practice-files-pick', dataset: { field: 'files' } },
    h('legend', null, t('practice.f.files')),
    h('p', { class: 'hint' }, files.length ? t('practice.f.files.hint') : t('practice.f.files.none')),
    boxes,
    h('p', { class: 'field-error' }));
  const already = h('p', { class: 'already-published', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('practice.publish.send'));
  const form = h('form', { class: 'stack practice-publish', novalidate: true },
    fields.elements, filesField,
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }), already,
    h('div', { class: 'row' }, submit));

  let key = api.newKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    already.hidden = true;
    const missing = fields.missing();
    if (missing.length) return showErrors(form, { problem: { code: 'validation', errors: missing } });
    const ticked = boxes.map((b) => b.querySelector('input')).filter((b) => b.checked).map((b) => Number(b.value));
    submit.disabled = true;
    try {
      const practice = await api.post('/api/practices', { issue: issue.ref, ...fields.values(), files: ticked }, { key });
      key = api.newKey();
      ctx.announce(t('practice.published'), 'success');
      ctx.navigate(`/practices/${practice.id}`);
    } catch (err) {
      if (err.problem?.code === 'idempotency_key_reused') key = api.newKey();
      if (err.problem?.code === 'already_published') {
        // The problem's sentence says it all; its field only names the practice to link.
        const id = err.problem.errors?.[0]?.params?.practice_id;
        showErrors(form, { ...err, problem: { ...err.problem, errors: [] } });
        if (id) await linkExisting(id, already);
      } else {
        showErrors(form, err);
      }
      submit.disabled = false;
    }
  });
  return form;
}

// The issue's practice, named by the refusal, linked under the form.
async function linkExisting(id, slot) {
  try {
    const found = await api.get(`/api/practices/${id}`);
    slot.replaceChildren(h('a', { href: `/practices/${found.id}` }, t('practice.already.open'), ': ', verbatim(found.title)));
    slot.hidden = false;
  } catch { /* the sentence above already says it is in the library */ }
}
