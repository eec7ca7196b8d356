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
  document.getElementById('nav-admin').hidden = !(state.me && state.me.role === 'admin');
  document.getElementById('who').textContent = state.me ? state.me.user : '';
}

// ---- queue ---------------------------------------------------------------------------
const queueFilters = ['governorate', 'source', 'min_score', 'max_score', 'death_from', 'death_to'];
const filterValues = {};

function queueQuery() {
  const q = new URLSearchParams();
  for (const f of queueFilters) if (filterValues[f]) q.set(f, filterValues[f]);
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
    const input = el('input', { name: f, value: filterValues[f] || '',
                                type: f.startsWith('death') ? 'date' : 'text', size: 10 });
    input.addEventListener('change', () => { filterValues[f] = input.value; });
    return el('label', {}, txt('queue.filter.' + f), ' ', input);
  });
  const filterForm = el('form', { class: 'inline', onsubmit: (ev) => {
    ev.preventDefault(); state.queueOffset = 0; queueView(); } },
    inputs, el('button', { type: 'submit' }, txt('queue.filter.apply')));
  const rows = res.data.items.map((it) => el('tr', { 'data-item': it.id },
    el('td', {}, fmtId(it.id)), el('td', {}, bdi(it.name, 'name')),
    el('td', {}, fmtNum(it.top_score, 2)), el('td', {}, fmtDate(it.date_of_death)),
    el('td', {}, bdi(vocabLabel('governorate', it.governorate))), el('td', {}, bdi(it.source)),
    el('td', {}, txt('queue.age_hours', { hours: fmtNum(Math.round(it.age_s / 3600)) })), el('td', {}, bdi(it.claimed_by)),
    el('td', {}, el('a', { href: '#/item/' + it.id }, txt('queue.open')))));
  const table = rows.length ? el('table', { id: 'queue-table' },
    el('thead', {}, el('tr', {}, ['item', 'name', 'score', 'date', 'governorate', 'source', 'age',
                                  'claimed', ''].map((c) => el('th', {}, c ? txt('queue.col.' + c) : '')))),
    el('tbody', {}, rows)) : el('p', { id: 'queue-empty' }, txt('queue.empty'));
  const pager = el('p', {},
    state.queueOffset > 0 ? el('button', { type: 'button', onclick: () => {
      state.queueOffset = Math.max(0, state.queueOffset - 50); queueView(); } }, txt('queue.prev')) : null,
    rows.length === 50 ? el('button', { type: 'button', onclick: () => {
      state.queueOffset += 50; queueView(); } }, txt('queue.more')) : null);
  showFor(gen, el('h1', {}, txt('queue.title')), filterForm,
       el('p', {}, el('button', { id: 'queue-next', type: 'button', onclick: nextItem }, txt('queue.next'))),
       table, pager);
}

async function nextItem() {
  const res = await api('POST', '/api/v1/review/next?' + queueQuery().toString());
  if (res.ok) { location.hash = '#/item/' + res.data.item_id; return; }
  if (res.status === 404) { location.hash = '#/queue'; show(el('h1', {}, txt('queue.title')),
    el('p', { id: 'queue-empty' }, txt('queue.empty'))); return; }
  status(errorText(res), true);
}

// ---- item -------------------------------------------------------------------------------
function nameBlock(report) {
  const names = (report.record.names || []).map((n, i) => el('div', {},
    bdi(n.full, 'name'), report.translit[i] ? el('span', { class: 'latin', dir: 'ltr' }, report.translit[i]) : null));
  return el('div', { class: 'names' }, names);
}

