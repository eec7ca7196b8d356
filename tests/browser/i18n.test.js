// Browser test of issue 11: every page qayd serves, in Arabic and in English.
//   node i18n.test.js SERVER_BINARY ARTIFACT_DIR CATALOGUE_DIR
// For each page and language: <html dir> is rtl/ltr, no catalogue key leaks
// into the visible text, the heading is in the page's language. Also: digits
// follow the user's option, vocabulary labels are translated, and a script
// typed into the public form is shown as text. Screenshots of every page in
// both languages land in ARTIFACT_DIR (i18n-<page>-<lang>.png).
// Exits 0 when every check passes; every wait is bounded.
'use strict';
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const { WAIT, args, timeLimit, startServer, launch, login, stopServer } = require('./harness');

const { serverBin, artifacts, catalogueDir } =
    args('i18n.test.js', ['serverBin', 'artifacts', 'catalogueDir']);
const overall = timeLimit('i18n browser test', 200000);
const catalogues = {
  en: JSON.parse(fs.readFileSync(path.join(catalogueDir, 'en.json'), 'utf8')),
  ar: JSON.parse(fs.readFileSync(path.join(catalogueDir, 'ar.json'), 'utf8')),
};
const namespaces = [...new Set(Object.keys(catalogues.en).map((k) => k.split('.')[0]))];
// A catalogue key shape of one of our namespaces, e.g. "queue.col.score" or "err.csrf".
const KEY_SHAPE = new RegExp('\\b(' + namespaces.join('|') + ')(\\.[a-z0-9_]+)+\\b');
const ARABIC = /[\u0600-\u06FF]/;
const ARABIC_INDIC = /[\u0660-\u0669]/;

