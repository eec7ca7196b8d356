// qayd review screen. Plain JS, no build step. Every user-facing string comes
// from the message catalogue (/i18n/catalogue); every data field is written
// with textContent, never innerHTML.
'use strict';

const state = { messages: {}, lang: 'en', digits: 'latn', vocab: {}, me: null, lastUndo: null, item: null,
                busy: false, gen: 0, queueOffset: 0 };

// ---- i18n -------------------------------------------------------------------
function t(key, params) {
  let s = Object.prototype.hasOwnProperty.call(state.messages, key) ? state.messages[key] : key;
  for (const [k, v] of Object.entries(params || {})) s = s.split('{' + k + '}').join(String(v));
  return s;
}

async function loadCatalogue(lang) {
  const url = '/i18n/catalogue' + (lang ? '?lang=' + encodeURIComponent(lang) : '');
  const res = await fetch(url, { credentials: 'same-origin' });
  const cat = await res.json();
  state.messages = cat.messages;
  state.lang = cat.lang;
  document.documentElement.lang = cat.lang;
  document.documentElement.dir = cat.dir;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.title = t('app.title');
  document.getElementById('lang').value = cat.lang;
  document.getElementById('digits-box').hidden = cat.lang !== 'ar';
}

function setLanguage(lang) {
  document.cookie = 'qayd_lang=' + lang + '; Path=/; SameSite=Strict; Max-Age=31536000';
  loadCatalogue(lang).then(route);
}

// Digits for Arabic pages: 'latn' (0-9, the default) or 'arab' (٠-٩), remembered like the language.
function cookieValue(name) {
  const m = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return m ? m.slice(name.length + 1) : '';
}
function setDigits(digits) {
  state.digits = digits === 'arab' ? 'arab' : 'latn';
  document.cookie = 'qayd_digits=' + state.digits + '; Path=/; SameSite=Strict; Max-Age=31536000';
  document.getElementById('digits').value = state.digits;
}

// ---- numbers, dates, vocabularies in the chosen language (Intl = ICU) ----------------
function locale() { return state.lang === 'ar' ? 'ar-u-nu-' + state.digits : 'en'; }
function fmtNum(n, fraction) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '';
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: fraction || 0,
                                           maximumFractionDigits: fraction || 0 }).format(n);
}
// A number with its noun, in the form the page's language needs for it: Intl.PluralRules
// (CLDR) picks count.<noun>.zero|one|two|few|many|other (Arabic uses all six: يوم واحد,
// يومان, ٣ أيام, ١١ يومًا, ١٠٠ يوم; English one and other).
function count(noun, n) {
  return t('count.' + noun + '.' + new Intl.PluralRules(state.lang).select(Number(n)), { n: fmtNum(n) });
}
// Identifiers: digits of the chosen system, no grouping.
function fmtId(n) { return new Intl.NumberFormat(locale(), { useGrouping: false }).format(n); }
// Digits inside free text (ages like 30-40) in the chosen system.
function fmtDigits(text) {
  if (text === null || text === undefined) return '';
  return String(text).replace(/[0-9]/g, (d) => fmtId(Number(d)));
}
// A fuzzy date "YYYY", "YYYY-MM" or "YYYY-MM-DD" at its own precision.
function fmtDate(text) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text || '');
  if (!m) return fmtDigits(text);
  const opts = { year: 'numeric', timeZone: 'UTC' };
  if (m[2]) opts.month = 'long';
  if (m[3]) opts.day = 'numeric';
  const d = new Date(Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1));
  return new Intl.DateTimeFormat(locale(), opts).format(d);
}
function fmtPct(n) { return new Intl.NumberFormat(locale(), { style: 'percent' }).format((Number(n) || 0) / 100); }
function fmtTime(ms) {
  if (!ms) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
    .format(new Date(ms));
}
async function loadVocabulary() {
  const res = await api('GET', '/api/v1/vocabulary');
  if (res.ok && res.data && res.data.kinds) state.vocab = res.data.kinds;
}
const fold = (s) => String(s || '').toLowerCase().replace(/[_-]/g, ' ').replace(/\s+/g, ' ').trim();
function vocabEntry(kind, value) {
  const f = fold(value);
  return (state.vocab[kind] || []).find((e) => fold(e.code) === f || fold(e.label_en) === f || fold(e.label_ar) === f);
}
// The label of a vocabulary value in the chosen language; unknown values as given.
function vocabLabel(kind, value) {
  if (!value) return '';
  const e = vocabEntry(kind, value);
  return e ? (state.lang === 'ar' ? e.label_ar : e.label_en) : value;
}

// ---- DOM helpers ----------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
const txt = (key, params) => t(key, params);
// A name or any user-supplied text that may be Arabic: isolated, direction from content.
const bdi = (text, cls) => el('bdi', { dir: 'auto', class: cls }, text || '');

function app() { return document.getElementById('app'); }
function show(...nodes) { app().replaceChildren(...nodes.filter((n) => n !== null && n !== undefined)); }
// Views are async: a view started by an older route must not replace a newer one.
function showFor(gen, ...nodes) { if (gen === state.gen) show(...nodes); }
function status(message, isError) {
  const s = document.getElementById('status');
  s.textContent = message || '';
  s.className = isError ? 'error' : '';
}

// ---- API ----------------------------------------------------------------------------
async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.me) headers['X-CSRF-Token'] = state.me.csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin',
                              body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, data: { error: { code: 'network' } }, retryAfter: null };
  }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  return { ok: res.ok, status: res.status, data, retryAfter: res.headers.get('Retry-After') };
}

// The stable API error code of a response ("network" when the server was not
// reached, the HTTP status when the body carries none).
function errorCode(res) {
  return res.data && res.data.error && res.data.error.code ? res.data.error.code : String(res.status);
}
// The user's-language text of an API error: err.<code>, else the generic text with the code.
function errorText(res) {
  const code = errorCode(res);
  const key = 'err.' + code;
  return Object.prototype.hasOwnProperty.call(state.messages, key) ? t(key) : t('error.generic', { code });
}

function errorView(res) {
  return el('p', { class: 'error-page', 'data-testid': 'error', 'data-code': errorCode(res) }, errorText(res));
}

function primaryName(record) { return record && record.names && record.names[0] ? record.names[0].full : ''; }

// ---- login -------------------------------------------------------------------------
function loginView() {
  const user = el('input', { id: 'login-user', autocomplete: 'username', required: true });
  const pass = el('input', { id: 'login-password', type: 'password', autocomplete: 'current-password',
                             required: true });
  const form = el('form', { id: 'login-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const res = await api('POST', '/api/v1/login', { user: user.value, password: pass.value });
    if (res.ok) {
      state.me = res.data;
      status('');
      afterLogin();
      location.hash = '#/queue';
      route();
    } else if (res.status === 429) {
      status(t('login.throttled', { seconds: res.retryAfter || '?' }), true);
    } else {
      status(res.status === 401 ? t('login.failed') : errorText(res), true);
    }
  } },
  el('h1', {}, txt('login.title')),
  el('p', {}, el('label', {}, txt('login.user'), ' ', user)),
  el('p', {}, el('label', {}, txt('login.password'), ' ', pass)),
  el('button', { type: 'submit', id: 'login-submit' }, txt('login.submit')));
  show(form);
}

function afterLogin() {
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  for (const id of ['nav-admin', 'nav-users', 'nav-settings']) {
    document.getElementById(id).hidden = !(state.me && state.me.role === 'admin');
  }
  document.getElementById('who').textContent = state.me ? state.me.user : '';
}

// How long an item has waited: minutes, hours or days.
function fmtWait(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  if (s < 3600) return count('minute', Math.floor(s / 60));
  if (s < 48 * 3600) return count('hour', Math.floor(s / 3600));
  return count('day', Math.floor(s / 86400));
}

// ---- queue ---------------------------------------------------------------------------
const queueFilters = ['governorate', 'source', 'min_score', 'max_score', 'death_from', 'death_to'];
const filterValues = {};

function queueQuery() {
  const q = new URLSearchParams();
  for (const f of queueFilters) if (filterValues[f]) q.set(f, filterValues[f]);
  // The server orders the whole queue (pages follow one another; "next" takes
  // the first unclaimed item in this order).
  if (state.queueSort && state.queueSort !== 'oldest') q.set('sort', state.queueSort);
  return q;
}

