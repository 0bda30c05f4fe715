// practice_form.js -- the text of a practice as a form edits it (docs/practices.md): its
// title, the problem and what was done, and where asked its category; the reminder to take
// people's names out, since every school reads what is published. Shared by the school's
// proposal, the publishing of an issue's answer and the Department's edit.
import { h, field, options } from './dom.js';
import { t, nameOf } from './i18n.js';

const TEXT_MAX = '5000';

// values: {title, problem, solution, category}; categories: the list to choose from, or
// null when the category is not asked (it comes from the issue).
export function practiceFields(values = {}, categories = null) {
  const title = h('input', { maxlength: '200', required: true, autocomplete: 'off', value: values.title || '' });
  const problem = h('textarea', { rows: '5', maxlength: TEXT_MAX, required: true });
  const solution = h('textarea', { rows: '7', maxlength: TEXT_MAX, required: true });
  problem.value = values.problem || '';
  solution.value = values.solution || '';
  const category = categories ? h('select', { required: true },
    values.category ? null : h('option', { value: '' }, t('practice.f.choose')),
    options(categories.map((c) => [c.code, nameOf(c)]), values.category || '')) : null;
  const elements = [
    h('p', { class: 'notice names-hint' }, t('practice.f.names')),
    category ? field(t('practice.f.category'), category, { name: 'category' }) : null,
    field(t('practice.f.title'), title, { name: 'title', hint: t('practice.f.title.hint') }),
    field(t('practice.f.problem'), problem, { name: 'problem', hint: t('practice.f.problem.hint') }),
    field(t('practice.f.solution'), solution, { name: 'solution', hint: t('practice.f.solution.hint') }),
  ];
  const controls = { category, title, problem, solution };   // in the form's order
  return {
    elements,
    // The trimmed texts (and category), as the server takes them.
    values() {
      const out = { title: title.value.trim(), problem: problem.value.trim(), solution: solution.value.trim() };
      if (category) out.category = category.value;
      return out;
    },
    // The server's words for what is missing, before it is asked.
    missing() {
      return Object.entries(controls).filter(([, c]) => c && !c.value.trim())
        .map(([name]) => ({ field: name, code: 'required' }));
    },
  };
}
