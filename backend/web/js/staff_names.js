// staff_names.js -- the names of the Department's officers and supervisors by login, read
// once per session: a meeting and its decisions name who made, recorded or did them by
// login only, and people read names.
import { get } from './api.js';

let pending = null;

// Resolves to a Map login -> name (empty when the list cannot be read: logins are shown).
export function staffNames() {
  pending ??= get('/api/officers').then((data) => new Map((data.items || []).map((o) => [o.login, o.name])))
    .catch(() => { pending = null; return new Map(); });
  return pending;
}