async function queueView() {
  const gen = state.gen;
  const q = queueQuery();
  q.set('offset', state.queueOffset);
  q.set('limit', 50);
  const res = await api('GET', '/api/v1/review/queue?' + q.toString());
  if (!res.ok) return showFor(gen, errorView(res));
  const inputs = queueFilters.map((f) => {
    let input;
    if (f === 'governorate') {
      input = el('select', { name: f }, el('option', { value: '' }, txt('queue.any')),
        (state.vocab.governorate || []).map((e) => el('option', { value: e.label_en, selected: filterValues[f] === e.label_en },
          state.lang === 'ar' ? e.label_ar : e.label_en)));
    } else {
      input = el('input', { name: f, value: filterValues[f] || '', size: f.endsWith('score') ? 5 : 10,
                            type: f.startsWith('death') ? 'date' : f.endsWith('score') ? 'number' : 'text', step: 'any' });
    }
    input.addEventListener('change', () => { filterValues[f] = input.value; });
    return el('label', {}, txt('queue.filter.' + f), ' ', input);
  });
  const sort = el('select', { id: 'queue-sort', onchange: () => {
    state.queueSort = sort.value; state.queueOffset = 0; queueView(); } },
    ['oldest', 'score_desc', 'score_asc', 'death'].map((k) => el('option', { value: k, selected: (state.queueSort || 'oldest') === k },
      txt('queue.sort.' + k))));
  const counts = await api('GET', '/api/v1/counts');
  const filterForm = el('form', { class: 'inline', onsubmit: (ev) => {
    ev.preventDefault(); state.queueOffset = 0; queueView(); } },
    inputs, el('button', { type: 'submit' }, txt('queue.filter.apply')));
  const rows = res.data.items.map((it) => el('tr', { 'data-item': it.id },
    el('td', {}, fmtId(it.id)), el('td', {}, bdi(it.name, 'name')),
    el('td', {}, fmtNum(it.top_score, 2)), el('td', {}, fmtDate(it.date_of_death)),
    el('td', {}, bdi(vocabLabel('governorate', it.governorate))), el('td', {}, bdi(it.source)),
    el('td', {}, fmtWait(it.age_s)), el('td', {}, bdi(it.claimed_by)),
    el('td', {}, el('a', { href: '#/item/' + it.id }, txt('queue.open')))));
  const table = rows.length ? el('div', { class: 'scroll' }, el('table', { id: 'queue-table' },
    el('thead', {}, el('tr', {}, ['item', 'name', 'score', 'date', 'governorate', 'source', 'age',
                                  'claimed', ''].map((c) => el('th', {}, c ? txt('queue.col.' + c) : '')))),
    el('tbody', {}, rows))) : el('p', { id: 'queue-empty' }, txt('queue.empty'));
  const pager = el('p', {},
    state.queueOffset > 0 ? el('button', { type: 'button', onclick: () => {
      state.queueOffset = Math.max(0, state.queueOffset - 50); queueView(); } }, txt('queue.prev')) : null,
    rows.length === 50 ? el('button', { type: 'button', onclick: () => {
      state.queueOffset += 50; queueView(); } }, txt('queue.more')) : null);
  const total = counts.ok ? el('p', { id: 'queue-total' }, txt('queue.total', { n: count('item', counts.data.pending_reviews) }),
    ' · ', txt('queue.shown', { from: fmtNum(res.data.items.length ? state.queueOffset + 1 : 0),
                               to: fmtNum(state.queueOffset + res.data.items.length) })) : null;
  showFor(gen, el('h1', {}, txt('queue.title')), total, filterForm, el('p', {}, el('label', {}, txt('queue.sort'), ' ', sort)),
       el('p', {}, el('button', { id: 'queue-next', type: 'button', onclick: nextItem }, txt('queue.next'))),
       table, pager);
}

async function nextItem() {
  const res = await api('POST', '/api/v1/review/next?' + queueQuery().toString());
  if (res.ok) { location.hash = '#/item/' + res.data.item_id; return; }
  if (res.status === 404) {  // nothing unclaimed left: the queue shows what others (or you) hold
    const saved = document.getElementById('status').textContent;
    if (location.hash === '#/queue') await queueView(); else location.hash = '#/queue';
    status([saved, t('queue.none_unclaimed')].filter(Boolean).join(' '));
    return;
  }
  status(errorText(res), true);
}

// ---- item -------------------------------------------------------------------------------
function nameBlock(report) {
  const names = (report.record.names || []).map((n, i) => el('div', {},
    bdi(n.full, 'name'), report.translit[i] ? el('span', { class: 'latin', dir: 'auto' }, report.translit[i]) : null));
  return el('div', { class: 'names' }, names);
}

// ---- the explanation, for humans -------------------------------------------------------------
// A field or level of the engine's explanation in the page's language; an
// identifier the catalogue does not know yet is shown humanised, never raw.
function whyLabel(kind, id) {
  const key = 'why.' + kind + '.' + String(id).replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  if (Object.prototype.hasOwnProperty.call(state.messages, key)) return t(key);
  return String(id).replace(/[._-]+/g, ' ');
}
// The engine's detail text, rebuilt in the page's language from its known
// shapes; names inside are bidi-isolated. Unknown shapes are shown isolated as given.
function whyDetail(detail) {
  if (!detail) return '';
  let m = /^(.*) ~ (.*) \[(.*)\|(.*)\] \(freq (\d+),(\d+) of (\d+)\)$/.exec(detail);
  if (m) {
    return el('span', {}, bdi(m[1], 'name-part'), ' ↔ ', bdi(m[2], 'name-part'), ' · ',
      t('why.detail.freq', { a: fmtNum(Number(m[5])), b: fmtNum(Number(m[6])), total: count('name_part', Number(m[7])) }));
  }
  const dob = '(\\d{4}-\\d{2}-\\d{2} \\(held by \\d+ indexed\\)|\\d{4} \\(year only\\)|none)';
  m = new RegExp('^' + dob + ' ~ ' + dob + '(?:, (\\d+) days apart)?$').exec(detail);
  if (m) {
    const side = (x) => {
      const held = /^(\S+) \(held by (\d+) indexed\)$/.exec(x);
      if (held) return t('why.detail.dob_held', { date: fmtDate(held[1]), n: count('report', Number(held[2])) });
      return x === 'none' ? t('why.detail.dob_none') : t('why.detail.dob_year', { year: fmtId(Number(x.slice(0, 4))) });
    };
    return el('span', {}, side(m[1]), ' ~ ', side(m[2]),
      m[3] ? ' · ' + t('why.detail.days', { n: count('day', Number(m[3])) }) : '');
  }
  const shapes = [
    [/^(\d+) days apart; one date is a common placeholder$/, (x) => t('why.detail.days_placeholder', { n: count('day', Number(x[1])) })],
    [/^(\d+) days apart$/, (x) => t('why.detail.days', { n: count('day', Number(x[1])) })],
    [/^same day \(date shared by (\d+) indexed\)$/, (x) => t('why.detail.same_day', { n: count('report', Number(x[1])) })],
    [/^age (\d+) vs born (\d+), died (\d+)$/, (x) => t('why.detail.age_vs_dob',
      { age: fmtNum(Number(x[1])), born: fmtId(Number(x[2])), died: fmtId(Number(x[3])) })],
    [/^(\d+) years apart$/, (x) => t('why.detail.years', { n: count('year', Number(x[1])) })],
    [/^years only$/, () => t('why.detail.years_only')],
    [/^only one side has a date of birth$/, () => t('why.detail.one_dob')],
    [/^parts shifted by one position$/, () => t('why.detail.shifted')],
    [/^no usable name on one side$/, () => t('why.detail.no_name')],
    [/^first names differ: never merged automatically$/, () => t('why.detail.first_cap')],
    [/^capped at review: first names differ \(relatives share the other parts\)$/, () => t('why.detail.cap_first')],
    [/^capped at review: dates of birth (\d+) years apart$/, (x) => t('why.detail.cap_dob', { n: count('year', Number(x[1])) })],
    [/^capped at review: ages (\d+) years apart$/, (x) => t('why.detail.cap_age', { n: count('year', Number(x[1])) })],
    [/^capped at review: sexes differ$/, () => t('why.detail.cap_sex')],
    [/^capped at review: dates of death (\d+) days apart$/, (x) => t('why.detail.cap_dod', { n: count('day', Number(x[1])) })],
    [/^capped at review: governorates of death differ$/, () => t('why.detail.cap_place')],
    [/^capped at review: only (\d+) name parts agree and no date of birth, date of death or place agrees$/,
      (x) => t('why.detail.cap_evidence', { n: count('name_part', Number(x[1])) })],
    [/^capped at review: a placeholder date of birth against none, and no date of death or place agrees$/,
      () => t('why.detail.cap_placeholder_undated')],
    [/^capped at review: family names differ \((.*) \/ (.*)\)$/, (x) => el('span', {}, t('why.detail.cap_family'), ' ',
      bdi(x[1], 'name-part'), ' / ', bdi(x[2], 'name-part'))],
    [/^capped at review: fathers' names differ \((.*) \/ (.*)\)$/, (x) => el('span', {}, t('why.detail.cap_father'), ' ',
      bdi(x[1], 'name-part'), ' / ', bdi(x[2], 'name-part'))],
  ];
  for (const [re, fn] of shapes) { m = re.exec(detail); if (m) return fn(m); }
  return bdi(detail);
}

function contributions(cmp) {
  const rows = cmp.explanation.fields.map((f) => el('tr', { 'data-field': f.field, 'data-level': f.level },
    el('th', {}, whyLabel('field', f.field)), el('td', {}, whyLabel('level', f.level)),
    el('td', { class: 'num ' + (f.weight < 0 ? 'weight-neg' : 'weight-pos') }, fmtNum(f.weight, 2)),
    el('td', {}, whyDetail(f.detail))));
  rows.push(el('tr', { class: 'total' }, el('th', { colspan: 2 }, txt('item.total')),
                el('th', { class: 'num', id: 'why-total', 'data-total': cmp.explanation.total },
                  fmtNum(cmp.explanation.total, 2)), el('td', {})));
  return el('table', { id: 'contributions', class: 'grid' },
    el('colgroup', {}, el('col', { class: 'w-field' }), el('col', { class: 'w-level' }), el('col', { class: 'w-weight' }),
       el('col', {})), el('thead', {}, el('tr', {},
    ['item.field', 'item.level', 'item.weight', 'item.detail'].map((k) => el('th', {}, txt(k))))),
    el('tbody', {}, rows));
}

function eventsTable(events) {
  if (!events.length) return el('p', {}, txt('item.none'));
  return el('table', { class: 'events grid' }, el('tbody', {}, events.map((e) => el('tr', {},
    el('td', {}, fmtId(e.seq)), el('td', {}, whyLabel('event', e.type)), el('td', {}, bdi(e.actor)),
    el('td', {}, fmtTime(e.at_ms)),
    el('td', {}, bdi(e.details ? [e.details.decision ? t('decision.' + e.details.decision) : '', e.details.reason,
                                  e.details.relation ? t('relation.' + e.details.relation) : ''].filter(Boolean).join(' · ')
                               : e.details_text))))));
}

