// dom.js -- builds elements from plain calls, so no screen ever concatenates HTML (no injection).

// h('button', {class: 'primary', onclick: fn, disabled: true}, 'Gửi', child, ...)
// Attributes: `class`, `text`, on<event> handlers, `dataset`, booleans; the rest via setAttribute.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = value;
      else if (name === 'dataset') Object.assign(el.dataset, value);
      else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
      else if (name === 'value' && 'value' in el) el.value = value;
      else if (value === true) el.setAttribute(name, '');
      else el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// Replaces everything inside `el` with `children`.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// Text that people wrote or proper names: kept as written in any language, marked so that
// screen readers pronounce it as Vietnamese and the language checks skip it.
export function verbatim(text, tag = 'span') {
  return h(tag, { class: 'verbatim', lang: 'vi' }, text ?? '');
}

let uniqueCounter = 0;
export function uid(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

// A labelled form control with a slot for its error sentence (aria-describedby points at it).
export function field(label, control, { hint, name } = {}) {
  const id = control.id || uid('f');
  control.id = id;
  if (name) control.name = name;
  const errorId = `${id}-err`;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const describedBy = [hintEl ? hintEl.id : null, errorId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  return h('div', { class: 'field', dataset: { field: name || '' } },
    h('label', { for: id }, label), hintEl, control,
    h('p', { class: 'field-error', id: errorId }));
}

export function options(items, selected) {
  return items.map(([value, label]) => h('option', { value, selected: value === selected }, label));
}

// parent.append() that skips null/false/undefined children and flattens arrays.
export function add(parent, ...children) {
  append(parent, children);
  return parent;
}