function reportFacts(report, conflicts) {
  const r = report.record;
  const place = r.place_of_death || {};
  const row = (key, value, conflict) => el('tr', { class: conflict ? 'conflict' : null },
    el('th', {}, txt(key)), el('td', {}, value));
  const rows = [
    row('report.id', fmtId(report.id)),
    row('item.sex', r.sex ? t('sex.' + r.sex) : '', conflicts && conflicts.sex),
    row('item.age', fmtDigits(r.age), conflicts && conflicts.age),
    row('item.date_of_death', fmtDate(r.date_of_death)),
    row('item.date_of_birth', fmtDate(r.date_of_birth)),
    row('item.place_of_death', bdi([vocabLabel('governorate', place.governorate), place.district, place.locality]
                                     .filter(Boolean).join(' / ')), conflicts && conflicts.place_of_death),
    row('item.origin', bdi(vocabLabel('governorate', r.governorate_of_origin))),
    row('item.cause', bdi(vocabLabel('cause', r.cause))),
    row('item.perpetrator', bdi(vocabLabel('perpetrator', r.perpetrator))),
    row('report.source', bdi(r.source)),
    row('report.source_type', bdi(r.source_type)),
    row('report.reliability', bdi(r.reliability)),
  ];
  if (r.submitter) rows.push(row('report.contact', bdi([r.submitter.relation, r.submitter.contact].join(' · '))));
  if (report.raw_payload !== undefined) rows.push(row('report.raw', el('pre', { dir: 'ltr' }, report.raw_payload)));
  return el('table', { class: 'facts' }, el('tbody', {}, rows));
}

function alignmentTable(cmp) {
  const head = el('tr', {}, ['item.part', 'item.side_a', 'item.latin', 'item.commonness', 'item.mark',
                             'item.side_b', 'item.latin', 'item.commonness'].map((k) => el('th', {}, txt(k))));
  const rows = cmp.alignment.map((p) => el('tr', { 'data-part': p.part },
    el('th', {}, txt('part.' + p.part)), el('td', {}, bdi(p.a, 'name-part')),
    el('td', { dir: 'ltr' }, p.a_latin), el('td', {}, p.a ? fmtNum(p.commonness_a, 2) : ''),
    el('td', { class: 'mark-' + p.mark, 'data-mark': p.mark }, txt('mark.' + p.mark)),
    el('td', {}, bdi(p.b, 'name-part')), el('td', { dir: 'ltr' }, p.b_latin),
    el('td', {}, p.b ? fmtNum(p.commonness_b, 2) : '')));
  return el('table', { id: 'alignment' }, el('thead', {}, head), el('tbody', {}, rows));
}

function datesTable(cmp) {
  const row = (key, d) => el('tr', {}, el('th', {}, txt(key)), el('td', {}, d.a ? fmtDate(d.a) : '—'),
    el('td', {}, t('precision.' + d.precision_a)), el('td', {}, d.b ? fmtDate(d.b) : '—'),
    el('td', {}, t('precision.' + d.precision_b)),
    el('td', { 'data-gap': d.gap_days === null ? '' : d.gap_days },
      d.gap_days === null ? txt('item.gap_unknown') : txt('item.gap_days', { days: fmtNum(d.gap_days) })));
  return el('table', { id: 'dates' }, el('tbody', {}, row('item.date_of_death', cmp.date_of_death),
                                           row('item.date_of_birth', cmp.date_of_birth)));
}

function contributions(cmp) {
  const rows = cmp.explanation.fields.map((f) => el('tr', {},
    el('td', { dir: 'ltr', translate: 'no', class: 'ident' }, f.field),
    el('td', { dir: 'ltr', translate: 'no', class: 'ident' }, f.level),
    el('td', { class: f.weight < 0 ? 'weight-neg' : 'weight-pos' }, fmtNum(f.weight, 2)),
    el('td', {}, bdi(f.detail))));
  rows.push(el('tr', {}, el('th', { colspan: 2 }, txt('item.total')),
                el('th', {}, fmtNum(cmp.explanation.total, 2)), el('td', {})));
  return el('table', { id: 'contributions' }, el('thead', {}, el('tr', {},
    ['item.field', 'item.level', 'item.weight', 'item.detail'].map((k) => el('th', {}, txt(k))))),
    el('tbody', {}, rows));
}