// ---- the comparison table: a row per field, incoming | mark | candidate ------------------------
function markCell(mark, text) {
  return el('td', { class: 'mark mark-' + mark, 'data-mark': mark }, text || txt('mark.' + mark));
}
function plainMark(a, b) {
  if (!a || !b) return 'missing';
  return fold(a) === fold(b) ? 'agree' : 'disagree';
}
function placeText(r) {
  const p = r.place_of_death || {};
  return [vocabLabel('governorate', p.governorate), p.district, p.locality].filter(Boolean).join(' / ');
}
function dateCell(text, precision) {
  if (!text) return '—';
  return el('span', {}, fmtDate(text), ' ', el('small', { class: 'muted' }, '(', t('precision.' + precision), ')'));
}
function dateMark(d) {
  if (d.gap_days === null) return markCell('missing', txt('item.gap_unknown'));
  const mark = d.gap_days === 0 ? 'agree' : d.gap_days <= 7 ? 'near' : 'disagree';
  const cell = markCell(mark, txt('item.gap_days', { days: count('day', d.gap_days) }));
  cell.dataset.gap = d.gap_days;
  return cell;
}

function compareTable(incoming, cand) {
  const cmp = cand ? cand.comparison : null;
  const best = cand ? (cand.reports.find((r) => cmp && r.id === cmp.report_b) || cand.reports[0]) : null;
  const a = incoming.record, b = best ? best.record : {};
  const conflicts = (cmp && cmp.conflicts) || {};
  const rows = [];
  const row = (field, label, va, mark, vb, cls) => rows.push(el('tr', { 'data-field': field, class: cls },
    el('th', { scope: 'row' }, label), el('td', { class: 'side-a' }, va), mark, el('td', { class: 'side-b' }, vb)));
  row('names', txt('item.names'), nameBlock(incoming), el('td', { class: 'mark' }), best ? nameBlock(best) : '—');
  for (const p of (cmp ? cmp.alignment : [])) {
    if (!p.a && !p.b) continue;
    const side = (text, other, n) => text ? el('span', {}, bdi(text, 'name-part'),
      other ? el('span', { class: 'latin', dir: 'auto' }, other) : null,
      el('small', { class: 'muted commonness' }, ' · ', count('report', n))) : '—';
    row('part.' + p.part, txt('part.' + p.part), side(p.a, p.a_translit, p.commonness_a), markCell(p.mark),
        side(p.b, p.b_translit, p.commonness_b));
    rows[rows.length - 1].dataset.part = p.part;
  }
  const sexText = (r) => (r.sex ? t('sex.' + r.sex) : '');
  row('sex', txt('item.sex'), sexText(a) || '—', markCell(conflicts.sex ? 'disagree' : plainMark(a.sex, b.sex)),
      sexText(b) || '—', conflicts.sex ? 'conflict' : null);
  row('age', txt('item.age'), fmtDigits(a.age) || '—',
      markCell(conflicts.age ? 'disagree' : plainMark(a.age, b.age) === 'disagree' ? 'near' : plainMark(a.age, b.age)),
      fmtDigits(b.age) || '—', conflicts.age ? 'conflict' : null);
  if (cmp) {
    row('date_of_death', txt('item.date_of_death'), dateCell(a.date_of_death, cmp.date_of_death.precision_a),
        dateMark(cmp.date_of_death), dateCell(b.date_of_death, cmp.date_of_death.precision_b));
    row('date_of_birth', txt('item.date_of_birth'), dateCell(a.date_of_birth, cmp.date_of_birth.precision_a),
        dateMark(cmp.date_of_birth), dateCell(b.date_of_birth, cmp.date_of_birth.precision_b));
  } else {
    row('date_of_death', txt('item.date_of_death'), fmtDate(a.date_of_death) || '—', markCell('missing'), '—');
  }
  const pa = placeText(a), pb = placeText(b);
  row('place_of_death', txt('item.place_of_death'), bdi(pa) , markCell(conflicts.place_of_death ? 'disagree' : plainMark(pa, pb)),
      bdi(pb), conflicts.place_of_death ? 'conflict' : null);
  const vocabRow = (field, key, kind) => {
    const va = vocabLabel(kind, a[field]), vb = vocabLabel(kind, b[field]);
    if (!va && !vb) return;
    row(field, txt(key), bdi(va), markCell(plainMark(va, vb)), bdi(vb));
  };
  vocabRow('governorate_of_origin', 'item.origin', 'governorate');
  vocabRow('cause', 'item.cause', 'cause');
  vocabRow('perpetrator', 'item.perpetrator', 'perpetrator');
  if (a.incident_id || b.incident_id) row('incident_id', txt('item.incident'), bdi(a.incident_id), markCell(plainMark(a.incident_id, b.incident_id)), bdi(b.incident_id));
  const src = (r, rep) => el('span', {}, bdi(r.source), ' · ', bdi(r.source_type), ' · ', bdi(r.reliability),
    ' · ', el('a', { href: '#/victim/' + (rep === incoming ? state.item.data.item.provisional_victim_id : cand.victim_id) },
              txt('report.number', { id: fmtId(rep.id) })));
  row('source', txt('report.source'), src(a, incoming), el('td', { class: 'mark' }), best ? src(b, best) : '—');
  if (a.submitter || b.submitter) {
    const contact = (r) => (r.submitter ? bdi([r.submitter.relation, r.submitter.contact].join(' · ')) : '—');
    row('contact', txt('report.contact'), contact(a), el('td', { class: 'mark' }), contact(b));
  }
  return el('table', { id: 'compare', class: 'grid compare' },
    el('colgroup', {}, el('col', { class: 'c-label' }), el('col', { class: 'c-side' }), el('col', { class: 'c-mark' }),
       el('col', { class: 'c-side' })),
    el('thead', {}, el('tr', {}, el('th', {}, txt('item.field')), el('th', {}, txt('item.incoming')),
       el('th', {}, txt('item.mark')), el('th', {}, cand ? txt('item.candidate', { id: fmtId(cand.victim_id) }) : txt('item.no_candidate')))),
    el('tbody', {}, rows));
}

// ---- item -------------------------------------------------------------------------------
function renderCandidate() {
  const it = state.item;
  const data = it.data;
  const cand = data.candidates.find((c) => c.victim_id === it.chosen) || null;
  for (const b of document.querySelectorAll('.cand-tab')) {
    b.setAttribute('aria-pressed', String(Number(b.dataset.victimId) === it.chosen));
  }
  const raw = (r) => (r.raw_payload !== undefined ? el('details', {}, el('summary', {}, txt('report.raw')),
    el('pre', { dir: 'ltr' }, r.raw_payload)) : null);
  const sources = cand ? el('ul', { class: 'sources' }, cand.reports.map((r) => el('li', {},
    bdi(primaryName(r.record), 'name-part'), ' · ', bdi(r.record.source), ' · ', bdi(r.record.source_type), ' · ',
    bdi(r.record.reliability), r.record.date_of_death ? ' · ' + fmtDate(r.record.date_of_death) : '',
    ' · ', txt('report.number', { id: fmtId(r.id) }), raw(r)))) : null;
  document.getElementById('item-body').replaceChildren(...[
    compareTable(data.report, cand),
    raw(data.report),
    cand && cand.comparison ? el('section', { class: 'why' }, el('h2', {}, txt('item.contributions')),
      contributions(cand.comparison)) : null,
    cand ? el('section', {}, el('h2', {}, txt('item.sources')), sources) : null,
    contextPanel('incident', data.context && data.context.incident),
    contextPanel('relatives', data.context && data.context.relatives),
    el('section', {}, el('h2', {}, txt('item.earlier')), eventsTable(data.earlier_decisions))].filter(Boolean));
}

// Other victims of the incident, likely relatives: one line each, linked.
function contextPanel(kind, victims) {
  if (!victims || !victims.length) return null;
  return el('section', { id: 'context-' + kind }, el('h2', {}, txt('item.context.' + kind)),
    el('ul', { class: 'sources' }, victims.map((v) => {
      const r = v.report.record;
      return el('li', {}, el('a', { href: '#/victim/' + v.victim_id }, '#', fmtId(v.victim_id)), ' ',
        bdi(primaryName(r), 'name-part'), ' · ', [r.sex ? t('sex.' + r.sex) : '', fmtDigits(r.age)].filter(Boolean).join(' · '),
        r.date_of_death ? ' · ' + fmtDate(r.date_of_death) : '', ' · ', bdi(placeText(r)), ' · ', txt('state.' + v.state));
    })));
}

function chooseCandidate(index) {
  const c = state.item && state.item.data.candidates[index];
  if (!c) return;
  state.item.chosen = c.victim_id;
  renderCandidate();
}

