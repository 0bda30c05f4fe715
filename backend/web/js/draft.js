// draft.js -- the half-written issue, kept in localStorage on every keystroke with the
// Idempotency-Key it will be sent with, so a reload, a closed tab or a lost connection
// loses nothing and a retry can never file it twice. Cleared only once the server has it.
import { newKey } from './api.js';

const KEY = 'directline.draft';

export function loadDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(KEY) || 'null');
    if (draft && typeof draft.key === 'string' && draft.fields) return draft;
  } catch { /* a damaged draft is replaced by a fresh one */ }
  return { key: newKey(), fields: {}, ref: null };
}

export function saveDraft(draft) {
  try {
    localStorage.setItem(KEY, JSON.stringify(draft));
    return true;
  } catch {
    return false;   // storage full or disabled: the form still works, only unsaved
  }
}

export function hasDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(KEY) || 'null');
    return !!draft && Object.values(draft.fields || {}).some((v) => v);
  } catch {
    return false;
  }
}

export function clearDraft() {
  try { localStorage.removeItem(KEY); } catch { /* nothing to clear */ }
}
