// Browser test of issue 22's admin pages and the review checks still missing:
//   node admin.test.js SERVER_BINARY SCREENSHOT_DIR I18N_DIR
// On qayd_web_test_server --screen --quarantine, in English and Arabic:
// - quarantine correct-and-replay: reasons in the page's language, the
//   suggested value as a one-click fix, a still-invalid correction named field
//   by field, a replay that ends in the register with a link to the victim, the
//   entry kept and marked replayed; monitors see no form;
// - the users page (admin adds, resets, disables; a monitor has no link and is
//   refused); the death report page; the settings page with the conflict rules;
//   an unknown route shows "not found", never the queue;
// - undo of a review merge from the victim page puts the item back in the queue;
//   the queue's sort orders the rows by score; what-if prints the config lines
//   and refuses reversed thresholds in the page's language.
// Every page at 1366×768 and 390×844 without sideways scrolling; screenshots
// admin-<page>-<lang>-<w>x<h>.png in SCREENSHOT_DIR. Every wait is bounded.
'use strict';
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const { request } = require('playwright-core');
const { WAIT, args, timeLimit, startServer, launch, login, stopServer } = require('./harness');

const { serverBin, artifacts, i18n } = args('admin.test.js', ['serverBin', 'artifacts', 'i18n']);
const overall = timeLimit('admin browser test', 230000);
const SIZES = [[1366, 768], [390, 844]];
const catalogue = (lang) => JSON.parse(fs.readFileSync(path.join(i18n, lang + '.json'), 'utf8'));

// Polls `fn(arg)` in the page until it is true (waitForFunction with an
// argument evaluates a string, which the page's CSP forbids).
async function until(page, fn, arg, what) {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    if (await page.evaluate(fn, arg)) return;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await page.waitForTimeout(100);
  }
}