async function itemView(id) {
  const gen = state.gen;
  status(state.flash || '');  // a message for this view (e.g. "undone"), else none
  state.flash = null;
  let claim = await api('POST', '/api/v1/review/items/' + id + '/claim');
  const res = await api('GET', '/api/v1/review/items/' + id);
  if (!res.ok) return showFor(gen, errorView(res));
  const data = res.data;
  if (gen !== state.gen) return;  // a newer route took over meanwhile
  state.item = { id: Number(id), data, chosen: data.candidates.length ? data.candidates[0].victim_id : 0,
                 held: claim.ok };
  const notice = !claim.ok ? el('p', { class: 'error-page', id: 'lease-notice' },
    txt(claim.data && claim.data.error && claim.data.error.code === 'already_decided' ? 'item.decided' : 'item.lease_lost')) : null;
  const tabs = el('div', { class: 'cand-tabs', role: 'group', 'aria-label': t('item.candidates') },
    data.candidates.map((c, i) => el('button', { type: 'button', class: 'cand-tab', 'data-victim-id': c.victim_id,
      'data-score': c.score, onclick: () => chooseCandidate(i) },
      el('kbd', {}, fmtId(i + 1)), ' ', txt('item.candidate', { id: fmtId(c.victim_id) }), ' · ',
      el('strong', { class: 'score' }, fmtNum(c.score, 2)))));
  const reason = el('input', { id: 'reason', size: 18, placeholder: t('item.reason') , 'aria-label': t('item.reason') });
  const note = el('input', { id: 'note', size: 18, placeholder: t('item.note'), 'aria-label': t('item.note') });
  const relation = el('select', { id: 'relation', 'aria-label': t('item.relation') },
    ['sibling', 'parent', 'child', 'spouse'].map((r) => el('option', { value: r }, txt('relation.' + r))));
  const button = (key, k, fn, id, cls) => el('button', { type: 'button', id, class: cls, onclick: fn },
    txt(key), ' ', el('kbd', {}, k));
  const decisions = el('div', { class: 'decisions', id: 'decisions' },
    el('div', { class: 'buttons' },
      button('decision.same', 's', () => decide('same'), 'btn-same', 'primary'),
      button('decision.different', 'd', () => decide('different'), 'btn-different'),
      button('decision.related', 'r', () => decide('related'), 'btn-related'), relation,
      button('decision.unsure', 'u', () => decide('unsure'), 'btn-unsure'),
      button('decision.next', 'n', skipItem, 'btn-next'), button('decision.undo', 'z', undoLast, 'btn-undo')),
    el('div', { class: 'notes' }, reason, note),
    el('p', { class: 'keys' }, txt('item.keys')));
  showFor(gen, el('div', { class: 'item-head' },
      el('h1', { id: 'item-title', 'data-item': id }, txt('item.title', { id: fmtId(id) })),
      el('span', { class: 'muted' }, txt('item.waiting', { wait: fmtWait(data.item.age_s) }), ' · ',
        txt('item.queued_score', { score: fmtNum(data.item.top_score, 2) }))),
    notice, decisions, data.candidates.length ? tabs : el('p', { id: 'no-candidate' }, txt('item.no_candidate')),
    el('div', { id: 'item-body' }));
  renderCandidate();
}

async function decide(decision) {
  if (!state.item || state.busy) return;
  if (decision === 'related' && !document.getElementById('reason').value.trim()) {
    status(t('item.reason_required'), true);
    document.getElementById('reason').focus();
    return;
  }
  state.busy = true;
  try {
    const body = { decision, reason: document.getElementById('reason').value,
                   note: document.getElementById('note').value };
    if (decision === 'same' || decision === 'related') body.victim_id = state.item.chosen;
    if (decision === 'related') body.relation = document.getElementById('relation').value;
    const res = await api('POST', '/api/v1/review/items/' + state.item.id + '/decision', body);
    if (!res.ok) {
      status(errorCode(res) === 'lease_expired' ? t('item.lease_lost') : errorText(res), true);
      return;
    }
    // Saved: only now may the next item appear.
    state.lastUndo = { item: state.item.id, decision };
    status(t('decision.saved', { decision: t('decision.' + decision) }));
    document.getElementById('status').dataset.victimId = res.data.victim_id;
    document.getElementById('status').dataset.mergeSeq = res.data.merge_seq;
    document.getElementById('status').dataset.item = state.item.id;
    await nextItem();
  } finally {
    state.busy = false;
  }
}

// Skip: give the lease back (colleagues may take the item), then the next one.
async function skipItem() {
  if (state.item && state.item.held) await api('POST', '/api/v1/review/items/' + state.item.id + '/release');
  await nextItem();
}

// Undo the last decision of this session, whatever its kind: the item goes
// back in the queue and opens again.
async function undoLast() {
  if (!state.lastUndo) { status(t('decision.nothing_to_undo'), true); return; }
  const u = state.lastUndo;
  const res = await api('POST', '/api/v1/review/items/' + u.item + '/undo');
  if (!res.ok) { status(errorText(res), true); return; }
  state.lastUndo = null;
  if (state.item && state.item.held) await api('POST', '/api/v1/review/items/' + state.item.id + '/release');
  state.flash = t('decision.undone_kind', { decision: t('decision.' + u.decision) });
  if (location.hash === '#/item/' + u.item) route(); else location.hash = '#/item/' + u.item;
}

// ---- victim ------------------------------------------------------------------------------
async function victimView(id) {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/victims/' + id);
  if (!res.ok) return showFor(gen, errorView(res));
  const d = res.data;
  const checks = [];
  const refresh = () => victimView(id);
  const post = async (path, body, done) => {
    const r = await api('POST', path, body);
    if (r.ok) { status(done); refresh(); } else status(errorText(r), true);
  };
  // How each report joined this victim: an automatic merge (score, why), a review decision.
  const joined = {};
  for (const e of d.history) {
    if (e.type === 'report_attached' && e.victim_id === Number(id) && e.details) joined[e.report_id] = e;
  }
  const reports = d.reports.map((r, i) => {
    const box = el('input', { type: 'checkbox', value: r.id, 'aria-label': t('victim.select') });
    checks.push(box);
    const rec = r.record;
    const j = joined[r.id];
    const how = j && j.actor === 'engine' && j.details.score !== undefined ? el('div', { class: 'auto-merge' },
      txt('victim.auto_merged', { score: fmtNum(j.details.score, 2) }), ' ',
      j.details.explanation ? el('details', {}, el('summary', {}, txt('item.contributions')), contributions(
        { explanation: j.details.explanation })) : null,
      d.reports.length > 1 ? el('button', { type: 'button', class: 'split-auto', onclick: () => post('/api/v1/victims/' + id + '/split',
        { report_ids: [r.id], reason: t('victim.undo_auto_reason') }, t('victim.auto_undone')) }, txt('victim.undo_auto')) : null) : null;
    return el('tr', { class: 'victim-report', 'data-report': r.id }, el('td', {}, box),
      el('td', {}, fmtId(r.id)), el('td', {}, nameBlock(r), how),
      el('td', {}, [rec.sex ? t('sex.' + rec.sex) : '', fmtDigits(rec.age)].filter(Boolean).join(' · ')),
      el('td', {}, fmtDate(rec.date_of_death), rec.date_of_birth ? el('div', { class: 'muted' }, txt('item.date_of_birth'), ': ', fmtDate(rec.date_of_birth)) : null),
      el('td', {}, bdi(placeText(rec)), rec.cause ? el('div', {}, bdi(vocabLabel('cause', rec.cause))) : null),
      el('td', {}, bdi(rec.source), ' · ', bdi(rec.source_type), ' · ', bdi(rec.reliability),
        r.raw_payload !== undefined ? el('details', {}, el('summary', {}, txt('report.raw')), el('pre', { dir: 'ltr' }, r.raw_payload)) : null));
  });
  const reportsHead = el('tr', {}, ['', 'report.id', 'item.names', 'victim.sex_age', 'item.date_of_death',
                                    'item.place_of_death', 'report.source'].map((k) => el('th', {}, k ? txt(k) : '')));
  const merges = d.merges.map((m) => el('li', { 'data-seq': m.seq },
    txt('victim.merge_of', { id: fmtId(m.absorbed) }), ' · ', bdi(m.actor), ' · ', fmtTime(m.at_ms), ' ',
    m.undone ? txt('victim.undone') : el('button', { type: 'button', class: 'undo-merge', onclick: () =>
      post('/api/v1/victims/' + id + '/undo', { merge_seq: m.seq, reason: 'undo from victim page' }, t('decision.undone')) },
    txt('victim.undo'))));
  const splits = d.history.filter((e) => e.type === 'split' && e.victim_id === Number(id)).map((e) => el('li', { 'data-seq': e.seq },
    txt('victim.split_of', { id: fmtId(e.other_victim_id) }), ' · ', bdi(e.actor), ' · ', fmtTime(e.at_ms), ' · ',
    bdi(e.details && e.details.reason), ' ',
    el('button', { type: 'button', class: 'undo-split', onclick: () =>
      post('/api/v1/victims/' + id + '/undo-split', { split_seq: e.seq }, t('victim.split_undone')) }, txt('victim.undo_split'))));
  const reason = el('input', { id: 'split-reason', size: 30 });
  const split = el('form', { class: 'inline', onsubmit: async (ev) => {
    ev.preventDefault();
    const ids = checks.filter((c) => c.checked).map((c) => Number(c.value));
    const r = await api('POST', '/api/v1/victims/' + id + '/split', { report_ids: ids, reason: reason.value });
    if (r.ok) { status(t('victim.split_done', { id: fmtId(r.data.new_victim_id) })); victimView(id); }
    else status(errorText(r), true);
  } }, el('label', {}, txt('victim.split_reason'), ' ', reason), el('button', { type: 'submit' }, txt('victim.split')));
  const historyTable = d.history.length ? el('div', { class: 'scroll' }, el('table', { class: 'events grid', id: 'victim-history' },
    el('thead', {}, el('tr', {}, ['victim.h_seq', 'victim.h_event', 'victim.h_by', 'victim.h_when', 'victim.h_details']
      .map((k) => el('th', {}, txt(k))))), eventsTable(d.history).querySelector('tbody'))) : el('p', {}, txt('item.none'));
  showFor(gen, el('h1', { id: 'victim-title', 'data-victim': id }, txt('victim.title', { id: fmtId(id) })),
       el('p', {}, txt('victim.state', { state: t('state.' + d.victim.state) })),
       el('h2', {}, txt('victim.reports')),
       el('div', { class: 'scroll' }, el('table', { id: 'victim-reports', class: 'grid' }, el('thead', {}, reportsHead),
         el('tbody', {}, reports))), split,
       el('h2', {}, txt('victim.merges')), merges.length ? el('ul', { id: 'victim-merges' }, merges) : el('p', {}, txt('item.none')),
       splits.length ? el('h2', {}, txt('victim.splits')) : null, splits.length ? el('ul', { id: 'victim-splits' }, splits) : null,
       el('h2', {}, txt('victim.history')), historyTable);
}

