// sharing.js -- an issue shared with all schools: the filing school's switch
// (share, stop sharing, or why it cannot), and another school's "our school has this too"
// with an optional note. Each shows only what the server's `can` says would work.
import * as api from './api.js';
import { h, field, verbatim } from './dom.js';
import { t, tParts } from './i18n.js';
import { showErrors, clearErrors } from './errors.js';
import { isEnded } from './issue_ended.js';

export function cosign(ref, note, key) {
  return api.post(`/api/issues/${encodeURIComponent(ref)}/cosigns`, note ? { note } : {}, { key });
}

// The filing school's principal: share, stop sharing, or the reason it cannot be shared.
export function sharingPanel(issue, ctx, done) {
  const can = issue.can || {};
  const own = ctx.user.role === 'principal' && issue.school === ctx.user.school;
  if (!own) return null;
  let text = issue.shared ? t('share.on') : t('share.private');
  if (!issue.shared && issue.category_sensitive) text = t('share.sensitive');
  const want = can.share ? true : can.unshare ? false : null;
  // A private issue that is over cannot be shared any more: nothing to say or do here.
  if (want === null && !issue.shared && isEnded(issue)) return null;
  const button = want === null ? null : h('button', { type: 'submit', class: want ? 'primary' : '' },
    t(want ? 'share.do' : 'share.undo'));
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', null, text),
    issue.schools_affected > 1 ? h('p', { class: 'hint' }, t('share.schools', { n: issue.schools_affected })) : null,
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    button ? h('div', { class: 'row' }, button) : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    button.disabled = true;
    try {
      const updated = await api.put(`/api/issues/${encodeURIComponent(issue.ref)}/sharing`, { shared: want });
      ctx.announce(t(want ? 'share.done' : 'share.undone'), 'success');
      done(updated);
    } catch (err) {
      showErrors(form, err);
      button.disabled = false;
    }
  });
  return h('section', { class: 'panel sharing-panel', 'aria-labelledby': 'share-h' },
    h('h2', { id: 'share-h' }, t('share.title')), form);
}

// Another school's principal on a shared issue: join it, with a note if they like; once
// joined, a line that says so.
export function cosignPanel(issue, ctx, done) {
  if (ctx.user.role !== 'principal' || issue.school === ctx.user.school) return null;
  if (issue.cosigned) {
    return h('p', { class: 'notice joined' }, t('cosign.joined'));
  }
  if (!issue.can?.cosign) return null;
  const note = h('textarea', { rows: '2', maxlength: '10000' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('cosign.do'));
  const form = h('form', { class: 'stack', novalidate: true },
    field(t('cosign.note'), note, { name: 'note', hint: t('cosign.note.hint') }),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'row' }, submit));
  const key = api.newKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    submit.disabled = true;
    try {
      const updated = await cosign(issue.ref, note.value.trim(), key);
      ctx.announce(t('cosign.done'), 'success');
      done(updated);
    } catch (err) {
      showErrors(form, err);
      submit.disabled = false;
    }
  });
  return h('section', { class: 'panel cosign-panel', 'aria-labelledby': 'cosign-h' },
    h('h2', { id: 'cosign-h' }, t('cosign.title')),
    h('p', null, tParts('cosign.lead', { school: verbatim(issue.school_name || issue.school) })),
    form);
}
