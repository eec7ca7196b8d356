// Issue 9: every user-supplied field is rendered as text. qayd_web_test_server
// --hostile seeds a review item whose incoming and candidate reports carry script
// and markup in every text field of the record format, hostile quarantined records
// and a hostile feed; this test also types payloads into the public form, the
// decision reason and the split reason. A monitor and an admin visit every page
// that shows record data, in English and Arabic.
//   node hostile.test.js SERVER_BINARY ARTIFACT_DIR
// The browser context bypasses the Content-Security-Policy on purpose, so that a
// payload that reached the page as markup would really run: the test measures the
// escaping alone (the CSP is the second line of defence). A self-check first proves
// that an injected payload is caught. On every page: window.__xss is undefined, no
// dialog opened, no element or attribute made by a payload (img[src=x], iframes,
// <b>, on* attributes, javascript: URLs, scripts other than the app's), no page
// error, every U+202E bidi-isolated, and the payloads shown literally where the
// field is displayed. Exits 0 when every check passes; every wait is bounded.
'use strict';
const path = require('path');
const assert = require('assert');
const { WAIT, args, timeLimit, startServer, launch, login, stopServer } = require('./harness');

const { serverBin, artifacts } = args('hostile.test.js', ['serverBin', 'artifacts']);
const overall = timeLimit('hostile browser test', 200000);

// The payloads of tests/web/test_server_main.cc (--hostile), character for character.
const P = {
  script: '<script>window.__xss=1</script>',
  img: '"><img src=x onerror="window.__xss=2">',
  svg: '<svg onload=window.__xss=3>',
  js: 'javascript:window.__xss=4',
  tpl: '{{7*7}}',
  rlo: '\u202E',
  close: '</pre></bdi></td></tr></table><a href="javascript:window.__xss=5">x</a>' +
         '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
};
const AHMAD = { A: 'أحمد', B: 'احمد' };
// What the pages show of one seeded report (side A: the candidate, B: the incoming one).
function seeded(side) {
  return {
    nameAr: `محمد ${AHMAD[side]} حسن الخطيب ${P.rlo}${side}${P.script}`,
    nameLatin: `Mohammed Ahmad ${P.rlo}Hassan al-Khatib ${side}${P.img}`,
    source: `src-${side}${P.img}`,
    sourceType: `type-${side}${P.svg}`,
    reliability: `rel-${side}${P.js}`,
    governorate: `gov-${side}${P.img}`,
    district: `dist-${side}${P.script}`,
    locality: `Jabalia-${side}${P.svg}${P.rlo}loc`,
    origin: `origin-${side}${P.js}`,
    cause: `cause-${side}${P.img}`,
    perpetrator: `perp-${side}${P.svg}`,
    contact: `relation-${side}${P.img} · ${P.js}//contact-${side}`,
    // in raw_payload (JSON text: quotes escaped), also the fields no page shows otherwise
    raw: [['source_record_id', `rid-${side}${P.script}`], ['national_id', `nid-${side}${P.svg}`],
          ['nickname', `الأسمر${P.close}`], ['detention', `det-${side}${P.close}`],
          ['incident_id', `inc-${side}${P.js}`], ['notes', `notes-${side}${P.script}${P.svg}${P.tpl}`],
          ['precision', `prec-${side}${P.tpl}`]].map(([k, v]) => `"${k}":${JSON.stringify(v)}`),
  };
}
const A = seeded('A'), B = seeded('B');
const NAME_PARTS = [`محمد${P.tpl}`, `${AHMAD.B}${P.img}`, `حسن${P.svg}`, `الخطيب${P.js}`, `أبو علي${P.script}`];
const QUARANTINE = [`qsrc${P.img}`, `qrid${P.svg}`, `qkey${P.svg}`];
const QUARANTINE_RAW = [`qraw${P.script}${P.close}{"name":`];
const FEED = [`feed${P.img}`, `HTTP 500 from upstream: ${P.script}${P.close}`];
// Typed by the test.
const REASON = `reason${P.img}${P.svg}`;
const NOTE = `note${P.script}`;
const SPLIT_REASON = `split${P.close}${P.rlo}x`;
const FORM = {
  name: `زيد ${P.rlo}عمر ${P.script}`,
  name_latin: `Zaid ${P.img}`,
  age_bad: `<svg onload=window.__xss=3>`,
  age: '40',
  date_of_death: '2024-01-05',
  locality: `Rafah${P.svg}`,
  what_happened: `notes${P.close}${P.tpl}`,
  relation: `brother${P.img}`,
  contact: `${P.js}//+970`,
};