// ---- search, quarantine, feeds, admin -------------------------------------------------------
function searchView() {
  const input = el('input', { id: 'search-name', size: 40, dir: 'auto' });
  const results = el('div', { id: 'search-results' });
  const form = el('form', { class: 'inline', onsubmit: async (ev) => {
    ev.preventDefault();
    const res = await api('GET', '/api/v1/search?name=' + encodeURIComponent(input.value));
    if (!res.ok) return results.replaceChildren(errorView(res));
    if (!res.data.results.length) return results.replaceChildren(el('p', {}, txt('search.none')));
    const head = el('tr', {}, ['search.col.victim', 'search.col.name', 'item.date_of_death', 'item.place_of_death',
                               'search.col.state', 'search.col.reports', 'search.col.score'].map((k) => el('th', {}, txt(k))));
    results.replaceChildren(el('div', { class: 'scroll' }, el('table', { id: 'search-table', class: 'grid' },
      el('thead', {}, head), el('tbody', {}, res.data.results.map((r) => {
        const rec = r.report ? r.report.record : {};
        return el('tr', { 'data-victim': r.victim_id },
          el('td', {}, el('a', { href: '#/victim/' + r.victim_id }, '#', fmtId(r.victim_id))),
          el('td', {}, r.report ? bdi(primaryName(rec), 'name-part') : ''),
          el('td', {}, fmtDate(rec.date_of_death)), el('td', {}, bdi(placeText(rec))),
          el('td', {}, txt('state.' + r.state)), el('td', { class: 'num' }, fmtNum(r.reports)),
          el('td', { class: 'num' }, r.score === undefined ? txt('search.by_part') : fmtNum(r.score, 2)));
      })))));
  } }, el('label', {}, txt('search.name'), ' ', input), el('button', { type: 'submit' }, txt('search.submit')));
  show(el('h1', {}, txt('search.title')), el('p', { class: 'keys' }, txt('search.hint')), form, results);
}

async function feedsView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/feeds');
  if (!res.ok) return showFor(gen, errorView(res));
  const head = el('tr', {}, ['feeds.id', 'feeds.last_success', 'feeds.last_error', 'feeds.ok', 'feeds.rejected',
                             'feeds.failures'].map((k) => el('th', {}, txt(k))));
  const rows = res.data.feeds.map((f) => el('tr', {}, el('td', {}, bdi(f.id)), el('td', {}, fmtTime(f.last_success_ms)),
    el('td', {}, fmtTime(f.last_error_ms), ' ', bdi(f.last_error)), el('td', {}, fmtNum(f.records_ok)),
    el('td', {}, fmtNum(f.records_rejected)), el('td', {}, fmtNum(f.consecutive_failures))));
  showFor(gen, el('h1', {}, txt('feeds.title')),
       rows.length ? el('table', { id: 'feeds' }, el('thead', {}, head), el('tbody', {}, rows)) : el('p', {}, txt('feeds.none')));
}

function outcomeTable(w) {
  const fmt = (v) => (v === null ? '—' : fmtNum(v, 3));
  const row = (key, f) => el('tr', {}, el('th', {}, txt(key)), el('td', {}, f(w.current)), el('td', {}, f(w.proposed)));
  return el('table', { id: 'whatif' }, el('thead', {}, el('tr', {}, el('th', {}), el('th', {}, txt('admin.current')),
                                                        el('th', {}, txt('admin.proposed')))),
    el('tbody', {}, row('admin.precision', (o) => fmt(o.precision)), row('admin.recall', (o) => fmt(o.recall)),
       row('admin.would_merge', (o) => fmtNum(o.pending_would_merge)),
       row('admin.would_queue', (o) => fmtNum(o.pending_would_queue)),
       row('admin.would_new', (o) => fmtNum(o.pending_would_be_new))));
}

// The exact lines of /etc/qayd/qayd.json that would apply these settings
// (thresholds, and the weights that differ from the current ones).
function configLines(auto, review, weights, current) {
  const changed = Object.entries(weights).filter(([k, v]) => current.weights[k] !== v);
  const lines = ['"matching": {', `  "thresholds": {"auto_merge": ${auto}, "review": ${review}}` + (changed.length ? ',' : '')];
  if (changed.length) {
    lines.push('  "weights": {');
    changed.forEach(([k, v], i) => lines.push(`    "${k}": ${v}` + (i + 1 < changed.length ? ',' : '')));
    lines.push('  }');
  }
  lines.push('}');
  return lines.join('\n');
}

async function adminView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/admin/settings');
  if (!res.ok) return showFor(gen, errorView(res));
  const s = res.data;
  const auto = el('input', { id: 'auto-merge', type: 'number', step: 'any', value: s.auto_merge, dir: 'ltr' });
  const review = el('input', { id: 'review', type: 'number', step: 'any', value: s.review, dir: 'ltr' });
  const weights = Object.entries(s.weights).map(([k, v]) => el('tr', {}, el('td', { dir: 'ltr', translate: 'no', class: 'ident' }, k),
    el('td', {}, el('input', { type: 'number', step: 'any', value: v, 'data-weight': k, dir: 'ltr' }))));
  const out = el('div', { id: 'whatif-out' });
  const form = el('form', { novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    for (const i of form.querySelectorAll('input')) i.removeAttribute('aria-invalid');
    // Field-level checks first, in the page's language.
    const problems = [];
    const num = (input, label) => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v)) {
        input.setAttribute('aria-invalid', 'true');
        problems.push(t('admin.err.number', { field: label }));
      }
      return v;
    };
    const a = num(auto, t('admin.auto_merge')), r = num(review, t('admin.review'));
    const w = {};
    for (const i of form.querySelectorAll('[data-weight]')) w[i.dataset.weight] = num(i, i.dataset.weight);
    if (!problems.length && r > a) {
      auto.setAttribute('aria-invalid', 'true');
      review.setAttribute('aria-invalid', 'true');
      problems.push(t('admin.err.order', { review: fmtNum(r, 2), auto: fmtNum(a, 2) }));
    }
    if (problems.length) {
      return out.replaceChildren(el('ul', { id: 'whatif-errors', class: 'error-page' }, problems.map((p) => el('li', {}, p))));
    }
    const resp = await api('POST', '/api/v1/admin/what-if', { auto_merge: a, review: r, weights: w });
    if (!resp.ok) {
      const detail = resp.data && resp.data.error && resp.data.error.message;
      return out.replaceChildren(errorView(resp), detail ? el('p', {}, bdi(detail)) : null);
    }
    out.replaceChildren(el('p', {}, txt('admin.labelled', { n: fmtNum(resp.data.labelled_pairs) })),
      el('ul', { id: 'whatif-warnings' }, resp.data.warnings.map((x) => {
        // The server's English warning, in the page's language when it is the known one.
        const m = /^only (\d+) labelled pairs \(fewer than (\d+)\)/.exec(x);
        return el('li', { class: 'error-page' }, m ? txt('admin.warn_few', { n: fmtNum(Number(m[1])), min: fmtNum(Number(m[2])) }) : x);
      })), outcomeTable(resp.data),
      el('h3', {}, txt('admin.config_lines')), el('p', { class: 'keys' }, txt('admin.config_hint')),
      el('pre', { id: 'config-lines', dir: 'ltr', translate: 'no' }, configLines(a, r, w, s)));
  } },
  el('h2', {}, txt('admin.thresholds')), el('p', {}, el('label', {}, txt('admin.auto_merge'), ' ', auto), ' ',
                                              el('label', {}, txt('admin.review'), ' ', review)),
  el('h2', {}, txt('admin.weights')), el('table', {}, el('tbody', {}, weights)),
  el('h2', {}, txt('admin.whatif')), el('button', { type: 'submit' }, txt('admin.run')));
  showFor(gen, el('h1', {}, txt('admin.title')), form, out);
}

// ---- quarantine: correct and replay --------------------------------------------------------
// The stored problem texts (ingest/validate.cc, model/report_json.cc) in the page's
// language; a text not listed here is shown as stored. {suggestion} is the value the
// problem proposes ("did you mean 'Khan Younis'?"), offered as a one-click fix.
const problemPatterns = [
  [/^required$/, 'qr.required'],
  [/^required: a name, or "identification": "unidentified"$/, 'qr.name_required'],
  [/^not in the vocabulary: '(.*)' \(did you mean '(.*)'\?\)$/s, 'qr.vocab_suggest', ['value', 'suggestion']],
  [/^not in the vocabulary: '(.*)'$/s, 'qr.vocab', ['value']],
  [/^not a date: "(.*)" \(use YYYY-MM-DD, YYYY-MM or YYYY\)$/s, 'qr.not_date', ['value']],
  [/^unknown field$/, 'qr.unknown_field'],
  [/^unknown sex "(.*)" \(male, female, unknown\)$/s, 'qr.unknown_sex', ['value']],
  [/^not an age: "(.*)" \(years, a range 30-40, child, adult\)$/s, 'qr.not_age', ['value']],
  [/^in the future: (\S+) \(today is (\S+)\)$/, 'qr.future', ['value', 'today']],
  [/^too long: (\d+) bytes \(max (\d+)\)$/, 'qr.too_long', ['n', 'max']],
  [/^must be a string$/, 'qr.must_string'],
  [/^must be a string or an object$/, 'qr.must_string_or_object'],
  [/^must be an object$/, 'qr.must_object'],
  [/^must be an array( of strings)?$/, 'qr.must_array'],
  [/^must be a number$/, 'qr.must_number'],
  [/^before date_of_birth \((.*) < (.*)\)$/, 'qr.death_before_birth', ['death', 'birth']],
  [/^out of range 0\.\.(\d+): (.*)$/, 'qr.age_range', ['max', 'value']],
  [/^a record must be a JSON object$/, 'qr.not_object'],
  [/^invalid UTF-8 at byte (\d+)/, 'qr.utf8', ['n']],
];
function problemInfo(problem) {
  for (const [re, key, names] of problemPatterns) {
    const m = re.exec(problem || '');
    if (!m) continue;
    const params = {};
    (names || []).forEach((n, i) => { params[n] = m[i + 1]; });
    return { key, params, suggestion: params.suggestion };
  }
  return { key: null, params: {}, suggestion: undefined };
}
// A problem as a node: the translated text with the values isolated, or the stored text.
function problemNode(problem) {
  const info = problemInfo(problem);
  if (!info.key) return bdi(problem);
  const parts = t(info.key).split(/(\{[a-z]+\})/);
  return el('span', { 'data-problem': info.key }, parts.map((p) => {
    const m = /^\{([a-z]+)\}$/.exec(p);
    if (!m) return p;
    const v = info.params[m[1]];
    return /^\d+$/.test(v || '') ? fmtId(Number(v)) : bdi(v);
  }));
}
const fieldName = (field) => (field ? el('code', { dir: 'ltr', translate: 'no' }, field) : txt('qr.record'));

