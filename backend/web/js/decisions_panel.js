// decisions_panel.js -- on an issue's page, what the Department's meetings decided about it
// (GET /api/issues/{ref}/decisions): asked only when its history names a decision, shown
// to whoever reads the issue, the school included; staff may open each meeting.
import * as api from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { decisionCard } from './decision_card.js';
import { staffNames } from './staff_names.js';

const DECISION_ACTIONS = new Set(['decision', 'decision_done', 'decision_reopened']);

export async function decisionsPanel(issue, ctx, divisions) {
  if (!(issue.events || []).some((e) => DECISION_ACTIONS.has(e.action))) return null;
  let items;
  try {
    items = (await api.get(`/api/issues/${encodeURIComponent(issue.ref)}/decisions`)).items || [];
  } catch {
    return null;   // the timeline still says what was decided
  }
  if (!items.length) return null;
  const staff = ['officer', 'supervisor', 'admin'].includes(ctx.user.role);
  const names = staff ? await staffNames() : null;
  return h('section', { class: 'panel decisions-panel', 'aria-labelledby': 'issue-dec-h' },
    h('h2', { id: 'issue-dec-h' }, t('dec.panel')),
    h('ul', { class: 'cards decision-list' },
      items.map((d) => decisionCard(d, { divisions, meeting: staff ? 'link' : 'text', onIssue: issue.ref, names }))));
}