// Runs in the page: everything a payload could have made, and where text was left.
function inspectPage(literals) {
  const out = { xss: window.__xss, parentXss: window.parent && window.parent.__xss, bad: [], missing: [] };
  const all = document.querySelectorAll('*');
  for (const n of all) {
    for (const a of n.attributes) {
      if (/^on/i.test(a.name)) out.bad.push(`<${n.localName}> has ${a.name}="${a.value}"`);
      if (a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase().startsWith('javascript:')) {
        out.bad.push(`<${n.localName} ${a.name}="${a.value}">`);
      }
    }
  }
  const selectors = ['img[src="x"]', 'svg[onload]', 'iframe', 'object', 'embed', 'frame', 'meta[http-equiv]',
                     'base', 'form[action]', 'a[href="javascript:window.__xss=5"]'];
  for (const s of selectors) for (const n of document.querySelectorAll(s)) out.bad.push('element ' + s + ': ' + n.outerHTML.slice(0, 120));
  for (const n of document.querySelectorAll('b')) if (n.textContent === 'Ali') out.bad.push('<b>Ali</b> from a nickname');
  for (const s of document.scripts) {
    if (!s.src || new URL(s.src).pathname !== '/static/app.js') out.bad.push('script: ' + s.outerHTML.slice(0, 120));
  }
  // Right-to-left overrides inside data must not reorder the text around them:
  // an inline ancestor must isolate it (bdi, [dir]: unicode-bidi isolate or
  // plaintext), or else the enclosing block must hold nothing but that text.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const tn = walker.currentNode;
    if (!tn.data.includes('\u202E')) continue;
    let e = tn.parentElement, ok = false;
    while (e && e !== document.body) {
      const cs = getComputedStyle(e);
      if (cs.display !== 'inline' && cs.display !== 'contents') { ok = e.textContent === tn.data; break; }
      if (/isolate|plaintext/.test(cs.unicodeBidi)) { ok = true; break; }
      e = e.parentElement;
    }
    if (!ok) out.bad.push(`U+202E not isolated in <${e ? e.localName : 'body'}>: ` + (e || tn).textContent.slice(0, 100));
  }
  const text = document.body.textContent;
  for (const l of literals) if (!text.includes(l)) out.missing.push(l);
  return out;
}

