// i18n.js -- the chosen language (Vietnamese unless the user switched), sentences by key,
// reference names, and times in Asia/Ho_Chi_Minh as people read them.
import { messages } from './messages.js';

const STORAGE_KEY = 'directline.lang';
const ZONE = 'Asia/Ho_Chi_Minh';
let current = readStoredLang();

function readStoredLang() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function lang() {
  return current;
}

export function setLang(next) {
  current = next === 'en' ? 'en' : 'vi';
  try { localStorage.setItem(STORAGE_KEY, current); } catch { /* private mode: session only */ }
  document.documentElement.lang = current;
}

// t('issue.filed', {ref: 'HT-...'}) -- {name} placeholders filled from params.
export function t(key, params) {
  const entry = messages[key];
  let text = entry ? entry[current === 'en' ? 1 : 0] : key;
  if (params) text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  return text;
}

// As t(), for a sentence with a name inside it: a parameter may be a DOM node (a name kept
// verbatim), put in place as it is. Returns the pieces, for h() or add().
export function tParts(key, params) {
  const entry = messages[key];
  const text = entry ? entry[current === 'en' ? 1 : 0] : key;
  return text.split(/\{(\w+)\}/).map((piece, i) => (i % 2 ? (params[piece] ?? `{${piece}}`) : piece));
}

export function has(key) {
  return key in messages;
}

// Categories and divisions carry `name` (Vietnamese) and `name_en`.
export function nameOf(item) {
  if (!item) return '';
  return (current === 'en' && item.name_en) ? item.name_en : item.name;
}

export function describe(item) {
  if (!item) return '';
  return (current === 'en' && item.description_en) ? item.description_en : (item.description || '');
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function parts(date) {
  const out = {};
  for (const p of partsFormat.formatToParts(date)) out[p.type] = p.value;
  return out;
}

// "15/10/2026 14:05" in Ha Tinh's time, whatever the device's zone.
export function dateTime(value) {
  if (!value) return '';
  const p = parts(new Date(value));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

export function dateOnly(value) {
  if (!value) return '';
  const p = parts(new Date(value));
  return `${p.day}/${p.month}/${p.year}`;
}

// The month (YYYY-MM) that it is now in Ha Tinh.
export function currentMonth() {
  const p = parts(new Date());
  return `${p.year}-${p.month}`;
}

const UNITS = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];

// "3 ngày trước" / "3 days ago"; "vừa xong" / "just now" within a minute.
export function ago(value, now = Date.now()) {
  if (!value) return '';
  const seconds = (new Date(value).getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return t('time.now');
}

// A length of time as its largest unit or two: "2 ngày 3 giờ", "45 phút".
export function duration(ms) {
  const minutes = Math.max(0, Math.round(ms / 60000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? t('dur.dh', { d: days, h: hours }) : t('dur.d', { d: days });
  if (hours > 0) return t('dur.h', { h: hours });
  return t('dur.m', { m: minutes % 60 });
}

// A <time> element: people's reading as text, the exact moment on hover and for machines.
export function timeEl(value, { relative = true } = {}) {
  const el = document.createElement('time');
  if (!value) return el;
  el.dateTime = value;
  el.textContent = relative ? ago(value) : dateTime(value);
  el.title = dateTime(value);
  return el;
}
