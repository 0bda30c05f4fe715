// meeting_form.js -- the form that makes a meeting (POST /api/meetings): on the meetings'
// screen its kind, cluster, day and title; from the monthly report a province meeting with
// the ticked issues as its agenda, so only the day and the title are asked.
import { h, field, options } from './dom.js';
import { t } from './i18n.js';
import { list } from './refdata.js';
import { todayInHaTinh } from './decision_bits.js';
import { formFooter, blankFields, submitCreate } from './form_submit.js';
import { sayWhichRefs } from './decision_form.js';

// onMade(meeting) runs once the server has made it; day: the one proposed (else today).
export async function meetingForm(ctx, { agenda = null, title = '', day: proposed = '', onMade }) {
  const clusters = agenda ? [] : await list('clusters');
  const kind = h('select', null, options([['province', t('meet.kind.province_long')],
    ['cluster', t('meet.kind.cluster_long')]], 'province'));
  const cluster = h('select', { class: 'verbatim' }, options(clusters.map((c) => [c.code, `${c.code} · ${c.name}`])));
  const clusterField = field(t('meet.f.cluster'), cluster, { name: 'cluster' });
  clusterField.hidden = true;
  kind.addEventListener('change', () => { clusterField.hidden = kind.value !== 'cluster'; });
  const day = h('input', { type: 'date', required: true, value: proposed || todayInHaTinh() });
  const titleInput = h('input', { required: true, maxlength: '200', autocomplete: 'off', value: title });
  const submit = h('button', { type: 'submit', class: 'primary' }, t(agenda ? 'meet.make_agenda' : 'meet.make'));
  const form = h('form', { class: 'stack meeting-form', novalidate: true },
    agenda ? null : h('div', { class: 'grid2' }, field(t('meet.f.kind'), kind, { name: 'kind' }), clusterField),
    h('div', { class: 'grid2' },
      field(t('meet.f.day'), day, { name: 'held_on' }),
      field(t('meet.f.title'), titleInput, { name: 'title' })),
    // Where the server's word on an agenda item lands: the references, one by one.
    agenda ? h('div', { class: 'field', dataset: { field: 'agenda' } },
      h('p', { class: 'hint' }, t('meet.agenda_refs', { n: agenda.length }), ' ', h('span', { class: 'ref' }, agenda.join(', '))),
      h('p', { class: 'field-error' })) : null,
    formFooter(submit));

  submitCreate(form, submit, ctx, {
    path: '/api/meetings',
    missing: () => blankFields([[day, 'held_on'], [titleInput, 'title']]),
    payload: () => {
      if (agenda) return { kind: 'province', held_on: day.value, title: titleInput.value.trim(), agenda };
      const body = { kind: kind.value, held_on: day.value, title: titleInput.value.trim() };
      if (kind.value === 'cluster') body.cluster = cluster.value;
      return body;
    },
    successKey: 'meet.made',
    onDone: onMade,
    failed: agenda ? (err) => sayWhichRefs(form, err, 'agenda', agenda) : undefined,
  });
  return form;
}
