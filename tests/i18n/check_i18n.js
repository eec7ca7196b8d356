// The interface-text check (issue 11):
//   node check_i18n.js STATIC_DIR I18N_DIR [SOURCE_DIR...]  checks the real files
//   node check_i18n.js --self-test             proves each rule fails on a bad fixture
// Rules:
//  1. en.json and ar.json hold exactly the same keys, every value a non-empty
//     string, and the same {placeholders} in both languages.
//  2. Every key the interface looks up exists: data-i18n="key" in HTML,
//     t('key') / txt('key') in JS, key-shaped string literals of a catalogue
//     namespace (e.g. ['item.part', ...].map(txt)); t('prefix.' + x) needs at
//     least one key under that prefix.
//  3. No literal user-facing text: HTML text nodes other than whitespace,
//     digits and punctuation; literal title/placeholder/alt/aria-label
//     attributes in HTML; in JS string literals assigned to textContent,
//     innerText, innerHTML, title, placeholder, alt, aria-label (assignment,
//     object member or setAttribute), and any literal with a letter followed
//     by more text that is concatenated with '+' or passed to el()/status()
//     as a child. A line marked "i18n-ok" is exempt (data, not interface text).
//  4. Every stable API error code the server can answer with (Error(NNN, "code"),
//     Coded(ErrorCode::..., "code") and the ErrorCode names of base/result.cc,
//     found in the C++ sources of the given folders) has err.<code> in both
//     catalogues, so the UI can show it in the user's language.
// Exit status 0 when clean; 1 with one line per problem otherwise.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const KEY = /^[a-z]+(\.[a-z0-9_]+)+$/;
const LETTER = /\p{L}/u;

function readCatalogue(file, problems) {
  try {
    const obj = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not an object');
    return obj;
  } catch (e) {
    problems.push(`${file}: cannot read catalogue: ${e.message}`);
    return {};
  }
}

function placeholders(s) {
  return [...String(s).matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort().join(',');
}

function listFiles(dir, exts) {
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...listFiles(p, exts));
    else if (exts.includes(path.extname(name))) out.push(p);
  }
  return out;
}

// String literals of a JS source, with their line numbers (comments skipped).
function jsLiterals(src) {
  const out = [];
  let i = 0, line = 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') { line++; i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (; i < stop; i++) if (src[i] === '\n') line++;
      continue;
    }
    if (c === '\'' || c === '"' || c === '`') {
      const start = i, startLine = line;
      let value = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\') { value += src[i + 1]; i += 2; continue; }
        if (c === '`' && src[i] === '$' && src[i + 1] === '{') {  // skip ${...}
          let depth = 1; i += 2;
          while (i < src.length && depth) { if (src[i] === '{') depth++; else if (src[i] === '}') depth--; i++; }
          value += ' ';
          continue;
        }
        if (src[i] === '\n') line++;
        value += src[i++];
      }
      i++;
      out.push({ value, line: startLine, start, end: i });
      continue;
    }
    i++;
  }
  return out;
}

