// qayd review screen. Plain JS, no build step. Every user-facing string comes
// from the message catalogue (/i18n/catalogue); every data field is written
// with textContent, never innerHTML.
'use strict';

const state = { messages: {}, lang: 'en', me: null, lastUndo: null, item: null, busy: false, gen: 0,
                queueOffset: 0 };

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
}

function setLanguage(lang) {
  document.cookie = 'qayd_lang=' + lang + '; Path=/; SameSite=Strict; Max-Age=31536000';
  loadCatalogue(lang).then(route);
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

function fmtTime(ms) { return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) : ''; }
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
    el('td', {}, String(it.id)), el('td', {}, bdi(it.name, 'name')),
    el('td', {}, it.top_score.toFixed(2)), el('td', {}, it.date_of_death || ''),
    el('td', {}, bdi(it.governorate)), el('td', {}, bdi(it.source)),
    el('td', {}, txt('queue.age_hours', { hours: Math.round(it.age_s / 3600) })), el('td', {}, bdi(it.claimed_by)),
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
    row('report.id', String(report.id)),
    row('item.sex', r.sex ? t('sex.' + r.sex) : '', conflicts && conflicts.sex),
    row('item.age', r.age || '', conflicts && conflicts.age),
    row('item.date_of_death', r.date_of_death || ''),
    row('item.date_of_birth', r.date_of_birth || ''),
    row('item.place_of_death', bdi([place.governorate, place.district, place.locality].filter(Boolean).join(' / ')),
        conflicts && conflicts.place_of_death),
    row('item.origin', bdi(r.governorate_of_origin)),
    row('report.source', bdi(r.source)),
    row('report.source_type', bdi(r.source_type)),
    row('report.reliability', bdi(r.reliability)),
  ];
  if (r.submitter) rows.push(row('report.contact', bdi([r.submitter.relation, r.submitter.contact].join(' · '))));
  if (report.raw_payload !== undefined) rows.push(row('report.raw', el('pre', {}, report.raw_payload)));
  return el('table', { class: 'facts' }, el('tbody', {}, rows));
}

function alignmentTable(cmp) {
  const head = el('tr', {}, ['item.part', 'item.side_a', 'item.latin', 'item.commonness', 'item.mark',
                             'item.side_b', 'item.latin', 'item.commonness'].map((k) => el('th', {}, txt(k))));
  const rows = cmp.alignment.map((p) => el('tr', { 'data-part': p.part },
    el('th', {}, txt('part.' + p.part)), el('td', {}, bdi(p.a, 'name-part')),
    el('td', { dir: 'ltr' }, p.a_latin), el('td', {}, p.a ? String(p.commonness_a) : ''),
    el('td', { class: 'mark-' + p.mark, 'data-mark': p.mark }, txt('mark.' + p.mark)),
    el('td', {}, bdi(p.b, 'name-part')), el('td', { dir: 'ltr' }, p.b_latin),
    el('td', {}, p.b ? String(p.commonness_b) : '')));
  return el('table', { id: 'alignment' }, el('thead', {}, head), el('tbody', {}, rows));
}

function datesTable(cmp) {
  const row = (key, d) => el('tr', {}, el('th', {}, txt(key)), el('td', {}, d.a || '—'),
    el('td', {}, t('precision.' + d.precision_a)), el('td', {}, d.b || '—'),
    el('td', {}, t('precision.' + d.precision_b)),
    el('td', { 'data-gap': d.gap_days === null ? '' : d.gap_days },
      d.gap_days === null ? txt('item.gap_unknown') : txt('item.gap_days', { days: d.gap_days })));
  return el('table', { id: 'dates' }, el('tbody', {}, row('item.date_of_death', cmp.date_of_death),
                                           row('item.date_of_birth', cmp.date_of_birth)));
}

function contributions(cmp) {
  const rows = cmp.explanation.fields.map((f) => el('tr', {},
    el('td', { dir: 'ltr' }, f.field), el('td', { dir: 'ltr' }, f.level),
    el('td', { class: f.weight < 0 ? 'weight-neg' : 'weight-pos' }, f.weight.toFixed(2)),
    el('td', {}, bdi(f.detail))));
  rows.push(el('tr', {}, el('th', { colspan: 2 }, txt('item.total')),
                el('th', {}, cmp.explanation.total.toFixed(2)), el('td', {})));
  return el('table', { id: 'contributions' }, el('thead', {}, el('tr', {},
    ['item.field', 'item.level', 'item.weight', 'item.detail'].map((k) => el('th', {}, txt(k))))),
    el('tbody', {}, rows));
}