function eventsTable(events) {
  if (!events.length) return el('p', {}, txt('item.none'));
  return el('table', { class: 'events' }, el('tbody', {}, events.map((e) => el('tr', {},
    el('td', {}, fmtId(e.seq)), el('td', { dir: 'ltr' }, e.type), el('td', {}, bdi(e.actor)),
    el('td', {}, fmtTime(e.at_ms)),
    el('td', {}, bdi(e.details ? [e.details.decision, e.details.reason, e.details.relation].filter(Boolean).join(' · ')
                               : e.details_text))))));
}

async function itemView(id) {
  const gen = state.gen;
  status('');
  let claim = await api('POST', '/api/v1/review/items/' + id + '/claim');
  const res = await api('GET', '/api/v1/review/items/' + id);
  if (!res.ok) return showFor(gen, errorView(res));
  const data = res.data;
  if (gen !== state.gen) return;  // a newer route took over meanwhile
  state.item = { id: Number(id), data, chosen: data.candidates.length ? data.candidates[0].victim_id : 0 };
  const notice = !claim.ok ? el('p', { class: 'error-page', id: 'lease-notice' },
    txt(claim.data && claim.data.error && claim.data.error.code === 'already_decided' ? 'item.decided' : 'item.lease_lost')) : null;
  const incoming = el('section', { class: 'panel', id: 'side-a' }, el('h2', {}, txt('item.incoming')),
    nameBlock(data.report), reportFacts(data.report, null));
  const candidates = data.candidates.map((c, i) => {
    const cmp = c.comparison;
    const best = c.reports.find((r) => cmp && r.id === cmp.report_b) || c.reports[0];
    const radio = el('input', { type: 'radio', name: 'candidate', value: c.victim_id, checked: i === 0,
                                onchange: () => { state.item.chosen = c.victim_id; } });
    return el('section', { class: 'panel candidate', 'data-victim-id': c.victim_id },
      el('h2', {}, el('label', {}, radio, ' ', txt('item.candidate', { id: fmtId(c.victim_id) }))),
      el('p', {}, txt('item.score', { score: fmtNum(c.score, 2) }), ' · ',
        el('a', { href: '#/victim/' + c.victim_id }, '#', fmtId(c.victim_id))),
      best ? nameBlock(best) : null, best ? reportFacts(best, cmp ? cmp.conflicts : null) : null,
      cmp ? el('div', {}, el('h3', {}, txt('item.alignment')), alignmentTable(cmp),
               el('h3', {}, txt('item.dates')), datesTable(cmp),
               el('h3', {}, txt('item.contributions')), contributions(cmp)) : null,
      el('h3', {}, txt('item.sources')),
      el('ul', {}, c.reports.map((r) => el('li', {}, bdi(primaryName(r.record)), ' — ', bdi(r.record.source), ' · ',
                                           bdi(r.record.source_type), ' · ', bdi(r.record.reliability)))));
  });
  const reason = el('input', { id: 'reason', size: 30 });
  const note = el('input', { id: 'note', size: 30 });
  const relation = el('select', { id: 'relation' },
    ['sibling', 'parent', 'child', 'spouse'].map((r) => el('option', { value: r }, txt('relation.' + r))));
  const button = (key, fn, id) => el('button', { type: 'button', id, onclick: fn }, txt(key));
  const decisions = el('div', { class: 'decisions panel' },
    el('p', {}, el('label', {}, txt('item.reason'), ' ', reason), ' ', el('label', {}, txt('item.note'), ' ', note)),
    el('p', {}, button('decision.same', () => decide('same'), 'btn-same'),
      button('decision.different', () => decide('different'), 'btn-different'),
      button('decision.unsure', () => decide('unsure'), 'btn-unsure'),
      el('label', {}, txt('item.relation'), ' ', relation),
      button('decision.related', () => decide('related'), 'btn-related'),
      button('decision.next', nextItem, 'btn-next'), button('decision.undo', undoLast, 'btn-undo')),
    el('p', { class: 'keys' }, txt('item.keys')));
  showFor(gen, el('h1', { id: 'item-title', 'data-item': id }, txt('item.title', { id: fmtId(id) })), notice,
       el('div', { class: 'sides' }, incoming, el('div', {}, candidates)), decisions,
       el('h2', {}, txt('item.earlier')), eventsTable(data.earlier_decisions));
}