// A JSON value as leaf paths ("place_of_death.governorate", "names[0].full") and back.
function flatten(value, prefix, out) {
  if (value !== null && typeof value === 'object') {  // an empty object or list adds nothing
    for (const [k, v] of Object.entries(value)) {
      flatten(v, Array.isArray(value) ? `${prefix}[${k}]` : (prefix ? prefix + '.' : '') + k, out);
    }
  } else {
    out.push([prefix, value]);
  }
  return out;
}
function unflatten(pairs) {
  const root = {};
  for (const [path, value] of pairs) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
    let node = root;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) { node[k] = value; return; }
      if (node[k] === undefined || typeof node[k] !== 'object') node[k] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      node = node[k];
    });
  }
  return root;
}

// What a replay did, with a link to the victim (and the queue for a review).
function outcomeNode(o) {
  const victim = el('a', { href: '#/victim/' + o.victim_id, class: 'q-victim' }, '#', fmtId(o.victim_id));
  const key = ['merged', 'new', 'review', 'duplicate', 'unidentified', 'pending'].includes(o.decision)
    ? 'qr.outcome.' + o.decision : 'qr.outcome.other';
  return el('p', { class: 'ok q-outcome', 'data-decision': o.decision }, txt(key, { decision: o.decision }), ' ',
    o.victim_id ? victim : null,
    o.decision === 'review' ? [' · ', el('a', { href: '#/queue' }, txt('nav.queue'))] : null);
}

// One quarantined record: its problems, and for admins the form to correct and replay it.
function quarantineCard(q, admin) {
  const card = el('section', { class: 'panel q-record', 'data-id': q.id });
  const head = el('h2', {}, txt('qr.entry', { id: fmtId(q.id) }), ' ', el('span', { class: 'muted' },
    bdi(q.source), ' · ', bdi(q.source_record_id), ' · ', fmtTime(q.received_at_ms)));
  const replayed = (reportId) => el('p', { class: 'ok q-replayed' }, txt('qr.replayed', { report: fmtId(reportId) }));
  const inputs = [];  // { row, key, value, type }
  const rowsBody = el('tbody', {});
  const addRow = (path, value) => {
    const type = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
    const key = el('input', { class: 'q-key', dir: 'ltr', value: path, 'aria-label': t('qr.field') });
    const val = el('input', { class: 'q-value', dir: 'auto', value: value === null || value === undefined ? '' : String(value),
                              'data-path': path, 'aria-label': t('qr.value') });
    const entry = { key, val, type };
    const row = el('tr', { 'data-path': path }, el('td', {}, key), el('td', {}, val),
      el('td', {}, el('button', { type: 'button', class: 'q-remove', onclick: () => {
        inputs.splice(inputs.indexOf(entry), 1);
        row.remove();
      } }, txt('qr.remove'))));
    entry.row = row;
    key.addEventListener('input', () => { val.dataset.path = key.value.trim(); row.dataset.path = key.value.trim(); });
    inputs.push(entry);
    rowsBody.append(row);
    return entry;
  };
  const inputFor = (field) => {
    const found = inputs.find((e) => e.key.value.trim() === field);
    return found || (field ? addRow(field, '') : null);
  };
  const problems = el('ul', { class: 'q-problems' }, (q.reasons || []).map((r) => {
    const info = problemInfo(r.problem);
    const fix = admin && !q.replayed_report_id && info.suggestion !== undefined && r.field
      ? el('button', { type: 'button', class: 'q-fix', 'data-field': r.field, onclick: (ev) => {
        const entry = inputFor(r.field);
        entry.val.value = info.suggestion;
        entry.val.removeAttribute('aria-invalid');
        ev.target.disabled = true;
      } }, txt('qr.use', { value: info.suggestion }))
      : null;
    return el('li', { 'data-field': r.field }, fieldName(r.field), ': ', problemNode(r.problem), fix ? ' ' : null, fix);
  }));
  card.append(head, problems);
  if (q.replayed_report_id) { card.append(replayed(q.replayed_report_id)); return card; }
  if (!admin) return card;
  // The form: a row per field of the record as received; the raw text when it is not a JSON object.
  let parsed = null;
  try { parsed = JSON.parse(q.raw); } catch (e) { parsed = null; }
  const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  const rawBox = el('textarea', { class: 'q-raw', dir: 'ltr', rows: 4, 'aria-label': t('qr.raw') }, q.raw || '');
  if (isObject) for (const [path, value] of flatten(parsed, '', [])) addRow(path, value);
  const result = el('div', { class: 'q-result', role: 'status' });
  const replayBtn = el('button', { type: 'submit', class: 'q-replay primary' }, txt('qr.replay'));
  const form = el('form', { class: 'q-form', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    let record;
    if (isObject) {
      record = unflatten(inputs.filter((e) => e.key.value.trim()).map((e) => {
        const v = e.val.value;
        if (e.type === 'number' && v.trim() !== '' && Number.isFinite(Number(v))) return [e.key.value.trim(), Number(v)];
        if (e.type === 'boolean' && (v === 'true' || v === 'false')) return [e.key.value.trim(), v === 'true'];
        return [e.key.value.trim(), v];
      }));
    } else {
      try { record = JSON.parse(rawBox.value); } catch (e) { record = null; }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        rawBox.setAttribute('aria-invalid', 'true');
        return result.replaceChildren(el('p', { class: 'error-page' }, txt('qr.not_json')));
      }
    }
    replayBtn.disabled = true;
    const res = await api('POST', `/api/v1/quarantine/${q.id}/replay`, { record });
    replayBtn.disabled = false;
    for (const e of inputs) e.val.removeAttribute('aria-invalid');
    if (res.ok) {
      form.remove();
      for (const b of card.querySelectorAll('.q-fix')) b.remove();
      result.replaceChildren(outcomeNode(res.data.outcome), replayed(res.data.report_id));
      return;
    }
    const fields = (res.data && res.data.error && res.data.error.fields) || [];
    for (const f of fields) { const e = inputs.find((x) => x.key.value.trim() === f.field); if (e) e.val.setAttribute('aria-invalid', 'true'); }
    result.replaceChildren(el('p', { class: 'error-page', 'data-code': errorCode(res) },
      fields.length ? txt('qr.still_invalid') : errorText(res)),
      fields.length ? el('ul', { class: 'q-errors' }, fields.map((f) => el('li', { 'data-field': f.field },
        fieldName(f.field), ': ', problemNode(f.problem)))) : null);
  } },
  el('h3', {}, txt('qr.correct')), el('p', { class: 'keys' }, txt(isObject ? 'qr.form_hint' : 'qr.raw_hint')),
  isObject ? el('details', { class: 'q-raw-shown' }, el('summary', {}, txt('qr.raw')), el('pre', { dir: 'ltr' }, q.raw)) : null,
  isObject ? el('div', { class: 'scroll' }, el('table', { class: 'q-fields grid' },
    el('thead', {}, el('tr', {}, el('th', {}, txt('qr.field')), el('th', {}, txt('qr.value')), el('th', {}))), rowsBody)) : rawBox,
  isObject ? el('p', {}, el('button', { type: 'button', class: 'q-add', onclick: () => addRow('', '').key.focus() }, txt('qr.add'))) : null,
  el('p', {}, replayBtn));
  card.append(form, result);
  return card;
}

const QUARANTINE_PAGE = 50;
async function quarantineView() {
  const gen = state.gen;
  const offset = state.quarantineOffset || 0;
  const res = await api('GET', `/api/v1/quarantine?offset=${offset}&limit=${QUARANTINE_PAGE}`);
  if (!res.ok) return showFor(gen, errorView(res));
  const counts = await api('GET', '/api/v1/counts');
  const admin = state.me && state.me.role === 'admin';
  const cards = res.data.records.map((q) => quarantineCard(q, admin));
  const page = (to) => () => { state.quarantineOffset = Math.max(0, to); quarantineView(); };
  const pager = el('p', {},
    offset > 0 ? el('button', { type: 'button', onclick: page(offset - QUARANTINE_PAGE) }, txt('queue.prev')) : null, ' ',
    cards.length === QUARANTINE_PAGE ? el('button', { type: 'button', onclick: page(offset + QUARANTINE_PAGE) }, txt('queue.more')) : null);
  showFor(gen, el('h1', {}, txt('quarantine.title')),
    counts.ok ? el('p', { id: 'quarantine-total' }, txt('qr.waiting', { n: fmtNum(counts.data.quarantined) })) : null,
    el('p', { class: 'keys' }, txt(admin ? 'qr.intro_admin' : 'qr.intro_monitor')),
    cards.length ? el('div', { id: 'quarantine' }, cards) : el('p', { id: 'quarantine-empty' }, txt('qr.none')), pager);
}

