// attachments.js -- choosing files to attach (camera photos, PDF, Word, Excel; 10 MiB each,
// 5 per issue; photos re-encoded without location data) and sending them once the issue
// exists, each with its own Idempotency-Key derived from the draft's.
import * as api from './api.js';
import { h, fill, uid } from './dom.js';
import { t } from './i18n.js';
import { isPhoto, reencode } from './photo.js';
import { problemText } from './errors.js';

export const MAX_FILES = 5;
export const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'image/jpeg,image/png,image/webp,.pdf,.doc,.docx,.xls,.xlsx,application/pdf';

export function sizeText(bytes) {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function attachmentPicker(ctx, { already = 0, onChange = () => {} } = {}) {
  const chosen = [];        // {file, sent}
  const listEl = h('ul', { class: 'files' });
  const note = h('p', { class: 'field-error', id: uid('att-err'), 'aria-live': 'polite' });
  const cameraId = uid('camera');
  const filesId = uid('files');
  const camera = h('input', { type: 'file', id: cameraId, accept: 'image/*', capture: 'environment', class: 'visually-hidden' });
  const files = h('input', { type: 'file', id: filesId, accept: ACCEPT, multiple: true, class: 'visually-hidden' });

  async function add(fileList) {
    note.textContent = '';
    for (const original of fileList) {
      if (already + chosen.length >= MAX_FILES) {
        note.textContent = t('att.too_many', { max: MAX_FILES });
        break;
      }
      let file = original;
      if (isPhoto(original) || original.type.startsWith('image/')) {
        note.textContent = t('att.processing');
        try {
          file = await reencode(original);
          note.textContent = '';
        } catch {
          note.textContent = t('att.bad_photo', { name: original.name });
          continue;
        }
      }
      if (file.size > MAX_BYTES) {
        note.textContent = t('att.too_big', { name: file.name, max: '10 MB' });
        continue;
      }
      chosen.push({ file, sent: false });
    }
    draw();
  }

  function draw() {
    onChange(chosen);
    fill(listEl, chosen.map((entry, index) => h('li', null,
      h('span', { class: 'verbatim file-name', lang: 'vi' }, entry.file.name), ' ',
      h('span', { class: 'hint' }, sizeText(entry.file.size)), ' ',
      entry.sent ? h('span', { class: 'badge status-closed' }, t('att.sent'))
        : h('button', { type: 'button', class: 'link-button',
          'aria-label': t('att.remove.named', { name: entry.file.name }),
          onclick: () => { chosen.splice(index, 1); draw(); } }, t('att.remove')))));
  }

  camera.addEventListener('change', () => { add(camera.files); camera.value = ''; });
  files.addEventListener('change', () => { add(files.files); files.value = ''; });

  const element = h('fieldset', { class: 'field attachments', dataset: { field: 'file' } },
    h('legend', null, t('att.legend')),
    h('p', { class: 'hint' }, t('att.hint', { max: MAX_FILES })),
    h('div', { class: 'row' },
      camera, h('label', { for: cameraId, class: 'button' }, t('att.camera')),
      files, h('label', { for: filesId, class: 'button' }, t('att.files'))),
    listEl, note);

  // Sends what has not been sent yet. Throws on the first failure (the rest stay chosen).
  async function upload(ref, baseKey) {
    for (let i = 0; i < chosen.length; i += 1) {
      const entry = chosen[i];
      if (entry.sent) continue;
      const form = new FormData();
      form.append('file', entry.file, entry.file.name);
      await api.request('POST', `/api/issues/${encodeURIComponent(ref)}/attachments`,
        { body: form, key: `${baseKey}-a${i}-${entry.file.size}` });
      entry.sent = true;
      draw();
    }
  }

  // Files kept from before (a reload): shown and sent as if just chosen.
  function restore(entries) {
    chosen.push(...entries.slice(0, MAX_FILES - already - chosen.length));
    draw();
  }

  return { element, upload, restore, count: () => chosen.length };
}

// The attachments of an issue, each a download link. The staff who handle the issue can
// hide one, with a reason, even once it is over (nothing is ever deleted; hiding is an
// event on the issue).
export function attachmentList(attachments, { canHide = false, onHidden } = {}) {
  if (!attachments?.length) return null;
  return h('ul', { class: 'files' }, attachments.map((a) => h('li', { class: a.hidden ? 'hidden-file' : null },
    a.hidden ? [h('span', { class: 'verbatim', lang: 'vi' }, a.name), ' ', h('span', { class: 'badge' }, t('att.hidden')),
      a.hidden_reason ? [' ', h('span', { class: 'verbatim', lang: 'vi' }, a.hidden_reason)] : null]
      : h('a', { href: `/api/attachments/${a.id}`, download: a.name }, h('span', { class: 'verbatim', lang: 'vi' }, a.name)),
    ' ', h('span', { class: 'hint' }, sizeText(a.size)),
    canHide && !a.hidden ? hideForm(a, onHidden) : null)));
}

function hideForm(attachment, onHidden) {
  const reason = h('input', { required: true, maxlength: '500', autocomplete: 'off' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'row wrap', novalidate: true },
    h('label', { for: reason.id = uid('hide') }, t('att.hide.reason')), reason,
    h('button', { type: 'submit' }, t('att.hide')), error);
  const key = api.newKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) { error.textContent = t('ferr.required'); reason.focus(); return; }
    try {
      await api.post(`/api/attachments/${attachment.id}/hide`, { reason: reason.value.trim() }, { key });
      onHidden?.();
    } catch (err) {
      error.textContent = problemText(err);
    }
  });
  return h('details', { class: 'inline-edit' }, h('summary', null, t('att.hide')), form);
}