async function main() {
  const server = await startServer(serverBin, ['--screen', '--quarantine'],
                                   ['VICTIM', 'ITEM', 'SHORT', 'QUARANTINE_EN', 'QUARANTINE_AR', 'QUARANTINE_BAD']);
  const base = 'http://127.0.0.1:' + server.port;
  const admin = await launch('admin');
  const monitor = await launch('monitor');
  fs.rmSync(path.join(artifacts, 'admin-failure.png'), { force: true });  // none from an earlier run
  const pageErrors = [];
  for (const b of [admin, monitor]) {
    b.page.on('pageerror', (e) => pageErrors.push(String(e)));
    b.page.on('console', (m) => { if (m.type() === 'error') console.error('page console:', m.text()); });
    b.page.on('dialog', (d) => d.accept());
  }
  let current = admin.page;
  const shot = (page, name, full) => page.screenshot({ path: path.join(artifacts, name + '.png'), fullPage: !!full });
  // Opens `hash` in `lang` after the queue (so a stale render cannot pass for the page).
  async function open(b, lang, hash, selector) {
    current = b.page;
    await b.context.addCookies([{ name: 'qayd_lang', value: lang, url: base }]);
    await b.page.goto('about:blank');
    await b.page.goto(base + '/#/queue');
    await b.page.waitForSelector(`html[lang="${lang}"] #queue-table, html[lang="${lang}"] #queue-empty`, WAIT);
    await b.page.goto(base + '/' + hash);
    await b.page.waitForSelector(selector, WAIT);
  }
  // The page at both sizes: no sideways scroll; screenshots.
  async function sizes(b, name, lang) {
    for (const [w, h] of SIZES) {
      await b.page.setViewportSize({ width: w, height: h });
      await b.page.waitForTimeout(100);
      const overflow = await b.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}-${lang}-${w}x${h}: the page scrolls sideways by ${overflow}px`);
      await shot(b.page, `admin-${name}-${lang}-${w}x${h}`, true);
    }
    await b.page.setViewportSize({ width: 1366, height: 768 });
  }
  try {
    await login(admin.page, base, 'admin1');
    await login(monitor.page, base, 'monitor1');
    const ap = admin.page, mp = monitor.page;

    for (const lang of ['en', 'ar']) {
      const cat = catalogue(lang);
      const qid = lang === 'en' ? server.quarantine_en : server.quarantine_ar;
      // ---- quarantine: correct and replay ----
      await open(admin, lang, '#/quarantine', `.q-record[data-id="${qid}"] .q-form`);
      const card = ap.locator(`.q-record[data-id="${qid}"]`);
      const reason = card.locator('.q-problems li[data-field="place_of_death.governorate"]');
      assert.strictEqual(await reason.locator('[data-problem]').getAttribute('data-problem'), 'qr.vocab_suggest');
      const reasonText = await reason.innerText();
      if (lang === 'ar') {
        assert.ok(!/vocabulary|did you mean/.test(reasonText), 'the reason is translated: ' + reasonText);
        assert.ok(reasonText.includes('هل تقصد'), 'Arabic reason: ' + reasonText);
      }
      assert.ok(reasonText.includes('Khan Yunis') && reasonText.includes('Khan Younis'), reasonText);
      const waiting = lang === 'en' ? 3 : 2;  // the English run replays one
      assert.strictEqual(await ap.locator('#quarantine-total').innerText(), cat['qr.waiting'].replace('{n}', String(waiting)));
      await sizes(admin, 'quarantine', lang);
      // A correction still wrong elsewhere (the record that is not a date): named field by field.
      const bad = ap.locator(`.q-record[data-id="${server.quarantine_bad}"]`);
      await bad.locator('.q-replay').click();
      await bad.locator('.q-errors li[data-field="date_of_death"]').waitFor(WAIT);
      assert.strictEqual(await bad.locator('input.q-value[data-path="date_of_death"]').getAttribute('aria-invalid'), 'true');
      assert.strictEqual(await bad.locator('.q-result .error-page').innerText(), cat['qr.still_invalid']);
      // The one-click fix, then replay: the record reaches the register.
      const govInput = card.locator('input.q-value[data-path="place_of_death.governorate"]');
      assert.strictEqual(await govInput.inputValue(), 'Khan Yunis');
      await card.locator('.q-fix').click();
      assert.strictEqual(await govInput.inputValue(), 'Khan Younis', 'the fix fills the field');
      await card.locator('.q-replay').click();
      const outcome = card.locator('.q-outcome');
      await outcome.waitFor(WAIT);
      const decision = await outcome.getAttribute('data-decision');
      assert.ok(['new', 'review', 'merged'].includes(decision), 'outcome ' + decision);
      assert.strictEqual(await card.locator('.q-form').count(), 0, 'the form is gone once replayed');
      await shot(ap, `admin-quarantine-replayed-${lang}`, true);
      const listed = (await (await ap.request.get(base + '/api/v1/quarantine?limit=200')).json()).records;
      const entry = listed.find((q) => q.id === qid);
      assert.ok(entry && entry.replayed_report_id > 0, 'the entry is kept, marked replayed');
      await card.locator('a.q-victim').click();
      await ap.waitForSelector('#victim-reports', WAIT);
      assert.strictEqual(await ap.locator(`tr.victim-report[data-report="${entry.replayed_report_id}"]`).count(), 1,
                         'the link leads to the victim holding the replayed report');
      // Monitors see the records and problems, not the form.
      await open(monitor, lang, '#/quarantine', '.q-record');
      assert.strictEqual(await mp.locator('.q-form').count(), 0);
      assert.strictEqual(await mp.locator('.q-fix').count(), 0);
      assert.ok(await mp.locator(`.q-record[data-id="${server.quarantine_bad}"] .q-problems li`).count() >= 1);

      // ---- users ----
      await open(admin, lang, '#/users', '#users');
      assert.ok(await ap.locator('#nav-users').isVisible(), 'admins have the users link');
      assert.strictEqual(await ap.locator('#users tr[data-user="monitor1"] td').nth(1).innerText(), cat['role.monitor']);
      const name = 'mon-' + lang;
      await ap.fill('#user-name', name);
      await ap.fill('#user-password', 'short');
      await ap.click('#user-add-submit');
      await ap.locator('#users-status .error-page', { hasText: cat['users.err.password'] }).waitFor(WAIT);
      await ap.fill('#user-password', 'long-enough-pass');
      await ap.click('#user-add-submit');
      const row = ap.locator(`#users tr[data-user="${name}"]`);
      await row.waitFor(WAIT);
      assert.strictEqual(await row.getAttribute('data-disabled'), 'false');
      await row.locator('.u-reset-open').click();
      await row.locator('.u-password').fill('another-long-pass');
      await row.locator('.u-reset button[type=submit]').click();
      await ap.locator('#status', { hasText: name }).waitFor(WAIT);
      const fresh = await request.newContext();  // not the admin's session
      const check = await fresh.post(base + '/api/v1/login', { data: { user: name, password: 'another-long-pass' } });
      assert.strictEqual(check.status(), 200, 'the reset password works');
      await fresh.dispose();
      await ap.locator(`#users tr[data-user="${name}"] .u-disable`).click();
      await ap.locator(`#users tr[data-user="${name}"][data-disabled="true"]`).waitFor(WAIT);
      assert.strictEqual(await ap.locator('#users tr[data-user="admin1"] .u-disable').count(), 0, 'no disabling oneself');
      await sizes(admin, 'users', lang);
      await open(monitor, lang, '#/users', '[data-testid="error"]');
      assert.ok(!(await mp.locator('#nav-users').isVisible()), 'monitors have no users link');
      assert.strictEqual(await mp.locator('[data-testid="error"]').getAttribute('data-code'), 'forbidden');
      assert.strictEqual((await mp.request.get(base + '/api/v1/admin/users')).status(), 403);

      // ---- the death report (monitors too) ----
      await open(monitor, lang, '#/reports?year=2024', '#report-summary');
      assert.ok(await mp.locator('#nav-reports').isVisible());
      const api = await (await mp.request.get(base + '/api/v1/reports/deaths?year=2024&by=death&format=json')).json();
      assert.ok(api.total.count >= 1, 'the register has deaths in 2024');
      const shown = await mp.locator('#report-summary tr[data-figure="total"] td').innerText();
      const digits = (s) => s.replace(/[٠-٩]/g, (d) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(d))).replace(/\D/g, '');
      assert.strictEqual(digits(shown), String(api.total.count), 'the total shown is the report\'s');
      assert.strictEqual(await mp.locator('#report-summary tr[data-figure="total"] th').innerText(), cat['deaths.total']);
      assert.ok(await mp.locator('#report-places tbody tr').count() >= 1, 'a row per governorate');
      const printable = await mp.locator('#report-html').getAttribute('href');
      assert.ok(printable.includes('lang=' + lang) && printable.includes('year=2024'), printable);
      await sizes(monitor, 'reports', lang);
      await mp.fill('#report-period', '1999');
      await mp.click('#report-form button[type=submit]');
      await mp.waitForFunction(() => location.hash.includes('year=1999'), null, WAIT);
      await mp.locator('#report-period-label', { hasText: '1999' }).waitFor(WAIT);
      assert.strictEqual(await mp.locator('#report-summary tr[data-figure="total"] td').innerText(), '0', 'no deaths in 1999');

      // ---- settings, and no route silently shows the queue ----
      await open(admin, lang, '#/settings', '#settings-conflicts');
      assert.strictEqual(await ap.locator('#settings-conflicts tbody tr').count(), 8, 'every conflict rule');
      const death = await ap.locator('#settings-conflicts tr[data-rule="date_of_death"]').innerText();
      assert.ok(death.includes(cat['settings.rule.date_of_death']), death);
      assert.ok(/365|٣٦٥/.test(death), 'the tolerance in days: ' + death);
      // Tolerances take the count's plural form: 1 year, not "1 years" (Arabic: سنة واحدة; ٣ سنوات).
      const dob = await ap.locator('#settings-conflicts tr[data-rule="date_of_birth"] td.num').innerText();
      assert.strictEqual(dob, cat['settings.unit.date_of_birth'].replace('{n}', cat['count.year.one'].replace('{n}', '1')), dob);
      const age = await ap.locator('#settings-conflicts tr[data-rule="age"] td.num').innerText();
      assert.ok(['3', '٣'].some((d) => age.includes(cat['count.year.few'].replace('{n}', d))), age);
      assert.ok(await ap.locator('#settings-weights tbody tr').count() > 5);
      assert.strictEqual(await ap.locator('#settings-placeholder-undated').innerText(),
        cat['settings.placeholder_undated_on'], 'the placeholder-against-no-date rule, in the page\'s language');
      await sizes(admin, 'settings', lang);
      for (const hash of ['#/nonsense', '#/reportz']) {
        await open(admin, lang, hash, '#not-found');
        assert.strictEqual(await ap.locator('#queue-table').count(), 0, hash + ' does not show the queue');
        assert.strictEqual(await ap.locator('#not-found h1').innerText(), cat['notfound.title']);
      }
      await sizes(admin, 'notfound', lang);

      // ---- what-if: the config lines, and reversed thresholds named in the page's language ----
      await open(admin, lang, '#/admin', '#auto-merge');
      await ap.fill('#auto-merge', '15');
      await ap.fill('#review', '5');
      await ap.click('form button[type=submit]');
      const lines = await ap.locator('#config-lines').innerText();
      assert.ok(lines.includes('"thresholds": {"auto_merge": 15, "review": 5}'), lines);
      assert.ok(lines.trim().startsWith('"matching": {') && lines.trim().endsWith('}'), lines);
      const warning = await ap.locator('#whatif-warnings li').first().innerText();
      assert.strictEqual(warning, cat['admin.warn_few'].replace('{n}', '0').replace('{min}', '30'), 'the warning in the page\'s language');
      await sizes(admin, 'whatif', lang);
      await ap.fill('#auto-merge', '3');
      await ap.click('form button[type=submit]');
      const err = await ap.locator('#whatif-errors li').innerText();
      const expected = cat['admin.err.order'].split('{')[0];
      assert.ok(err.startsWith(expected), `${lang}: ${err}`);
      assert.strictEqual(await ap.locator('#auto-merge').getAttribute('aria-invalid'), 'true');
    }

    // ---- the queue's sort (by score, both ways), in both languages: the
    // server orders the whole queue (the page asks for it with sort=) ----
    current = mp;
    const items = (await (await mp.request.get(base + '/api/v1/review/queue?limit=200')).json()).items;
    assert.ok(items.length >= 2, 'two items to sort');
    for (const lang of ['en', 'ar']) {
      await open(monitor, lang, '#/queue', '#queue-table');
      for (const [key, cmp] of [['score_desc', (a, b) => b.top_score - a.top_score], ['score_asc', (a, b) => a.top_score - b.top_score]]) {
        const asked = mp.waitForRequest((r) => r.url().includes('/api/v1/review/queue?') && r.url().includes('sort=' + key), WAIT);
        await mp.selectOption('#queue-sort', key);
        await asked;
        const want = [...items].sort(cmp).map((it) => String(it.id));
        await until(mp, (w) => [...document.querySelectorAll('#queue-table tbody tr')].map((r) => r.dataset.item).join() === w,
                    want.join(), `${lang}: queue sorted ${key}: ${want}`);
      }
      await shot(mp, 'admin-queue-sorted-' + lang);
      await sizes(monitor, 'queue-sorted', lang);
    }
    // A negative score on the Arabic page (western digits) is drawn with its
    // minus sign before the digits, as written: "-22.66", not "22.66-".
    const placed = await mp.evaluate(() => {
      const cell = [...document.querySelectorAll('#queue-table tbody tr td:nth-child(3)')]
        .find((td) => td.textContent.includes('-'));
      if (!cell) return null;
      const text = cell.firstChild.nodeType === Node.TEXT_NODE ? cell.firstChild : cell.firstChild.firstChild;
      const at = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect().left; };
      const minus = text.data.indexOf('-'), digit = text.data.search(/[0-9]/);
      return { minus: at(minus), digit: at(digit), text: text.data };
    });
    assert.ok(placed, 'a negative score in the queue');
    assert.ok(placed.minus < placed.digit, 'ar: the minus sign before the digits: ' + JSON.stringify(placed));

    // ---- undo of a review merge from the victim page puts the item back ----
    await open(monitor, 'en', '#/item/' + server.item, '#compare');
    await mp.locator('#item-title').click();
    await mp.keyboard.press('1');
    const target = Number(await mp.locator('.cand-tab').first().getAttribute('data-victim-id'));
    await mp.keyboard.press('s');
    await mp.waitForURL((u) => !u.hash.endsWith('/item/' + server.item), WAIT);
    assert.ok(!(await (await mp.request.get(base + '/api/v1/review/queue?limit=200')).json()).items.find((i) => i.id === server.item));
    await open(monitor, 'en', '#/victim/' + target, '#victim-merges .undo-merge');
    const before = await mp.locator('tr.victim-report').count();
    await mp.locator('#victim-merges .undo-merge').first().click();
    await until(mp, (n) => document.querySelectorAll('tr.victim-report').length === n - 1, before, 'one report fewer');
    assert.strictEqual(await mp.locator('#victim-merges .undo-merge').count(), 0, 'the merge is marked undone');
    await shot(mp, 'admin-victim-merge-undone-en', true);
    const back = (await (await mp.request.get(base + '/api/v1/review/queue?limit=200')).json()).items.find((i) => i.id === server.item);
    assert.ok(back && back.state === 'pending', 'the item is back in the queue: ' + JSON.stringify(back));

    assert.deepStrictEqual(pageErrors, [], 'no script errors on the pages');
    console.log('admin browser test: all checks passed; screenshots in ' + artifacts);
  } catch (e) {
    await shot(current, 'admin-failure', true).catch(() => {});
    console.error('page errors:', pageErrors.join('\n'));
    console.error('page text:', (await current.locator('body').innerText().catch(() => '')).slice(0, 3000));
    throw e;
  } finally {
    await admin.close();
    await monitor.close();
    stopServer(server);
    clearTimeout(overall);
  }
}

main().then(() => process.exit(0), (e) => { console.error('admin browser test FAILED:', e); process.exit(1); });
