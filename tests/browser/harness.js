// Shared by the browser tests: arguments, the overall time bound, the test
// server (qayd_web_test_server) and a headless Debian chromium with a fresh
// profile, and the login form. Every wait is bounded.
'use strict';
const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const PASSWORD = 'browser-test-pass';
const WAIT = { timeout: 15000 };

// The script's positional arguments by name; exits 2 with a usage line when
// one is missing. Creates `artifacts` when it is among them.
function args(script, names) {
  const values = process.argv.slice(2);
  if (values.length < names.length || values.slice(0, names.length).some((v) => !v)) {
    console.error(`usage: node ${script} ${names.map((n) => n.toUpperCase()).join(' ')}`);
    process.exit(2);
  }
  const out = {};
  names.forEach((n, i) => { out[n] = values[i]; });
  if (out.artifacts) fs.mkdirSync(out.artifacts, { recursive: true });
  return out;
}

// Fails the whole test when it runs longer than `ms`; returns the timer.
function timeLimit(name, ms) {
  return setTimeout(() => { console.error(`${name}: overall time limit reached`); process.exit(1); }, ms);
}

// Starts the server with `extra` arguments; resolves once it has printed PORT
// and every id in `ids` ("VICTIM", ...) as { child, port, victim, ... }.
function startServer(serverBin, extra = [], ids = ['VICTIM']) {
  return new Promise((resolve, reject) => {
    const child = spawn(serverBin, ['--password', PASSWORD, ...extra], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not print its port and ids')), 60000);
    child.stdout.on('data', (d) => {
      out += d.toString();
      const get = (k) => { const m = new RegExp(k + ' (\\d+)').exec(out); return m ? Number(m[1]) : 0; };
      const got = { port: get('PORT') };
      for (const k of ids) got[k.toLowerCase()] = get(k);
      if (Object.values(got).every((v) => v > 0)) { clearTimeout(timer); resolve({ child, ...got }); }
    });
    child.on('exit', (code) => reject(new Error('server exited with ' + code)));
  });
}

// Headless chromium on a fresh profile; `options` are added to playwright's
// launch options (e.g. bypassCSP). close() also removes the profile.
async function launch(tag, options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `qayd-chromium-${tag}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Logs in through the form and waits for the navigation bar.
async function login(page, base, user) {
  await page.goto(base + '/#/login');
  await page.waitForSelector('#login-form', WAIT);
  await page.fill('#login-user', user);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#nav:not([hidden])', WAIT);
}

// Ends the server (closing its stdin, then SIGTERM).
function stopServer(server) {
  server.child.stdin.end();
  server.child.kill('SIGTERM');
}

module.exports = { PASSWORD, WAIT, args, timeLimit, startServer, launch, login, stopServer };