async function main() {
  const server = await startServer(serverBin, ['--hostile'], ['VICTIM', 'INCOMING', 'ITEM']);
  const base = 'http://127.0.0.1:' + server.port;
  const browser = await launch('hostile', { bypassCSP: true });
  const { context, page } = browser;
  const pageErrors = [], dialogs = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', (d) => { dialogs.push(d.type() + ': ' + d.message()); d.dismiss().catch(() => {}); });
  page.on('console', (m) => { if (m.type() === 'error') console.error('page console:', m.text()); });
  let checked = 0;

  async function check(name, ready, literals, absent) {
    await page.waitForSelector(ready, WAIT);
    const r = await page.evaluate(inspectPage, literals || []);
    const where = `${name} (${await page.evaluate(() => document.documentElement.lang)})`;
    assert.strictEqual(r.xss, undefined, `${where}: window.__xss was set to ${r.xss}`);
    assert.deepStrictEqual(r.bad, [], `${where}: elements or attributes made by a payload`);
    assert.deepStrictEqual(r.missing, [], `${where}: payloads not shown literally`);
    assert.deepStrictEqual(dialogs, [], `${where}: a dialog opened`);
    assert.deepStrictEqual(pageErrors, [], `${where}: page errors`);
    if (absent) {
      const text = await page.evaluate(() => document.body.textContent);
      for (const a of absent) assert.ok(!text.includes(a), `${where}: "${a}" must not be shown`);
    }
    await page.screenshot({ path: path.join(artifacts, `hostile-${name}-${await page.evaluate(() => document.documentElement.lang)}.png`),
                           fullPage: true });
    checked++;
  }
  async function open(hash) {
    await page.goto(base + '/');  // a fresh load picks up the language cookie
    await page.waitForSelector('#app > *', WAIT);
    await page.goto(base + hash);
  }
  async function setLang(lang) {
    await context.addCookies([{ name: 'qayd_lang', value: lang, url: base }]);
    await page.goto('about:blank');
  }
  async function loginAs(user) {
    await context.clearCookies();
    await page.goto('about:blank');
    await login(page, base, user);
  }

  // Every page that shows record data, for one user in one language.
  async function tour(user, lang) {
    const admin = user === 'admin1';
    await setLang(lang);
    const privateText = [A.contact, B.contact, A.raw[0], B.raw[0], QUARANTINE_RAW[0]];
    await open('/#/queue');
    await check(`${user}-queue`, '#queue-table', [B.nameAr, B.source]);
    await open('/#/item/' + server.item);
    const sides = [A, B].flatMap((s) => [s.nameAr, s.nameLatin, s.source, s.sourceType, s.reliability, s.governorate,
                                         s.district, s.locality, s.origin, s.cause, s.perpetrator]);
    await check(`${user}-item`, '#compare', [...sides, ...NAME_PARTS, ...(admin ? [A.contact, B.contact, ...A.raw, ...B.raw] : [])],
                admin ? [] : privateText);
    await open('/#/victim/' + server.victim);
    await check(`${user}-victim-candidate`, '#victim-reports', [A.nameAr, A.nameLatin, A.source]);
    await open('/#/victim/' + server.incoming);
    await check(`${user}-victim-incoming`, '#victim-reports', [B.nameAr, B.nameLatin, B.source]);
    await open('/#/search');
    await page.waitForSelector('#search-name', WAIT);
    await page.fill('#search-name', 'محمد حسن الخطيب');
    await page.press('#search-name', 'Enter');
    await check(`${user}-search`, '#search-results tbody tr', [A.nameAr, B.nameAr]);
    await open('/#/quarantine');
    await check(`${user}-quarantine`, '#quarantine', [...QUARANTINE, ...(admin ? QUARANTINE_RAW : [])],
                admin ? [] : privateText);
    await open('/#/feeds');
    await check(`${user}-feeds`, '#feeds', FEED);
    await page.goto(`${base}/api/v1/reports/deaths?year=2024&format=html&lang=${lang}`);
    // The html report (server-rendered) names governorates, origins and perpetrators.
    await check(`${user}-report`, 'h1', [A, B].flatMap((s) => [s.governorate, s.origin, s.perpetrator]));
  }

  try {
    // 0. Self-check: with the CSP bypassed an injected payload runs, and the checks see it.
    await page.goto(base + '/#/login');
    await page.waitForSelector('#login-form', WAIT);
    await page.evaluate(() => document.getElementById('app')
      .insertAdjacentHTML('beforeend', '<img src=x onerror="window.__xss=2">'));
    for (let i = 0; i < 50 && await page.evaluate(() => window.__xss) === undefined; i++) await page.waitForTimeout(100);
    const probe = await page.evaluate(inspectPage, ['never shown']);
    assert.strictEqual(probe.xss, 2, 'self-check: the injected payload ran');
    assert.ok(probe.bad.length >= 2 && probe.missing.length === 1, 'self-check: ' + JSON.stringify(probe));

    // 1. An admin (sees contacts and raw payloads) and a monitor, each in both languages.
    //    The admin goes first: it holds the item's lease for the decision in step 3.
    for (const user of ['admin1', 'monitor1']) {
      await loginAs(user);
      for (const lang of ['en', 'ar']) await tour(user, lang);
    }

    // 2. The public form (no login): hostile text in every free field; first with a
    //    hostile age (the error page), then accepted (the result page).
    for (const lang of ['en', 'ar']) {
      await context.clearCookies();
      await setLang(lang);
      await page.goto(base + '/submit');
      await page.waitForSelector('#submit-form', WAIT);
      const suffix = lang === 'ar' ? ' ثاني' : '';
      for (const k of ['name', 'name_latin', 'date_of_death', 'locality', 'what_happened', 'relation', 'contact']) {
        await page.fill('#submit-' + k, FORM[k] + (k === 'name' ? suffix : ''));
      }
      await page.fill('#submit-age', FORM.age_bad);
      await page.click('#submit-send');
      await check('submit-invalid', '#submit-wrong', []);
      assert.strictEqual(await page.locator('#submit-age').getAttribute('aria-invalid'), 'true');
      assert.strictEqual(await page.locator('#submit-age').inputValue(), FORM.age_bad, 'the field keeps the text');
      await page.fill('#submit-age', FORM.age);
      await page.click('#submit-send');
      await page.waitForSelector('#submit-reference', WAIT);
      assert.ok(/^PF-[A-Z2-9]{12}$/.test(await page.locator('#submit-reference').innerText()), 'a reference');
      await check('submit-done', '#submit-thanks', []);
    }
    // The submitted report as the admin sees it.
    await loginAs('admin1');
    await setLang('en');
    await open('/#/search');
    await page.waitForSelector('#search-name', WAIT);
    await page.fill('#search-name', 'زيد عمر');
    await page.press('#search-name', 'Enter');
    await page.waitForSelector('#search-results tbody tr a', WAIT);
    const submitted = await page.locator('#search-results tbody tr', { hasText: FORM.name }).first().locator('a').getAttribute('href');
    await open(submitted);
    await check('admin-victim-submitted', '#victim-reports', [FORM.name, FORM.name_latin]);

    // 3. The admin decides "same" with a hostile reason and note, then splits with a hostile reason.
    await open('/#/item/' + server.item);
    await page.waitForSelector('#compare', WAIT);
    await page.fill('#reason', REASON);
    await page.fill('#note', NOTE);
    const decided = page.waitForResponse((r) => r.url().endsWith('/decision'), WAIT);
    await page.click('#btn-same');
    const decision = await decided;
    assert.strictEqual(decision.status(), 200, 'the decision is saved: ' + await decision.text());
    const survivor = (await decision.json()).victim_id;
    assert.strictEqual(survivor, server.victim, 'merged into the candidate');
    for (const lang of ['en', 'ar']) {
      await setLang(lang);
      await open('/#/victim/' + survivor);
      await check('admin-victim-merged', '#victim-merges li', [REASON, A.nameAr, B.nameAr]);
      await open('/#/item/' + server.item);
      await check('admin-item-decided', '#compare', [REASON, B.nameAr]);
    }
    await setLang('en');
    await open('/#/victim/' + survivor);
    await page.waitForSelector('#victim-reports', WAIT);
    await page.locator('tr.victim-report', { hasText: B.source }).locator('input[type="checkbox"]').check();
    await page.fill('#split-reason', SPLIT_REASON);
    const splitDone = page.waitForResponse((r) => r.url().endsWith('/split'), WAIT);
    await page.click('#app form.inline button[type="submit"]');
    const split = await splitDone;
    assert.strictEqual(split.status(), 200, 'the split is saved: ' + await split.text());
    for (const lang of ['en', 'ar']) {
      await setLang(lang);
      await open('/#/victim/' + survivor);
      await check('admin-victim-split', '#victim-reports', [SPLIT_REASON, REASON, A.nameAr]);
    }

    console.log(`hostile browser test: ${checked} page checks passed; screenshots in ${artifacts}`);
  } catch (e) {
    await page.screenshot({ path: path.join(artifacts, 'hostile-failure.png'), fullPage: true }).catch(() => {});
    console.error('page text:', (await page.locator('body').textContent().catch(() => '')).slice(0, 3000));
    throw e;
  } finally {
    await browser.close();
    stopServer(server);
    clearTimeout(overall);
  }
}

main().then(() => process.exit(0), (e) => { console.error('hostile browser test FAILED:', e); process.exit(1); });
