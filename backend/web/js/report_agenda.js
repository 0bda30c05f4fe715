// report_agenda.js -- making a meeting's agenda from the monthly report (docs/meetings.md,
// "Before the meeting"): a box on each unresolved issue, and once some are ticked a bar
// that asks the day and title and makes the province meeting with them, in list order.
import { h, fill } from './dom.js';
import { t } from './i18n.js';
import { meetingForm } from './meeting_form.js';

const MAX_AGENDA = 50;

// The month after the report's ("2026-10" -> [2026, 11]): the meeting that discusses it.
function nextMonth(month) {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? [y + 1, 1] : [y, m + 1];
}

// Its title's month ("11/2026") and its usual day, the 5th ("2026-11-05"), so that the
// title and the day proposed agree; the officer changes either.
function meetingMonth(month) {
  const [y, m] = nextMonth(month);
  const mm = String(m).padStart(2, '0');
  return { label: `${mm}/${y}`, day: `${y}-${mm}-05` };
}

// issues: the report's list (its order is the agenda's); month: the report's YYYY-MM.
export function agendaPicker(issues, month, ctx) {
  const ticked = new Set();
  const count = h('span', { class: 'agenda-count' });
  const make = h('button', { type: 'button', class: 'primary make-agenda' });
  const clear = h('button', { type: 'button', class: 'link-button' }, t('agenda.clear'));
  const tooMany = h('p', { class: 'form-error', role: 'alert' });
  const bar = h('div', { class: 'agenda-bar', role: 'region', 'aria-label': t('agenda.bar') },
    h('div', { class: 'row wrap' }, make, clear), tooMany);
  bar.hidden = true;
  const boxes = new Map();   // ref -> its checkbox on the page shown now

  function update() {
    const n = ticked.size;
    bar.hidden = n === 0;
    fill(make, t('agenda.make', { n }));
    make.disabled = n > MAX_AGENDA;
    tooMany.textContent = n > MAX_AGENDA ? t('agenda.too_many', { max: MAX_AGENDA }) : '';
    fill(count, n ? t('agenda.ticked', { n }) : '');
  }

  clear.addEventListener('click', () => {
    ticked.clear();
    for (const box of boxes.values()) box.checked = false;
    update();
  });

  make.addEventListener('click', async () => {
    const agenda = issues.map((i) => i.ref).filter((ref) => ticked.has(ref));
    const next = meetingMonth(month);
    const form = await meetingForm(ctx, {
      agenda,
      day: next.day,
      title: t('agenda.default_title', { month: next.label }),
      onMade: (meeting) => { dialog.close(); ctx.navigate(`/meetings/${meeting.id}`); },
    });
    const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, t('admin.cancel'));
    form.querySelector('.row').append(cancel);
    const dialog = h('dialog', { class: 'dialog agenda-dialog', 'aria-labelledby': 'agenda-dialog-h' },
      h('h2', { id: 'agenda-dialog-h' }, t('agenda.dialog')), form);
    dialog.addEventListener('close', () => { dialog.remove(); make.focus(); });
    document.body.append(dialog);
    dialog.showModal();
    form.querySelector('input')?.focus();
  });

  // The box for one row of the list (rows are drawn again on each page).
  function checkbox(issue) {
    const box = h('input', { type: 'checkbox', checked: ticked.has(issue.ref), 'aria-label': t('agenda.tick', { ref: issue.ref }) });
    box.addEventListener('change', () => {
      if (box.checked) ticked.add(issue.ref);
      else ticked.delete(issue.ref);
      update();
    });
    boxes.set(issue.ref, box);
    return box;
  }

  update();
  return { bar, count, checkbox };
}
