// Browser test of issue 22: the review screen a monitor can trust and work fast.
//   node screen.test.js SERVER_BINARY SCREENSHOT_DIR
// On qayd_web_test_server --screen (a small family register), in English and
// Arabic, at 1366×768 and 390×844: the decision controls lie inside the first
// viewport, the page never scrolls sideways, each candidate's score equals the
// total of the explanation shown with it, and the explanation has no raw
// identifiers. A two-part name is aligned by role (family, not father). Undo
// (z) of each decision kind (s, d, r, u) puts the item back in the queue; skip
// (n) releases the lease; 1–5 choose the candidate. Screenshots
// item-<lang>-<w>x<h>[-full].png land in SCREENSHOT_DIR. Every wait is bounded.
'use strict';
const path = require('path');
const assert = require('assert');
const { WAIT, args, timeLimit, startServer, launch, login, stopServer } = require('./harness');

const { serverBin, artifacts } = args('screen.test.js', ['serverBin', 'artifacts']);
const overall = timeLimit('screen browser test', 200000);
const SIZES = [[1366, 768], [390, 844]];
const RAW_IDENT = /\b(name\.(first|father|grandfather|family)|date_of_(birth|death)|place\.[a-z]+|within-year|same-year)\b/;

async function main() {
  const server = await startServer(serverBin, ['--screen'], ['VICTIM', 'ITEM', 'SHORT']);
  const base = 'http://127.0.0.1:' + server.port;
  const browser = await launch('screen');
  const { context, page } = browser;
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') console.error('page console:', m.text()); });
  const shot = (name, fullPage) => page.screenshot({ path: path.join(artifacts, name + '.png'), fullPage: !!fullPage });
  const queue = async () => (await (await page.request.get(base + '/api/v1/review/queue?limit=200')).json()).items;
  async function openItem(id) {
    await page.goto(base + '/#/queue');
    await page.waitForSelector('#queue-table, #queue-empty', WAIT);
    await page.goto(base + '/#/item/' + id);
    await page.waitForSelector(`#item-title[data-item="${id}"]`, WAIT);
    await page.waitForSelector('#compare', WAIT);
  }
  try {
    await login(page, base, 'monitor1');

    // 1. Layout and the one number, both languages, both sizes.
    for (const lang of ['en', 'ar']) {
      await context.addCookies([{ name: 'qayd_lang', value: lang, url: base }]);
      await page.goto('about:blank');
      for (const [w, h] of SIZES) {
        await page.setViewportSize({ width: w, height: h });
        await openItem(server.item);
        await page.waitForSelector(`html[dir="${lang === 'ar' ? 'rtl' : 'ltr'}"]`, WAIT);
        const tag = `${lang}-${w}x${h}`;
        // Decision controls inside the first viewport, without scrolling.
        for (const id of ['#btn-same', '#btn-different', '#btn-related', '#btn-unsure']) {
          const box = await page.locator(id).boundingBox();
          assert.ok(box && box.y >= 0 && box.y + box.height <= h, `${tag}: ${id} inside the first viewport (${JSON.stringify(box)})`);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${tag}: the page scrolls sideways by ${overflow}px`);
        // Every candidate: the score on its tab equals the explanation total shown with it.
        const tabs = await page.locator('.cand-tab').count();
        assert.ok(tabs >= 1, `${tag}: a candidate`);
        for (let i = 0; i < tabs; i++) {
          await page.locator('#item-title').click();
          await page.keyboard.press(String(i + 1));
          const tab = page.locator('.cand-tab').nth(i);
          assert.strictEqual(await tab.getAttribute('aria-pressed'), 'true', `${tag}: key ${i + 1} chooses candidate ${i + 1}`);
          const score = Number(await tab.getAttribute('data-score'));
          const total = Number(await page.locator('#why-total').getAttribute('data-total'));
          assert.ok(Math.abs(score - total) < 0.0006, `${tag}: candidate ${i + 1} score ${score} vs explanation total ${total}`);
          assert.strictEqual((await tab.locator('.score').innerText()).trim(), (await page.locator('#why-total').innerText()).trim(),
                             `${tag}: the score and the total read the same`);
        }
        await page.locator('#item-title').click();
        await page.keyboard.press('1');
        // The explanation speaks the page's language: no raw identifiers.
        const why = await page.locator('#contributions').innerText();
        assert.ok(!RAW_IDENT.test(why), `${tag}: raw identifier in the explanation: ${RAW_IDENT.exec(why)}`);
        if (lang === 'ar') assert.ok(!/days apart|freq/.test(why), `${tag}: English detail on an Arabic page`);
        // One comparison table: name parts, sex, age, dates, places, cause, incident.
        for (const f of ['part.first', 'part.family', 'sex', 'age', 'date_of_death', 'place_of_death', 'cause', 'incident_id']) {
          assert.strictEqual(await page.locator(`#compare tr[data-field="${f}"]`).count(), 1, `${tag}: row ${f}`);
        }
        await shot(`item-${tag}`);
        await shot(`item-${tag}-full`, true);
      }
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await context.addCookies([{ name: 'qayd_lang', value: 'en', url: base }]);
    await page.goto('about:blank');

    // 2. A two-part name aligned by role: "جمال النجار" = first + family.
    await openItem(server.short);
    const family = page.locator('#compare tr[data-part="family"]');
    assert.strictEqual(await family.locator('td.side-a').locator('bdi').first().innerText(), 'النجار');
    assert.strictEqual(await family.locator('[data-mark]').getAttribute('data-mark'), 'agree');
    const father = page.locator('#compare tr[data-part="father"]');
    if (await father.count()) {
      assert.strictEqual(await father.locator('[data-mark]').getAttribute('data-mark'), 'missing', 'father missing, not disagreeing');
    }
    await shot('item-short-name-en');

    // 3. Skip (n) gives the lease back.
    await openItem(server.item);
    await page.locator('#item-title').click();
    await page.keyboard.press('n');
    await page.waitForURL((u) => !u.hash.endsWith('/item/' + server.item), WAIT);
    const skipped = (await queue()).find((it) => it.id === server.item);
    assert.ok(skipped && skipped.claimed_by === '', 'skip released the lease: ' + JSON.stringify(skipped));

    // 4. Undo of each decision kind puts the item back in the queue.
    for (const key of ['s', 'd', 'r', 'u']) {
      await openItem(server.item);
      if (key === 'r') await page.fill('#reason', 'brothers, same father');
      await page.locator('#item-title').click();
      await page.keyboard.press(key);
      await page.locator('#status[data-item="' + server.item + '"]').waitFor(WAIT);
      await page.waitForURL((u) => !u.hash.endsWith('/item/' + server.item), WAIT);
      const gone = (await queue()).find((it) => it.id === server.item);
      assert.ok(!gone, `${key}: the decided item left this monitor's queue`);
      await page.locator('main').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('z');
      await page.waitForSelector(`#item-title[data-item="${server.item}"]`, WAIT);
      await page.locator('#status', { hasText: 'back in the queue' }).waitFor(WAIT);
      const back = (await queue()).find((it) => it.id === server.item);
      assert.ok(back && back.state === 'pending', `${key}: undo put the item back in the queue`);
      await page.evaluate(() => document.getElementById('status').removeAttribute('data-item'));
    }
    await shot('item-after-undo-en');

    assert.deepStrictEqual(pageErrors, [], 'no script errors on the page');
    console.log('screen browser test: all checks passed; screenshots in ' + artifacts);
  } catch (e) {
    await shot('screen-failure', true).catch(() => {});
    console.error('page errors:', pageErrors.join('\n'));
    throw e;
  } finally {
    await browser.close();
    stopServer(server);
    clearTimeout(overall);
  }
}

main().then(() => process.exit(0), (e) => { console.error('screen browser test FAILED:', e); process.exit(1); });
