// issue_ended.js -- an issue that is over (closed, declined or a duplicate): what the server
// still takes on it (a comment, a file) folded under one line, so the page reads as finished.
import { h } from './dom.js';
import { t, tParts } from './i18n.js';

// The lifecycle's end states (docs/api.md): no action leads out of them.
export const ENDED_STATUSES = ['closed', 'declined', 'duplicate'];

export function isEnded(issue) {
  return ENDED_STATUSES.includes(issue.status);
}

// `content` as it is on a live issue; on an ended one, closed under `summary`, with a line
// saying where the issue stands (lead) above it once opened.
export function foldWhenEnded(issue, summary, content, { lead = true, name = '' } = {}) {
  if (!content || !isEnded(issue)) return content;
  return h('details', { class: `ended-fold${name ? ` ended-fold-${name}` : ''}` },
    h('summary', null, summary),
    lead ? endedLine(issue) : null,
    content);
}

function endedLine(issue) {
  if (issue.status === 'duplicate' && issue.duplicate_of) {
    return h('p', { class: 'hint' }, tParts('issue.ended.duplicate',
      { ref: h('a', { href: `/issues/${issue.duplicate_of}` }, issue.duplicate_of) }));
  }
  return h('p', { class: 'hint' }, t(`issue.ended.${issue.status === 'duplicate' ? 'closed' : issue.status}`));
}
