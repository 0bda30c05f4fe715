// refdata.js -- the reference lists (categories, divisions, clusters, schools), each read
// once per session and looked up by code.
import { get } from './api.js';

const cache = new Map();

export function list(kind) {
  if (!cache.has(kind)) {
    const pending = get(`/api/${kind}`).then((data) => data.items || []);
    pending.catch(() => cache.delete(kind));   // a failed read is tried again next time
    cache.set(kind, pending);
  }
  return cache.get(kind);
}

export async function byCode(kind) {
  const items = await list(kind);
  return new Map(items.map((item) => [item.code, item]));
}

// After an admin changes a list.
export function forget(kind) {
  cache.delete(kind);
}