// ---- users (admins) ----------------------------------------------------------------------
async function usersView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/admin/users');
  if (!res.ok) return showFor(gen, errorView(res));
  const out = el('div', { id: 'users-status', role: 'status' });
  const report = (resp, okKey, params) => {
    if (resp.ok) {
      status(t(okKey, params));  // outside the page: still shown once it is drawn again
      return true;
    }
    out.replaceChildren(el('p', { class: 'error-page', 'data-code': errorCode(resp) }, errorText(resp)));
    return false;
  };
  const shortPassword = (input) => {
    if (input.value.length >= 10) return false;
    input.setAttribute('aria-invalid', 'true');
    out.replaceChildren(el('p', { class: 'error-page' }, txt('users.err.password')));
    return true;
  };
  const rows = res.data.users.map((u) => {
    const self = state.me && u.name === state.me.user;
    const pass = el('input', { type: 'password', autocomplete: 'new-password', class: 'u-password',
                               'aria-label': t('users.new_password'), minlength: 10 });
    const resetForm = el('form', { class: 'inline u-reset', hidden: true, novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (shortPassword(pass)) return;
      const r = await api('POST', `/api/v1/admin/users/${encodeURIComponent(u.name)}/password`, { password: pass.value });
      if (report(r, 'users.password_set', { name: u.name })) route();
    } }, pass, ' ', el('button', { type: 'submit' }, txt('users.save')));
    return el('tr', { 'data-user': u.name, 'data-disabled': u.disabled ? 'true' : 'false' },
      el('td', {}, bdi(u.name)), el('td', {}, txt('role.' + u.role)),
      el('td', { class: u.disabled ? 'mark-disagree' : 'mark-agree' }, txt(u.disabled ? 'users.disabled' : 'users.active')),
      el('td', {},
        el('button', { type: 'button', class: 'u-reset-open', onclick: () => { resetForm.hidden = false; pass.focus(); } },
           txt(u.disabled ? 'users.enable' : 'users.reset')), ' ',
        u.disabled || self ? null : el('button', { type: 'button', class: 'u-disable', onclick: async () => {
          if (!window.confirm(t('users.confirm_disable', { name: u.name }))) return;
          const r = await api('POST', `/api/v1/admin/users/${encodeURIComponent(u.name)}/disable`, {});
          if (report(r, 'users.disabled_ok', { name: u.name })) route();
        } }, txt('users.disable')),
        resetForm));
  });
  const name = el('input', { id: 'user-name', autocomplete: 'off', maxlength: 64, dir: 'auto' });
  const role = el('select', { id: 'user-role' }, ['monitor', 'admin'].map((r) => el('option', { value: r }, txt('role.' + r))));
  const password = el('input', { id: 'user-password', type: 'password', autocomplete: 'new-password' });
  const add = el('form', { id: 'user-add', class: 'inline', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    for (const i of add.querySelectorAll('input')) i.removeAttribute('aria-invalid');
    if (!/^[^\s/]{1,64}$/.test(name.value)) {
      name.setAttribute('aria-invalid', 'true');
      return out.replaceChildren(el('p', { class: 'error-page' }, txt('users.err.name')));
    }
    if (shortPassword(password)) return;
    const r = await api('POST', '/api/v1/admin/users', { name: name.value, role: role.value, password: password.value });
    if (report(r, 'users.added', { name: name.value })) route();
  } },
  el('label', {}, txt('users.name'), ' ', name), el('label', {}, txt('users.role'), ' ', role),
  el('label', {}, txt('users.password'), ' ', password), el('button', { type: 'submit', id: 'user-add-submit' }, txt('users.add')));
  showFor(gen, el('h1', {}, txt('users.title')), out,
    el('div', { class: 'scroll' }, el('table', { id: 'users' }, el('thead', {}, el('tr', {},
      ['users.name', 'users.role', 'users.state', 'users.actions'].map((k) => el('th', {}, txt(k))))), el('tbody', {}, rows))),
    el('h2', {}, txt('users.add_title')), add, el('p', { class: 'keys' }, txt('users.hint')));
}

// ---- the death report ----------------------------------------------------------------------
function reportLabel(r) { return (state.lang === 'ar' ? r.label_ar : r.label_en) || r.code || t('deaths.unknown'); }
function reportTable(id, heads, rows) {
  return el('div', { class: 'scroll' }, el('table', { id, class: 'report' },
    el('thead', {}, el('tr', {}, heads.map((h, i) => el('th', { class: i ? 'num' : null }, txt(h))))),
    el('tbody', {}, rows)));
}
async function reportsView() {
  const gen = state.gen;
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const period = params.get('month') || params.get('year') || String(new Date().getUTCFullYear());
  const by = params.get('by') === 'documented' ? 'documented' : 'death';
  const key = /^\d{4}-\d{2}$/.test(period) ? 'month' : 'year';
  const query = `${key}=${encodeURIComponent(period)}&by=${by}`;
  const periodInput = el('input', { id: 'report-period', dir: 'ltr', value: period, size: 8, 'aria-describedby': 'report-hint' });
  const bySelect = el('select', { id: 'report-by' }, ['death', 'documented'].map((v) =>
    el('option', { value: v, selected: v === by }, txt('deaths.by_' + v))));
  const form = el('form', { id: 'report-form', class: 'inline', onsubmit: (ev) => {
    ev.preventDefault();
    const p = periodInput.value.trim();
    const k = /^\d{4}-\d{2}$/.test(p) ? 'month' : 'year';
    location.hash = `#/reports?${k}=${encodeURIComponent(p)}&by=${bySelect.value}`;
  } }, el('label', {}, txt('deaths.period'), ' ', periodInput), el('label', {}, txt('deaths.by'), ' ', bySelect),
  el('button', { type: 'submit' }, txt('deaths.show')),
  el('span', { class: 'keys', id: 'report-hint' }, txt('deaths.hint')));
  const res = await api('GET', '/api/v1/reports/deaths?' + query + '&format=json');
  const links = el('p', {}, el('a', { id: 'report-html', href: `/api/v1/reports/deaths?${query}&format=html&lang=${state.lang}`,
                                      target: '_blank', rel: 'noopener' }, txt('deaths.printable')), ' · ',
    el('a', { href: `/api/v1/reports/deaths?${query}&format=csv&lang=${state.lang}`, download: `deaths-${period}.csv` }, txt('deaths.csv')));
  if (!res.ok) {
    const detail = res.data && res.data.error && res.data.error.message;
    return showFor(gen, el('h1', {}, txt('deaths.title')), form, errorView(res), detail ? el('p', {}, bdi(detail)) : null);
  }
  const r = res.data;
  const n = (f) => fmtNum(f ? f.count : 0);
  const summary = el('table', { id: 'report-summary' }, el('tbody', {},
    [['deaths.total', r.total], ['deaths.children', r.children], ['deaths.women', r.women],
     ['deaths.provisional', r.provisional], ['deaths.unidentified', r.unidentified]].map(([k, f]) =>
      el('tr', { 'data-figure': k.slice(7) }, el('th', {}, txt(k)), el('td', { class: 'num' }, n(f))))));
  // Parties with victims in the period (the vocabulary lists every party).
  const parties = (r.main_parties.rows || []).concat(r.other_parties.rows || []).filter((p) => p.victims && p.victims.count > 0)
    .map((p) => el('tr', {},
    el('td', {}, bdi(reportLabel(p))), el('td', { class: 'num' }, n(p.victims)), el('td', { class: 'num' }, n(p.children)),
    el('td', { class: 'num' }, n(p.women))));
  const places = (r.governorates || []).map((p) => el('tr', {}, el('td', {}, bdi(reportLabel(p))),
    el('td', { class: 'num' }, n(p.victims)), el('td', { class: 'num' }, fmtPct(p.share_percent))));
  const massacres = (r.massacres || []).map((m) => el('tr', {}, el('td', {}, fmtDate(m.date)),
    el('td', {}, bdi(reportLabel(m.governorate || {}))), el('td', {}, bdi(reportLabel(m.party || {}))),
    el('td', { class: 'num' }, n(m.victims))));
  showFor(gen, el('h1', {}, txt('deaths.title')), form,
    el('h2', { id: 'report-period-label' }, txt('deaths.heading', { period: fmtDate(period) }), ' ',
       el('span', { class: 'muted' }, '(', txt('deaths.by'), ' ', txt('deaths.by_' + by), ')')),
    links, summary,
    el('h2', {}, txt('deaths.parties')),
    parties.length ? reportTable('report-parties', ['deaths.party', 'deaths.victims', 'deaths.children', 'deaths.women'], parties)
      : el('p', {}, txt('deaths.none')),
    el('h2', {}, txt('deaths.governorates')),
    places.length ? reportTable('report-places', ['deaths.governorate', 'deaths.victims', 'deaths.share'], places)
      : el('p', {}, txt('deaths.none')),
    el('h2', {}, txt('deaths.massacres')),
    massacres.length ? reportTable('report-massacres', ['deaths.date', 'deaths.governorate', 'deaths.party', 'deaths.victims'], massacres)
      : el('p', {}, txt('deaths.none')));
}