async function decide(decision) {
  if (!state.item || state.busy) return;
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
    state.lastUndo = decision === 'same' ? { victim: res.data.victim_id, seq: res.data.merge_seq } : null;
    status(t('decision.saved', { decision: t('decision.' + decision) }));
    document.getElementById('status').dataset.victimId = res.data.victim_id;
    document.getElementById('status').dataset.mergeSeq = res.data.merge_seq;
    await nextItem();
  } finally {
    state.busy = false;
  }
}

async function undoLast() {
  if (!state.lastUndo) { status(t('decision.nothing_to_undo'), true); return; }
  const u = state.lastUndo;
  const res = await api('POST', '/api/v1/victims/' + u.victim + '/undo', { merge_seq: u.seq, reason: 'undo (z)' });
  if (res.ok) { state.lastUndo = null; status(t('decision.undone')); }
  else status(errorText(res), true);
}

// ---- victim ------------------------------------------------------------------------------
async function victimView(id) {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/victims/' + id);
  if (!res.ok) return showFor(gen, errorView(res));
  const d = res.data;
  const checks = [];
  const reports = d.reports.map((r) => {
    const box = el('input', { type: 'checkbox', value: r.id, 'aria-label': t('victim.select') });
    checks.push(box);
    return el('tr', { class: 'victim-report', 'data-report': r.id }, el('td', {}, box),
      el('td', {}, fmtId(r.id)), el('td', {}, nameBlock(r)), el('td', {}, bdi(r.record.source)),
      el('td', {}, fmtDate(r.record.date_of_death)));
  });
  const merges = d.merges.map((m) => el('li', { 'data-seq': m.seq },
    '#', fmtId(m.absorbed), ' · ', bdi(m.actor), ' · ', fmtTime(m.at_ms), ' ',
    m.undone ? txt('victim.undone') : el('button', { type: 'button', class: 'undo-merge', onclick: async () => {
      const r = await api('POST', '/api/v1/victims/' + id + '/undo', { merge_seq: m.seq, reason: 'undo from victim page' });
      if (r.ok) { status(t('decision.undone')); victimView(id); }
      else status(errorText(r), true);
    } }, txt('victim.undo'))));
  const reason = el('input', { id: 'split-reason', size: 30 });
  const split = el('form', { class: 'inline', onsubmit: async (ev) => {
    ev.preventDefault();
    const ids = checks.filter((c) => c.checked).map((c) => Number(c.value));
    const r = await api('POST', '/api/v1/victims/' + id + '/split', { report_ids: ids, reason: reason.value });
    if (r.ok) { status(t('victim.split_done', { id: fmtId(r.data.new_victim_id) })); victimView(id); }
    else status(errorText(r), true);
  } }, el('label', {}, txt('victim.split_reason'), ' ', reason), el('button', { type: 'submit' }, txt('victim.split')));
  showFor(gen, el('h1', { id: 'victim-title', 'data-victim': id }, txt('victim.title', { id: fmtId(id) })),
       el('p', {}, txt('victim.state', { state: d.victim.state })),
       el('h2', {}, txt('victim.reports')), el('table', { id: 'victim-reports' }, el('tbody', {}, reports)), split,
       el('h2', {}, txt('victim.merges')), el('ul', { id: 'victim-merges' }, merges),
       el('h2', {}, txt('victim.history')), eventsTable(d.history));
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
    results.replaceChildren(el('ul', {}, res.data.results.map((r) => el('li', {},
      el('a', { href: '#/victim/' + r.victim_id }, '#', fmtId(r.victim_id)), ' ',
      r.report ? bdi(primaryName(r.report.record), 'name') : null, ' · ', fmtNum(r.score, 2)))));
  } }, el('label', {}, txt('search.name'), ' ', input), el('button', { type: 'submit' }, txt('search.submit')));
  show(el('h1', {}, txt('search.title')), form, results);
}

