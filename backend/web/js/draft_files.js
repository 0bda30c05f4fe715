// draft_files.js -- the files chosen for a draft (photos already re-encoded), kept in the
// browser's IndexedDB beside the draft's text, so a reload or a closed tab loses none of
// them. One record per user; cleared with the draft once the server has everything.
import { currentUser } from './api.js';

const DB = 'directline';
const STORE = 'draft-files';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// Runs one request on the store; storage off or broken means "nothing kept", never an error.
async function run(mode, use) {
  try {
    const db = await open();
    return await new Promise((resolve, reject) => {
      const req = use(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    }).finally(() => db.close());
  } catch {
    return undefined;
  }
}

const owner = () => currentUser()?.login ?? '';

// [{file, sent}] as they were saved, or [].
export async function loadDraftFiles() {
  const saved = await run('readonly', (store) => store.get(owner()));
  return (saved || []).map((e) => ({ file: new File([e.blob], e.name, { type: e.type }), sent: e.sent }));
}

export function saveDraftFiles(entries) {
  const record = entries.map((e) => ({ name: e.file.name, type: e.file.type, blob: e.file, sent: e.sent }));
  return run('readwrite', (store) => store.put(record, owner()));
}

export function clearDraftFiles() {
  return run('readwrite', (store) => store.delete(owner()));
}