async function main() {
  const server = await startServer(serverBin);
  const base = 'http://127.0.0.1:' + server.port;
  const browser = await launch('i18n');
  const { context, page } = browser;
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') console.error('page console:', m.text()); });
  const setCookie = (name, value) => context.addCookies([{ name, value, url: base }]);
  let checked = 0;

  // Direction, no leaked key, heading in the right language; a screenshot.
  async function checkPage(name, lang, ready) {
    await page.waitForSelector(`html[dir="${lang === 'ar' ? 'rtl' : 'ltr'}"]`, WAIT);
    await page.waitForSelector(ready, WAIT);
    const dir = await page.evaluate(() => document.documentElement.dir);
    assert.strictEqual(dir, lang === 'ar' ? 'rtl' : 'ltr', `${name}/${lang}: dir`);
    const htmlLang = await page.evaluate(() => document.documentElement.lang);
    assert.strictEqual(htmlLang, lang, `${name}/${lang}: lang attribute`);
    // Technical identifiers (matching weight names, marked translate="no") are not interface text.
    const text = await page.evaluate(() => {
      const copy = document.body.cloneNode(true);
      for (const n of copy.querySelectorAll('[translate="no"]')) n.remove();
      for (const n of copy.querySelectorAll('script, style, [hidden]')) n.remove();
      return copy.textContent;
    });
    const leak = KEY_SHAPE.exec(text);
    assert.ok(!leak, `${name}/${lang}: catalogue key "${leak && leak[0]}" leaks into the page`);
    for (const key of Object.keys(catalogues.en)) {
      assert.ok(!text.includes(key), `${name}/${lang}: catalogue key ${key} shown`);
    }
    const heading = await page.locator('h1').first().innerText();
    if (lang === 'ar') assert.ok(ARABIC.test(heading), `${name}/ar: heading in Arabic, got "${heading}"`);
    else assert.ok(!ARABIC.test(heading), `${name}/en: heading in English, got "${heading}"`);
    await page.screenshot({ path: path.join(artifacts, `i18n-${name}-${lang}.png`), fullPage: true });
    checked++;
    return text;
  }

  async function open(hashOrPath) {
    await page.goto(base + '/');  // a fresh load picks up the language cookie
    await page.waitForSelector('#app', WAIT);
    await page.goto(base + hashOrPath);
  }

  try {
    for (const lang of ['en', 'ar']) {
      await context.clearCookies();
      await setCookie('qayd_lang', lang);
      await page.goto('about:blank');  // the next load is a real one, with the new cookie
      // Login page (anonymous).
      await page.goto(base + '/#/login');
      await checkPage('login', lang, '#login-form');
      // The public form (anonymous).
      await page.goto(base + '/submit');
      await checkPage('submit', lang, '#submit-form');
      const options = await page.locator('#submit-governorate option').allInnerTexts();
      assert.ok(options.includes(lang === 'ar' ? 'غزة' : 'Gaza'),
                `submit/${lang}: governorates in the page's language: ${options.slice(0, 8)}`);

      // Staff pages, as an admin (sees every page).
      await login(page, base, 'admin1');
      await page.goto(base + '/#/queue');
      const queueText = await checkPage('queue', lang, '#queue-table');
      const itemId = await page.locator('#queue-table tbody tr').first().getAttribute('data-item');
      // The governorate column shows the vocabulary label of the page's language.
      assert.ok(queueText.includes(lang === 'ar' ? 'غزة' : 'Gaza'), `queue/${lang}: governorate label`);
      await open('/#/item/' + itemId);
      await checkPage('item', lang, '#compare');
      // The review screen, kept as an artifact in both languages.
      await page.screenshot({ path: path.join(artifacts, `review-screen-${lang}.png`), fullPage: true });
      const dod = await page.locator('#compare tr[data-field="date_of_death"] td.side-a').innerText();
      assert.ok(lang === 'ar' ? /يناير|كانون/.test(dod) : /January/.test(dod), `item/${lang}: date of death "${dod}"`);
      await open('/#/victim/' + server.victim);
      await checkPage('victim', lang, '#victim-reports');
      await open('/#/search');
      await checkPage('search', lang, '#search-name');
      await page.fill('#search-name', 'محمد');
      await page.press('#search-name', 'Enter');
      await page.waitForSelector('#search-results tbody tr, #search-results p', WAIT);
      await checkPage('search-results', lang, '#search-results');
      await open('/#/quarantine');
      await checkPage('quarantine', lang, 'main h1');
      await open('/#/feeds');
      await checkPage('feeds', lang, 'main h1');
      await open('/#/admin');
      await checkPage('admin', lang, '#auto-merge');
      await page.click('#app form button[type="submit"]');
      await page.waitForSelector('#whatif, #whatif-out [data-testid="error"]', WAIT);
      await checkPage('whatif', lang, '#whatif-out > *');
      // An API error shown in the page's language (err.<code>).
      await open('/#/victim/999999');
      await page.waitForSelector('[data-testid="error"]', WAIT);
      const err = await page.locator('[data-testid="error"]').innerText();
      assert.strictEqual(await page.locator('[data-testid="error"]').getAttribute('data-code'), 'not_found');
      assert.strictEqual(err, catalogues[lang]['err.not_found'], `error/${lang}`);
      // The html report.
      await page.goto(`${base}/api/v1/reports/deaths?year=2024&format=html&lang=${lang}`);
      await checkPage('report', lang, 'h1');
      await page.goto(base + '/');
      await page.waitForSelector('#logout:not([hidden])', WAIT);
      await page.click('#logout');
      await page.waitForSelector('#login-form', WAIT);
    }

    // Digits: Arabic-Indic on request, remembered; Western by default.
    await context.clearCookies();
    await setCookie('qayd_lang', 'ar');
    await page.goto('about:blank');
    await login(page, base, 'monitor1');
    await page.waitForSelector('#queue-table', WAIT);
    const scoreCell = () => page.locator('#queue-table tbody tr td').nth(2).innerText();
    const latn = await scoreCell();
    assert.ok(/[0-9]/.test(latn) && !ARABIC_INDIC.test(latn), 'western digits by default: ' + latn);
    assert.ok(await page.locator('#digits-box').isVisible(), 'the digits option shows on Arabic pages');
    await page.selectOption('#digits', 'arab');
    await page.locator('#queue-table tbody tr td', { hasText: ARABIC_INDIC }).first().waitFor(WAIT);
    const arab = await scoreCell();
    assert.ok(ARABIC_INDIC.test(arab) && !/[0-9]/.test(arab), 'Arabic-Indic digits on request: ' + arab);
    await page.reload();
    await page.waitForSelector('#queue-table', WAIT);
    assert.ok(ARABIC_INDIC.test(await scoreCell()), 'the digits choice is remembered');
    await page.screenshot({ path: path.join(artifacts, 'i18n-queue-ar-arab-digits.png'), fullPage: true });
    await page.selectOption('#lang', 'en');
    await page.waitForSelector('html[dir="ltr"]', WAIT);
    assert.ok(await page.locator('#digits-box').isHidden(), 'no digits option on English pages');
    await page.waitForSelector('#queue-table', WAIT);
    assert.ok(!ARABIC_INDIC.test(await scoreCell()), 'English pages use western digits');
    await page.click('#logout');
    await page.waitForSelector('#login-form', WAIT);

    // The public form: a script in a name is kept as text, shown as text, never run.
    await context.clearCookies();
    await setCookie('qayd_lang', 'ar');
    await page.goto('about:blank');
    const evil = '<img src=x onerror="document.title=\'pwned\'">محمد احمد حسن الخطيب';
    await page.goto(base + '/submit');
    await page.waitForSelector('#submit-form', WAIT);
    await page.fill('#submit-name', evil);
    await page.fill('#submit-date_of_death', '2024-01-03');
    await page.selectOption('#submit-governorate', 'Gaza');
    await page.fill('#submit-relation', 'أخ');
    await page.fill('#submit-contact', '+970-555-0100');
    await page.click('#submit-send');
    await page.waitForSelector('#submit-reference', WAIT);
    assert.ok(/^PF-[A-Z2-9]{12}$/.test(await page.locator('#submit-reference').innerText()), 'a reference');
    await checkPage('submit-done', 'ar', '#submit-thanks');
    // Invalid fields are marked, with the error in the page's language.
    await page.goto(base + '/');
    await page.goto(base + '/submit');
    await page.waitForSelector('#submit-form', WAIT);
    await page.fill('#submit-name', 'علي');
    await page.fill('#submit-date_of_birth', '2999-01-01');
    await page.click('#submit-send');
    await page.waitForSelector('#submit-wrong', WAIT);
    assert.strictEqual(await page.locator('#submit-date_of_birth').getAttribute('aria-invalid'), 'true');
    assert.ok((await page.locator('#submit-result').innerText()).includes(catalogues.ar['err.invalid_record']));
    await page.screenshot({ path: path.join(artifacts, 'i18n-submit-invalid-ar.png'), fullPage: true });
    // The review queue shows the submitted name literally.
    await login(page, base, 'monitor1');
    await page.waitForSelector('#queue-table', WAIT);
    const names = await page.locator('#queue-table bdi.name').allInnerTexts();
    assert.ok(names.includes(evil), 'the script is shown as text in the queue: ' + JSON.stringify(names));
    assert.strictEqual(await page.locator('#queue-table img').count(), 0, 'no element made from the name');
    assert.notStrictEqual(await page.title(), 'pwned');

    assert.deepStrictEqual(pageErrors, [], 'no script errors on the pages');
    console.log(`i18n browser test: ${checked} page checks passed; screenshots in ${artifacts}`);
  } catch (e) {
    await page.screenshot({ path: path.join(artifacts, 'i18n-failure.png'), fullPage: true }).catch(() => {});
    console.error('page url:', page.url());
    console.error('page errors:', pageErrors.join('\n'));
    console.error('page text:', (await page.locator('body').innerText().catch(() => '')).slice(0, 2000));
    throw e;
  } finally {
    await browser.close();
    stopServer(server);
    clearTimeout(overall);
  }
}

main().then(() => process.exit(0), (e) => { console.error('i18n browser test FAILED:', e); process.exit(1); });