async function quarantineView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/quarantine');
  if (!res.ok) return showFor(gen, errorView(res));
  const rows = res.data.records.map((q) => el('tr', {}, el('td', {}, fmtId(q.id)), el('td', {}, bdi(q.source)),
    el('td', {}, bdi(q.source_record_id)), el('td', {}, fmtTime(q.received_at_ms)),
    el('td', {}, el('ul', {}, (q.reasons || []).map((r) => el('li', {}, bdi(r.field), ': ', bdi(r.problem))))),
    q.raw !== undefined ? el('td', {}, el('pre', { dir: 'ltr' }, q.raw)) : null));
  showFor(gen, el('h1', {}, txt('quarantine.title')),
       rows.length ? el('table', { id: 'quarantine' }, el('tbody', {}, rows)) : el('p', {}, txt('item.none')));
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

async function adminView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/admin/settings');
  if (!res.ok) return showFor(gen, errorView(res));
  const s = res.data;
  const auto = el('input', { id: 'auto-merge', type: 'number', step: 'any', value: s.auto_merge });
  const review = el('input', { id: 'review', type: 'number', step: 'any', value: s.review });
  const weights = Object.entries(s.weights).map(([k, v]) => el('tr', {}, el('td', { dir: 'ltr', translate: 'no', class: 'ident' }, k),
    el('td', {}, el('input', { type: 'number', step: 'any', value: v, 'data-weight': k }))));
  const out = el('div', { id: 'whatif-out' });
  const form = el('form', { onsubmit: async (ev) => {
    ev.preventDefault();
    const w = {};
    for (const i of form.querySelectorAll('[data-weight]')) w[i.dataset.weight] = Number(i.value);
    const r = await api('POST', '/api/v1/admin/what-if', { auto_merge: Number(auto.value), review: Number(review.value), weights: w });
    if (!r.ok) return out.replaceChildren(errorView(r));
    out.replaceChildren(el('p', {}, txt('admin.labelled', { n: fmtNum(r.data.labelled_pairs) })),
      el('ul', {}, r.data.warnings.map((x) => el('li', { class: 'error-page' }, x))), outcomeTable(r.data));
  } },
  el('h2', {}, txt('admin.thresholds')), el('p', {}, el('label', {}, txt('admin.auto_merge'), ' ', auto), ' ',
                                              el('label', {}, txt('admin.review'), ' ', review)),
  el('h2', {}, txt('admin.weights')), el('table', {}, el('tbody', {}, weights)),
  el('h2', {}, txt('admin.whatif')), el('button', { type: 'submit' }, txt('admin.run')));
  showFor(gen, el('h1', {}, txt('admin.title')), form, out);
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
        wrong.size ? el('ul', { id: 'submit-wrong' }, [...wrong].map((k) => el('li', {}, txt('submit.' + k)))) : null);
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
  switch (parts[0]) {
    case 'item': return itemView(parts[1]);
    case 'victim': return victimView(parts[1]);
    case 'search': return searchView();
    case 'quarantine': return quarantineView();
    case 'feeds': return feedsView();
    case 'admin': return adminView();
    default: return queueView();
  }
}

function onKey(ev) {
  if (!state.me || location.pathname === '/submit' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const tag = (ev.target && ev.target.tagName) || '';
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
  if (ev.key === 'z') { ev.preventDefault(); undoLast(); return; }
  if (!state.item) return;
  const actions = { s: () => decide('same'), d: () => decide('different'), u: () => decide('unsure'),
                    n: nextItem };
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