// ---- the matching settings in force (admins) -----------------------------------------------
async function settingsView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/admin/settings');
  if (!res.ok) return showFor(gen, errorView(res));
  const s = res.data;
  const kv = (key, value, attrs) => el('tr', attrs || {}, el('th', {}, txt(key)), el('td', { class: 'num' }, value));
  const conflicts = Object.entries(s.conflicts || {}).map(([k, c]) => el('tr', { 'data-rule': k },
    el('th', {}, txt('settings.rule.' + k)),
    el('td', { class: c.enabled ? 'mark-agree' : 'mark-missing' }, txt(c.enabled ? 'settings.on' : 'settings.off')),
    el('td', { class: 'num' }, c.tolerance === undefined ? '—'
      : txt('settings.unit.' + k, { n: count(k === 'date_of_death' ? 'day' : 'year', c.tolerance) }))));
  const weights = Object.entries(s.weights).map(([k, v]) => el('tr', {},
    el('td', { dir: 'ltr', translate: 'no', class: 'ident' }, k), el('td', { class: 'num' }, fmtNum(v, 2))));
  showFor(gen, el('h1', {}, txt('settings.title')), el('p', { class: 'keys' }, txt('settings.hint')),
    el('table', { id: 'settings-thresholds' }, el('tbody', {},
      kv('admin.auto_merge', fmtNum(s.auto_merge, 2)), kv('admin.review', fmtNum(s.review, 2)),
      kv('settings.max_candidates', fmtNum(s.max_candidates)),
      kv('settings.version', el('code', { dir: 'ltr' }, s.version)))),
    el('h2', {}, txt('settings.conflicts')), el('p', { class: 'keys' }, txt('settings.conflicts_hint')),
    el('div', { class: 'scroll' }, el('table', { id: 'settings-conflicts' }, el('thead', {}, el('tr', {},
      ['settings.rule', 'settings.state', 'settings.tolerance'].map((k) => el('th', {}, txt(k))))), el('tbody', {}, conflicts))),
    s.evidence ? el('p', { id: 'settings-evidence' }, txt(s.evidence.enabled ? 'settings.evidence_on' : 'settings.evidence_off',
                                                          { n: fmtNum(s.evidence.name_parts) })) : null,
    s.evidence
      ? el('p', { id: 'settings-placeholder-undated' },
        txt(s.evidence.placeholder_against_undated ? 'settings.placeholder_undated_on' : 'settings.placeholder_undated_off'))
      : null,
    el('h2', {}, txt('admin.weights')),
    el('div', { class: 'scroll' }, el('table', { id: 'settings-weights' }, el('tbody', {}, weights))),
    el('p', {}, el('a', { href: '#/admin' }, txt('settings.to_whatif'))));
}

function notFoundView() {
  show(el('section', { id: 'not-found' }, el('h1', {}, txt('notfound.title')),
    el('p', {}, txt('notfound.text')), el('p', {}, el('a', { href: '#/queue' }, txt('nav.queue')))));
}

// ---- the relatives' public submission form (/submit, no login) ----------------------------
// Form field -> the server's record field names that report problems with it.
const submitFields = {
  name: ['names', 'names[0].full'], name_latin: ['names[1].full'], sex: ['sex'], age: ['age'],
  date_of_birth: ['date_of_birth'], date_of_death: ['date_of_death'],
  governorate: ['place_of_death.governorate'], locality: ['place_of_death.locality'], cause: ['cause'],
  what_happened: ['notes'], relation: ['submitter.relation'], contact: ['submitter.contact'],
};
const submitLimits = { what_happened: 10000, name: 200, name_latin: 200 };

async function submitView() {
  const gen = state.gen;
  const me = await api('GET', '/api/v1/me');  // a logged-in user needs the CSRF token
  if (me.ok) state.me = me.data;
  const inputs = {};
  const field = (name, control) => {
    control.id = 'submit-' + name;
    control.name = name;
    if (!control.maxLength || control.maxLength < 0) control.maxLength = submitLimits[name] || 1000;
    inputs[name] = control;
    return el('p', { class: 'field' }, el('label', { for: control.id }, txt('submit.' + name)), ' ', control);
  };
  const vocabSelect = (kind) => el('select', {}, el('option', { value: '' }, txt('submit.choose')),
    (state.vocab[kind] || []).filter((e) => kind !== 'cause' || !e.parent || e.parent === '')
      .map((e) => el('option', { value: e.label_en }, state.lang === 'ar' ? e.label_ar : e.label_en)));
  const sex = el('select', {}, ['', 'male', 'female'].map((v) =>
    el('option', { value: v }, v ? t('sex.' + v) : t('submit.choose'))));
  const dateHint = (name) => el('input', { dir: 'ltr', inputmode: 'numeric', 'aria-describedby': 'submit-date-hint',
                                          'data-field': name });
  const result = el('div', { id: 'submit-result', role: 'status' });
  const send = el('button', { type: 'submit', id: 'submit-send' }, txt('submit.send'));
  const form = el('form', { id: 'submit-form', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    if (state.busy) return;
    state.busy = true;
    send.disabled = true;
    for (const c of Object.values(inputs)) c.removeAttribute('aria-invalid');
    try {
      const body = {};
      for (const [k, c] of Object.entries(inputs)) if (c.value.trim()) body[k] = c.value.trim();
      const res = await api('POST', '/api/v1/public/submissions', body);
      if (res.ok) {
        form.hidden = true;
        result.replaceChildren(el('p', { class: 'ok', id: 'submit-thanks' }, txt('submit.thanks')),
          el('p', {}, txt('submit.reference'), ' ', el('bdi', { dir: 'ltr', id: 'submit-reference' },
                                                         res.data.reference)));
        return;
      }
      const wrong = new Set();
      for (const f of (res.data && res.data.error && res.data.error.fields) || []) {
        for (const [k, names] of Object.entries(submitFields)) if (names.includes(f.field)) wrong.add(k);
      }
      for (const k of wrong) inputs[k].setAttribute('aria-invalid', 'true');
      const text = res.status === 429 ? t('err.rate_limited') : errorText(res);
      result.replaceChildren(el('p', { class: 'error-page', 'data-code': errorCode(res) }, text),
        wrong.size ? el('ul', { id: 'submit-wrong' }, [...wrong].map((k) => el('li', { 'data-field': k },
          txt('submit.' + k), ': ', txt('submit.err.' + k)))) : null);
    } finally {
      state.busy = false;
      send.disabled = false;
    }
  } },
  el('p', {}, txt('submit.intro')),
  el('fieldset', {}, el('legend', {}, txt('submit.victim')),
    field('name', el('input', { dir: 'auto', required: true, size: 40 })),
    field('name_latin', el('input', { dir: 'ltr', size: 40 })),
    field('sex', sex), field('age', el('input', { dir: 'auto', size: 6 })),
    field('date_of_birth', dateHint('date_of_birth')), field('date_of_death', dateHint('date_of_death')),
    el('p', { class: 'keys', id: 'submit-date-hint' }, txt('submit.date_hint')),
    field('governorate', vocabSelect('governorate')), field('locality', el('input', { dir: 'auto' })),
    field('cause', vocabSelect('cause')),
    field('what_happened', el('textarea', { dir: 'auto', rows: 5, cols: 60 }))),
  el('fieldset', {}, el('legend', {}, txt('submit.about_you')),
    el('p', { class: 'keys' }, txt('submit.privacy')),
    field('relation', el('input', { dir: 'auto' })), field('contact', el('input', { dir: 'auto' }))),
  send);
  showFor(gen, el('h1', { id: 'submit-title' }, txt('submit.title')), form, result);
}

// ---- routing and keys --------------------------------------------------------------------
async function route() {
  const gen = ++state.gen;
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  if (location.pathname === '/submit') return submitView();
  if (!state.me) {
    const me = await api('GET', '/api/v1/me');
    if (me.ok) { state.me = me.data; afterLogin(); }
  }
  if (gen !== state.gen) return;
  if (!state.me) return loginView();
  state.item = null;
  const admin = state.me.role === 'admin';
  switch (parts[0].split('?')[0]) {
    case 'item': return itemView(parts[1]);
    case 'victim': return victimView(parts[1]);
    case 'search': return searchView();
    case 'quarantine': return quarantineView();
    case 'feeds': return feedsView();
    case 'admin': return adminView();
    case 'reports': return reportsView();
    case 'users': return admin ? usersView() : show(errorView({ status: 403, data: { error: { code: 'forbidden' } } }));
    case 'settings': return settingsView();
    case '': case 'queue': case 'login': return queueView();
    default: return notFoundView();
  }
}

function onKey(ev) {
  if (!state.me || location.pathname === '/submit' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const tag = (ev.target && ev.target.tagName) || '';
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
  if (ev.key === 'z') { ev.preventDefault(); undoLast(); return; }
  if (!state.item) return;
  const actions = { s: () => decide('same'), d: () => decide('different'), u: () => decide('unsure'),
                    r: () => decide('related'), n: skipItem };
  if (/^[1-5]$/.test(ev.key)) { ev.preventDefault(); chooseCandidate(Number(ev.key) - 1); return; }
  const fn = actions[ev.key];
  if (fn) { ev.preventDefault(); fn(); }
}

document.addEventListener('DOMContentLoaded', async () => {
  setDigits(cookieValue('qayd_digits'));
  await loadCatalogue();
  await loadVocabulary();
  document.getElementById('lang').addEventListener('change', (ev) => setLanguage(ev.target.value));
  document.getElementById('digits').addEventListener('change', (ev) => { setDigits(ev.target.value); route(); });
  document.getElementById('logout').addEventListener('click', async () => {
    await api('POST', '/api/v1/logout');
    state.me = null;
    location.hash = '#/login';
    location.reload();
  });
  document.addEventListener('keydown', onKey);
  window.addEventListener('hashchange', route);
  route();
});
