// draft.js -- the half-written issue, kept in localStorage on every keystroke with the
// Idempotency-Key it will be sent with, so a reload, a closed tab or a lost connection
// loses nothing and a retry can never file it twice. Cleared only once the server has it.
// Each user has their own, so the next principal on a shared phone never sees it.
import { currentUser, newKey } from './api.js';

const storageKey = () => `directline.draft.${currentUser()?.login ?? ''}`;

export function loadDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(storageKey()) || 'null');
    if (draft && typeof draft.key === 'string' && draft.fields) return draft;
  } catch { /* a damaged draft is replaced by a fresh one */ }
  return { key: newKey(), fields: {}, ref: null };
}

export function saveDraft(draft) {
  try {
    localStorage.setItem(storageKey(), JSON.stringify(draft));
    return true;
  } catch {
    return false;   // storage full or disabled: the form still works, only unsaved
  }
}

export function hasDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(storageKey()) || 'null');
    return !!draft && Object.values(draft.fields || {}).some((v) => v);
  } catch {
    return false;
  }
}

export function clearDraft() {
  try { localStorage.removeItem(storageKey()); } catch { /* nothing to clear */ }
}
