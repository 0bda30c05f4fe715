// practice_publish.js -- publishing an issue's answer in the practice library (POST
// /api/practices with the issue): a copy prefilled with the issue's title, its description
// as the problem and the last resolution note as what was done, edited before it goes (no
// names: every school reads it), with only the attachments ticked travelling with it.
import * as api from './api.js';
import { h, verbatim, uid } from './dom.js';
import { t } from './i18n.js';
import { practiceFields } from './practice_form.js';
import { sizeText } from './attachments.js';
import { showErrors } from './errors.js';
import { submitCreate } from './form_submit.js';

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

  // Registered before submitCreate's own listener: each try starts without the last link.
  form.addEventListener('submit', () => { already.hidden = true; });
  submitCreate(form, submit, ctx, {
    path: '/api/practices',
    missing: fields.missing,
    payload: () => ({ issue: issue.ref, ...fields.values(), files: ticked(boxes) }),
    successKey: 'practice.published',
    onDone: (practice) => ctx.navigate(`/practices/${practice.id}`),
    failed: async (err) => {
      if (err.problem?.code !== 'already_published') return;
      // The problem's sentence says it all; its field only names the practice to link.
      showErrors(form, { ...err, problem: { ...err.problem, errors: [] } });
      const id = err.problem.errors?.[0]?.params?.practice_id;
      if (id) await linkExisting(id, already);
    },
  });
  return form;
}

function ticked(boxes) {
  return boxes.map((b) => b.querySelector('input')).filter((b) => b.checked).map((b) => Number(b.value));
}

// The issue's practice, named by the refusal, linked under the form.
async function linkExisting(id, slot) {
  try {
    const found = await api.get(`/api/practices/${id}`);
    slot.replaceChildren(h('a', { href: `/practices/${found.id}` }, t('practice.already.open'), ': ', verbatim(found.title)));
    slot.hidden = false;
  } catch { /* the sentence above already says it is in the library */ }
}