function checkJs(file, src, keys, namespaces, problems) {
  const lines = src.split('\n');
  const exempt = (n) => (lines[n - 1] || '').includes('i18n-ok');
  const where = (n) => `${file}:${n}`;
  for (const lit of jsLiterals(src)) {
    const before = src.slice(Math.max(0, lit.start - 60), lit.start);
    const after = src.slice(lit.end, lit.end + 20);
    const v = lit.value;
    // Key lookups.
    const call = /\b(t|txt)\(\s*$/.test(before);
    const prefix = /^[a-z]+(\.[a-z0-9_]+)*\.$/.test(v) && namespaces.has(v.split('.')[0]);
    if ((call || prefix) && /^\s*\+/.test(after)) {
      if (!Object.keys(keys).some((k) => k.startsWith(v))) {
        problems.push(`${where(lit.line)}: no catalogue key starts with '${v}'`);
      }
      continue;
    }
    if ((call || (KEY.test(v) && namespaces.has(v.split('.')[0])))) {
      if (!KEY.test(v) || !(v in keys)) problems.push(`${where(lit.line)}: unknown catalogue key '${v}'`);
      continue;
    }
    if (!LETTER.test(v) || exempt(lit.line)) continue;
    // Literal interface text.
    const assigned = /\.(textContent|innerText|innerHTML|title|placeholder|alt)\s*=\s*$/.test(before) ||
      /(^|[{,\s])['"]?(title|placeholder|alt|aria-label|label)['"]?\s*:\s*$/.test(before) ||
      /setAttribute\(\s*['"](title|placeholder|alt|aria-label)['"]\s*,\s*$/.test(before);
    const concatenated = /\+\s*$/.test(before) || /^\s*\+/.test(after);
    const textish = /\p{L}.*[\s\p{L}]/u.test(v) && !/[/=;:#?&[\]<>]/.test(v) && !/^[a-z_-]+$/i.test(v.trim());
    const childArg = /\b(el\([^()]*|status\(\s*)$/.test(before) && /^\s*[,)]/.test(after) &&
      !/\bel\(\s*$/.test(before) && !/\{[^}]*$/.test(before);
    if (assigned || (concatenated && (textish || /^\s+\p{L}+\s*$/u.test(v))) || (childArg && LETTER.test(v) && !/^[a-z]+$/.test(v))) {
      problems.push(`${where(lit.line)}: literal interface text ${JSON.stringify(v)}`);
    }
  }
}

function checkHtml(file, src, keys, problems) {
  const lineOf = (idx) => src.slice(0, idx).split('\n').length;
  for (const m of src.matchAll(/data-i18n(?:-[a-z]+)?="([^"]*)"/g)) {
    if (!(m[1] in keys)) problems.push(`${file}:${lineOf(m.index)}: unknown catalogue key '${m[1]}'`);
  }
  for (const m of src.matchAll(/\s(title|placeholder|alt|aria-label)="([^"]*)"/g)) {
    if (LETTER.test(m[2])) problems.push(`${file}:${lineOf(m.index)}: literal ${m[1]} attribute "${m[2]}"`);
  }
  // Text nodes: everything outside tags, comments, <script> and <style>.
  const stripped = src.replace(/<!--[\s\S]*?-->/g, (s) => s.replace(/[^\n]/g, ' '))
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, (s) => s.replace(/[^\n]/g, ' '))
    .replace(/<[^>]*>/g, (s) => s.replace(/[^\n]/g, ' '));
  let idx = 0;
  for (const text of stripped.split(/ {2,}|\n/)) {
    const at = stripped.indexOf(text, idx);
    idx = at + text.length;
    const s = text.replace(/&[a-z]+;|&#\d+;/gi, ' ');
    if (LETTER.test(s)) problems.push(`${file}:${lineOf(at)}: literal text "${text.trim()}"`);
  }
}

// The stable error codes the C++ sources under `dirs` can put into an API answer.
function errorCodes(dirs) {
  const codes = new Set();
  for (const dir of dirs) {
    for (const f of listFiles(dir, ['.cc'])) {
      const src = fs.readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bError\(\s*\d{3},\s*"([a-z_]+)"/g)) codes.add(m[1]);
      for (const m of src.matchAll(/\bCoded\(\s*ErrorCode::\w+,\s*"([a-z_]+)"/g)) codes.add(m[1]);
      const names = /ErrorCodeName\([^)]*\)\s*\{([\s\S]*?)\n\}/.exec(src);
      if (names) for (const m of names[1].matchAll(/return "([a-z_]+)"/g)) if (m[1] !== 'ok') codes.add(m[1]);
    }
  }
  return [...codes].sort();
}

function check(staticDir, i18nDir, sourceDirs = []) {
  const problems = [];
  const en = readCatalogue(path.join(i18nDir, 'en.json'), problems);
  const ar = readCatalogue(path.join(i18nDir, 'ar.json'), problems);
  for (const [name, a, b] of [['ar.json', en, ar], ['en.json', ar, en]]) {
    for (const k of Object.keys(a)) if (!(k in b)) problems.push(`${name}: missing key '${k}'`);
  }
  for (const [name, cat] of [['en.json', en], ['ar.json', ar]]) {
    for (const [k, v] of Object.entries(cat)) {
      if (typeof v !== 'string' || !v.trim()) problems.push(`${name}: empty or non-string value for '${k}'`);
      if (!KEY.test(k)) problems.push(`${name}: badly formed key '${k}'`);
    }
  }
  for (const k of Object.keys(en)) {
    if (k in ar && placeholders(en[k]) !== placeholders(ar[k])) {
      problems.push(`ar.json: placeholders of '${k}' differ from en.json`);
    }
  }
  const keys = {};
  for (const k of Object.keys(en)) if (k in ar) keys[k] = true;
  const namespaces = new Set(Object.keys(keys).map((k) => k.split('.')[0]));
  for (const code of errorCodes(sourceDirs)) {
    if (!(('err.' + code) in keys)) problems.push(`error code '${code}' has no catalogue key 'err.${code}'`);
  }
  const files = listFiles(staticDir, ['.html', '.js']);
  if (!files.length) problems.push(`${staticDir}: no .html or .js files`);
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    if (f.endsWith('.js')) checkJs(f, src, keys, namespaces, problems);
    else checkHtml(f, src, keys, problems);
  }
  return problems;
}

function selfTest() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'qayd-i18n-'));
  const st = path.join(root, 'static'), cat = path.join(root, 'i18n'), cc = path.join(root, 'src');
  fs.mkdirSync(st); fs.mkdirSync(cat); fs.mkdirSync(cc);
  const goodEn = { 'app.title': 'Title', 'item.name': 'Name {n}', 'sex.male': 'male', 'err.bad_id': 'Bad',
                   'err.lease_expired': 'Expired', 'err.conflict': 'Conflict' };
  const goodAr = { 'app.title': 'العنوان', 'item.name': 'الاسم {n}', 'sex.male': 'ذكر', 'err.bad_id': 'خطأ',
                   'err.lease_expired': 'انتهى', 'err.conflict': 'تعارض' };
  const goodCc = 'return Response::Error(400, "bad_id", "x");\nCoded(ErrorCode::kConflict, "lease_expired", m);\n' +
    'const char* ErrorCodeName(ErrorCode c) {\n  switch (c) {\n    case kOk: return "ok";\n' +
    '    case kConflict: return "conflict";\n  }\n}\n';
  const goodHtml = '<!doctype html><html><head><title data-i18n="app.title"></title></head>' +
    '<body><h1 data-i18n="item.name"></h1> · <span>— 3</span></body></html>';
  const goodJs = "const a = t('item.name', { n: 1 });\nel('p', {}, t('sex.' + s), ' · ', String(n));\n" +
    "node.textContent = t('app.title');\nconst url = '/api/v1/x?lang=' + lang;\n" +
    "api('POST', '/x', { reason: 'undo from page' }); // i18n-ok\n";
  const cases = [
    ['clean fixture', {}, 0],
    ['missing key in ar', { ar: { 'app.title': 'العنوان', 'item.name': 'الاسم {n}' } }, /missing key 'sex.male'/],
    ['extra key in ar', { ar: { ...goodAr, 'item.extra': 'x' } }, /en.json: missing key 'item.extra'/],
    ['empty value', { en: { ...goodEn, 'app.title': ' ' } }, /empty or non-string value for 'app.title'/],
    ['placeholder mismatch', { ar: { ...goodAr, 'item.name': 'الاسم' } }, /placeholders of 'item.name'/],
    ['unknown data-i18n', { html: goodHtml.replace('item.name', 'item.nope') }, /unknown catalogue key 'item.nope'/],
    ['unknown t() key', { js: goodJs + "t('app.subtitle');\n" }, /unknown catalogue key 'app.subtitle'/],
    ['unknown prefix', { js: goodJs + "txt('part.' + p);\n" }, /no catalogue key starts with 'part.'/],
    ['html text node', { html: goodHtml.replace('<span>', '<span>Victims ') }, /literal text "Victims/],
    ['arabic html text', { html: goodHtml.replace('<span>', '<span>الضحايا ') }, /literal text "الضحايا/],
    ['html title attr', { html: goodHtml.replace('<h1 ', '<h1 title="Open" ') }, /literal title attribute/],
    ['textContent literal', { js: goodJs + "x.textContent = 'Saved';\n" }, /literal interface text "Saved"/],
    ['placeholder member', { js: goodJs + "el('input', { placeholder: 'Name' });\n" }, /literal interface text "Name"/],
    ['aria-label member', { js: goodJs + "el('input', { 'aria-label': 'Pick' });\n" }, /literal interface text "Pick"/],
    ['setAttribute title', { js: goodJs + "n.setAttribute('title', 'Open it');\n" }, /literal interface text "Open it"/],
    ['concatenated unit', { js: goodJs + "el('td', {}, n + ' h');\n" }, /literal interface text " h"/],
    ['uncatalogued Error code', { cc: goodCc + 'Error(429, "rate_limited", "slow");\n' },
     /error code 'rate_limited' has no catalogue key/],
    ['uncatalogued Coded code', { cc: goodCc + 'Coded(ErrorCode::kNotFound, "queue_empty", "x");\n' },
     /error code 'queue_empty' has no catalogue key/],
    ['uncatalogued ErrorCodeName', { cc: goodCc.replace('return "conflict"', 'return "io"') },
     /error code 'io' has no catalogue key/],
    ['el child text', { js: goodJs + "el('p', {}, 'No results');\n" }, /literal interface text "No results"/],
  ];
  let failed = 0;
  for (const [name, over, expect] of cases) {
    fs.writeFileSync(path.join(cat, 'en.json'), JSON.stringify(over.en || goodEn));
    fs.writeFileSync(path.join(cat, 'ar.json'), JSON.stringify(over.ar || goodAr));
    fs.writeFileSync(path.join(st, 'index.html'), over.html || goodHtml);
    fs.writeFileSync(path.join(st, 'app.js'), over.js || goodJs);
    fs.writeFileSync(path.join(cc, 'errors.cc'), over.cc || goodCc);
    const problems = check(st, cat, [cc]);
    const ok = expect === 0 ? problems.length === 0 : problems.some((p) => expect.test(p));
    if (!ok) {
      failed++;
      console.error(`self-test '${name}' FAILED; problems found: ${JSON.stringify(problems)}`);
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
  console.log(`i18n check self-test: ${cases.length - failed}/${cases.length} cases behave`);
  return failed === 0;
}

if (process.argv[2] === '--self-test') {
  process.exit(selfTest() ? 0 : 1);
} else {
  const [staticDir, i18nDir, ...sourceDirs] = process.argv.slice(2);
  if (!staticDir || !i18nDir) {
    console.error('usage: node check_i18n.js STATIC_DIR I18N_DIR | --self-test');
    process.exit(2);
  }
  const problems = check(staticDir, i18nDir, sourceDirs);
  for (const p of problems) console.error(p);
  console.log(`i18n check: ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}