function eventsTable(events) {
  if (!events.length) return el('p', {}, txt('item.none'));
  return el('table', { class: 'events' }, el('tbody', {}, events.map((e) => el('tr', {},
    el('td', {}, String(e.seq)), el('td', { dir: 'ltr' }, e.type), el('td', {}, bdi(e.actor)),
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
      el('h2', {}, el('label', {}, radio, ' ', txt('item.candidate', { id: c.victim_id }))),
      el('p', {}, txt('item.score', { score: c.score.toFixed(2) }), ' · ',
        el('a', { href: '#/victim/' + c.victim_id }, '#' + c.victim_id)),
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
  showFor(gen, el('h1', { id: 'item-title', 'data-item': id }, txt('item.title', { id })), notice,
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
      el('td', {}, String(r.id)), el('td', {}, nameBlock(r)), el('td', {}, bdi(r.record.source)),
      el('td', {}, r.record.date_of_death || ''));
  });
  const merges = d.merges.map((m) => el('li', { 'data-seq': m.seq },
    '#' + m.absorbed + ' · ', bdi(m.actor), ' · ', fmtTime(m.at_ms), ' ',
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
    if (r.ok) { status(t('victim.split_done', { id: r.data.new_victim_id })); victimView(id); }
    else status(errorText(r), true);
  } }, el('label', {}, txt('victim.split_reason'), ' ', reason), el('button', { type: 'submit' }, txt('victim.split')));
  showFor(gen, el('h1', { id: 'victim-title', 'data-victim': id }, txt('victim.title', { id })),
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
      el('a', { href: '#/victim/' + r.victim_id }, '#' + r.victim_id), ' ',
      r.report ? bdi(primaryName(r.report.record), 'name') : null, ' · ', r.score.toFixed(2)))));
  } }, el('label', {}, txt('search.name'), ' ', input), el('button', { type: 'submit' }, txt('search.submit')));
  show(el('h1', {}, txt('search.title')), form, results);
}

async function quarantineView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/quarantine');
  if (!res.ok) return showFor(gen, errorView(res));
  const rows = res.data.records.map((q) => el('tr', {}, el('td', {}, String(q.id)), el('td', {}, bdi(q.source)),
    el('td', {}, bdi(q.source_record_id)), el('td', {}, fmtTime(q.received_at_ms)),
    el('td', {}, el('ul', {}, (q.reasons || []).map((r) => el('li', {}, bdi(r.field), ': ', bdi(r.problem))))),
    q.raw !== undefined ? el('td', {}, el('pre', {}, q.raw)) : null));
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
    el('td', {}, fmtTime(f.last_error_ms), ' ', bdi(f.last_error)), el('td', {}, String(f.records_ok)),
    el('td', {}, String(f.records_rejected)), el('td', {}, String(f.consecutive_failures))));
  showFor(gen, el('h1', {}, txt('feeds.title')),
       rows.length ? el('table', { id: 'feeds' }, el('thead', {}, head), el('tbody', {}, rows)) : el('p', {}, txt('feeds.none')));
}

function outcomeTable(w) {
  const fmt = (v) => (v === null ? '—' : v.toFixed(3));
  const row = (key, f) => el('tr', {}, el('th', {}, txt(key)), el('td', {}, f(w.current)), el('td', {}, f(w.proposed)));
  return el('table', { id: 'whatif' }, el('thead', {}, el('tr', {}, el('th', {}), el('th', {}, txt('admin.current')),
                                                        el('th', {}, txt('admin.proposed')))),
    el('tbody', {}, row('admin.precision', (o) => fmt(o.precision)), row('admin.recall', (o) => fmt(o.recall)),
       row('admin.would_merge', (o) => String(o.pending_would_merge)),
       row('admin.would_queue', (o) => String(o.pending_would_queue)),
       row('admin.would_new', (o) => String(o.pending_would_be_new))));
}

async function adminView() {
  const gen = state.gen;
  const res = await api('GET', '/api/v1/admin/settings');
  if (!res.ok) return showFor(gen, errorView(res));
  const s = res.data;
  const auto = el('input', { id: 'auto-merge', type: 'number', step: 'any', value: s.auto_merge });
  const review = el('input', { id: 'review', type: 'number', step: 'any', value: s.review });
  const weights = Object.entries(s.weights).map(([k, v]) => el('tr', {}, el('td', { dir: 'ltr' }, k),
    el('td', {}, el('input', { type: 'number', step: 'any', value: v, 'data-weight': k }))));
  const out = el('div', { id: 'whatif-out' });
  const form = el('form', { onsubmit: async (ev) => {
    ev.preventDefault();
    const w = {};
    for (const i of form.querySelectorAll('[data-weight]')) w[i.dataset.weight] = Number(i.value);
    const r = await api('POST', '/api/v1/admin/what-if', { auto_merge: Number(auto.value), review: Number(review.value), weights: w });
    if (!r.ok) return out.replaceChildren(errorView(r));
    out.replaceChildren(el('p', {}, txt('admin.labelled', { n: r.data.labelled_pairs })),
      el('ul', {}, r.data.warnings.map((x) => el('li', { class: 'error-page' }, x))), outcomeTable(r.data));
  } },
  el('h2', {}, txt('admin.thresholds')), el('p', {}, el('label', {}, txt('admin.auto_merge'), ' ', auto), ' ',
                                              el('label', {}, txt('admin.review'), ' ', review)),
  el('h2', {}, txt('admin.weights')), el('table', {}, el('tbody', {}, weights)),
  el('h2', {}, txt('admin.whatif')), el('button', { type: 'submit' }, txt('admin.run')));
  showFor(gen, el('h1', {}, txt('admin.title')), form, out);
}

// ---- routing and keys --------------------------------------------------------------------
async function route() {
  const gen = ++state.gen;
  const parts = location.hash.replace(/^#\/?/, '').split('/');
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
  if (!state.me || ev.ctrlKey || ev.metaKey || ev.altKey) return;
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
  await loadCatalogue();
  document.getElementById('lang').addEventListener('change', (ev) => setLanguage(ev.target.value));
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
