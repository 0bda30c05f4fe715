// practice.js -- one practice of the library (docs/practices.md): the problem, what was
// done, the files that travel with it, where it comes from; its status and the
// Department's note for the school that proposed it; the reviewers' tools beside it.
import { h, fill, verbatim } from '../dom.js';
import { t } from '../i18n.js';
import { byCode } from '../refdata.js';
import { sizeText } from '../attachments.js';
import { practiceStatusBadge, practiceOrigin, practiceCategory, practiceDay } from '../practice_bits.js';
import { reviewTools } from '../practice_review.js';
import { loadOne } from '../load_one.js';

const STAFF = ['officer', 'supervisor', 'admin'];

export async function render(main, params, ctx) {
  const [practice, categories] = await Promise.all([load(params.id, main), byCode('categories')]);
  if (!practice) return;
  // After a change: the server's new picture, and the focus on the heading (the button
  // pressed is gone).
  const redraw = async (fresh) => {
    const latest = fresh?.files ? fresh : await load(params.id, main);
    if (!latest) return;
    fill(main, content(latest, categories, ctx, redraw));
    const heading = main.querySelector('h1');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus({ preventScroll: true });
  };
  fill(main, content(practice, categories, ctx, redraw));
}

function load(id, main) {
  return loadOne(main, `/api/practices/${encodeURIComponent(id)}`,
    { notFound: 'practice.notfound', back: '/practices', backLabel: 'practice.title' });
}

function content(practice, categories, ctx, redraw) {
  const tools = reviewTools(practice, ctx, redraw);
  // The Department's note is for the school that proposed it, and for staff.
  const ownSchool = ctx.user.role === 'principal' && practice.school === ctx.user.school;
  const showNote = practice.review_note && (ownSchool || STAFF.includes(ctx.user.role));
  const files = practice.files || [];
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '/practices' }, t('practice.title'))),
    h('h1', null, verbatim(practice.title)),
    h('p', { class: 'meta practice-meta' },
      practice.status !== 'published' ? practiceStatusBadge(practice.status) : null,
      h('span', { class: 'practice-category' }, practiceCategory(practice, categories)),
      h('span', { 'aria-hidden': 'true' }, '·'),
      h('span', { class: 'practice-origin' }, practiceOrigin(practice)),
      h('span', { 'aria-hidden': 'true' }, '·'),
      h('span', null, practiceDay(practice)),
      // Only those who read the issue are given its reference.
      practice.issue_ref ? [h('span', { 'aria-hidden': 'true' }, '·'), h('span', null, t('practice.from_issue'), ' ',
        h('a', { href: `/issues/${practice.issue_ref}`, class: 'ref' }, practice.issue_ref))] : null),
    showNote ? h('p', { class: `notice practice-note practice-note-${practice.status}` },
      h('strong', null, t('practice.review_note'), ': '), verbatim(practice.review_note)) : null,
    h('div', { class: tools ? 'practice-layout with-tools' : 'practice-layout' },
      h('article', { class: 'practice-body' },
        h('section', { class: 'panel', 'aria-labelledby': 'problem-h' },
          h('h2', { id: 'problem-h' }, t('practice.problem')),
          verbatim(practice.problem, 'p')),
        h('section', { class: 'panel practice-solution', 'aria-labelledby': 'solution-h' },
          h('h2', { id: 'solution-h' }, t('practice.solution')),
          verbatim(practice.solution, 'p')),
        files.length ? h('section', { class: 'panel', 'aria-labelledby': 'files-h' },
          h('h2', { id: 'files-h' }, t('practice.files')),
          h('ul', { class: 'files practice-files' }, files.map(fileItem))) : null),
      tools ? h('aside', { class: 'practice-side', 'aria-label': t('practice.tools') }, tools) : null),
  ];
}

// A file as a download link; a photo is shown too (a repaired toilet says more than its
// name). Its name is the link's text, so the picture itself needs no words.
function fileItem(file) {
  const href = `/api/practice-files/${file.id}`;
  return h('li', null,
    file.type?.startsWith('image/') ? h('img', { src: href, alt: '', loading: 'lazy', class: 'practice-photo' }) : null,
    h('a', { href, download: file.name }, h('span', { class: 'verbatim', lang: 'vi' }, file.name)),
    ' ', h('span', { class: 'hint' }, sizeText(file.size)));
}
