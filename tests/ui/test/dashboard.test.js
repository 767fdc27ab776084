// The dashboard in Debian's headless Chromium (playwright-core drives the
// system browser; nothing is downloaded): the page loads with the demo
// fixtures and lists them, the journal shows a Graph call made meanwhile,
// actions change the state and the tables follow, markup in a name stays
// text, and with --admin-token the page asks for the token first.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { chromium } = require('playwright-core');

const BIN = process.env.WABA_EMU_BIN;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SHOT = process.env.UI_SCREENSHOT ||
  path.join(ROOT, 'build', 'ui-screenshot.png');
const WABA = '4000000000000001';
const ADMIN = 'EAAdemoAdmin';
const XSS = '<img src=x onerror="window.__xss=1">';

// An emulator on a free port; resolves once it prints its address.
function startEmulator(args = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, ['--port', '0', '--bind', '127.0.0.1',
      '--seed', '1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1].replace(/\/$/, ''), proc,
        stop: () => new Promise((res) => {
          proc.once('exit', (code) => res(code));
          proc.kill('SIGTERM');
        }) });
    });
    proc.once('exit', (code) => reject(new Error(
      `emulator exited (${code}) before serving: ${err}`)));
  });
}

let context;
let profile;

test.before(async () => {
  assert.ok(BIN, 'WABA_EMU_BIN names the emulator binary');
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'waba-ui-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

test.after(async () => {
  if (context) await context.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

// A fresh page that records every request it makes and every script error.
async function openPage(emu) {
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${emu.url}/_emulator/ui`);
  return { page, requests, errors };
}

function offsite(emu, urls) {
  return urls.filter((u) => !u.startsWith(emu.url + '/') &&
    !u.startsWith('data:'));
}

async function graphGet(emu, p) {
  const r = await fetch(`${emu.url}${p}`);
  await r.text();
  return r.status;
}

// A webhook receiver that answers 200; resolves to {url, close}.
function startReceiver() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200); res.end('ok'); });
    });
    srv.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${srv.address().port}/hook`,
      close: () => new Promise((res) => srv.close(res)) }));
  });
}

test('the page lists the fixtures, follows the journal and runs actions',
  async () => {
    const rx = await startReceiver();
    const emu = await startEmulator(['--webhook-url', rx.url]);
    try {
      const { page, requests, errors } = await openPage(emu);
      // the state tables, WABAs first
      const wabas = page.locator('#state-wabas');
      await wabas.waitFor();
      await assert.doesNotReject(wabas.getByText(WABA, { exact: true })
        .first().waitFor());
      await page.locator('#state-tabs button[data-tab="businesses"]').click();
      await page.locator('#state-businesses').getByText("Jasper's Market")
        .first().waitFor();
      await page.locator('#state-tabs button[data-tab="wabas"]').click();
      // the live stream is up before the call it must show
      await page.locator('#live.on').waitFor();
      assert.equal(await graphGet(emu,
        `/v21.0/${WABA}?fields=name&access_token=${ADMIN}`), 200);
      const row = page.locator('#journal tr', { hasText: `/v21.0/${WABA}` });
      await row.first().waitFor({ timeout: 5000 });
      assert.match(await row.first().innerText(), /GET/);
      assert.match(await row.first().innerText(), /200/);
      // a failed call shows its code
      assert.notEqual(await graphGet(emu, `/v21.0/${WABA}?access_token=bad`),
        200);
      await page.locator('#journal tr', { hasText: '190' }).first()
        .waitFor({ timeout: 5000 });

      // advance the clock: the header follows, the curl is shown
      const before = await (await fetch(`${emu.url}/_emulator/clock`)).json();
      await page.locator('#act-clock').click();
      await page.locator('#form-clock input[name="seconds"]').fill('86400');
      await page.locator('#form-clock button[type="submit"]').click();
      await page.locator('#curl', { hasText: '/_emulator/clock' }).waitFor();
      assert.match(await page.locator('#curl').innerText(),
        /advance_seconds":86400/);
      const after = await (await fetch(`${emu.url}/_emulator/clock`)).json();
      assert.equal(after.now, before.now + 86400);
      const shown = new Date(after.now * 1000).toISOString().slice(0, 10);
      await page.locator('#clock', { hasText: shown }).waitFor();

      // a change made elsewhere reaches the table; reset takes it back
      const added = await fetch(`${emu.url}/_emulator/fixtures`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ wabas: [{ id: '4000000000000099',
          business: '2000000000000001', name: 'Added by the test' }] }),
      });
      assert.equal(added.status, 200, await added.text());
      await page.locator('#state-wabas').getByText('Added by the test')
        .waitFor({ timeout: 5000 });
      await page.locator('#act-reset').click();
      await page.locator('#state-wabas').getByText('Added by the test')
        .waitFor({ state: 'detached', timeout: 5000 });
      const reset = await (await fetch(`${emu.url}/_emulator/clock`)).json();
      // the clock is back to real time: the day it was moved is gone
      assert.ok(reset.now < before.now + 3600, `clock ${reset.now}`);

      // fire a webhook event: the delivery shows up, delivered
      await page.locator('#act-webhook').click();
      await page.locator('#form-webhook select[name="waba"]')
        .selectOption(WABA);
      await page.locator('#form-webhook button[type="submit"]').click();
      await page.locator('#curl', { hasText: '/_emulator/webhooks/events' })
        .waitFor();
      await page.locator('#live-tabs button[data-tab="webhooks"]').click();
      await page.locator('#deliveries td', { hasText: 'delivered' }).first()
        .waitFor({ timeout: 5000 });
      await page.locator('#act-webhook').click();
      await page.locator('#live-tabs button[data-tab="requests"]').click();

      // a screenshot with something in the journal
      assert.equal(await graphGet(emu,
        `/v21.0/${WABA}/phone_numbers?access_token=${ADMIN}`), 200);
      assert.equal(await graphGet(emu, `/v21.0/me?access_token=${ADMIN}`),
        200);
      await page.locator('#journal tr', { hasText: '/v21.0/me' }).first()
        .waitFor({ timeout: 5000 });
      fs.mkdirSync(path.dirname(SHOT), { recursive: true });
      await page.screenshot({ path: SHOT, fullPage: true });

      assert.deepEqual(offsite(emu, requests), []);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      assert.equal(await emu.stop(), 0);
      await rx.close();
    }
  });

test('markup in a name is shown as text', async () => {
  const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures',
    'demo.json'), 'utf8'));
  demo.wabas.find((w) => w.id === WABA).name = XSS;
  demo.businesses[0].name = XSS;
  const file = path.join(profile, 'xss.json');
  fs.writeFileSync(file, JSON.stringify(demo));
  const emu = await startEmulator(['--fixtures', file]);
  try {
    const { page, errors } = await openPage(emu);
    const cell = page.locator('#state-wabas td', { hasText: 'onerror' });
    await cell.first().waitFor();
    assert.equal(await cell.first().textContent(), XSS);
    await page.locator('#state-tabs button[data-tab="businesses"]').click();
    await page.locator('#state-businesses td', { hasText: 'onerror' })
      .first().waitFor();
    // no element was made of it, and nothing ran
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    assert.equal(await emu.stop(), 0);
  }
});

test('with --admin-token the page asks for the token', async () => {
  const emu = await startEmulator(['--admin-token', 's3cret']);
  try {
    const { page, requests } = await openPage(emu);
    await page.locator('#login').waitFor();
    assert.equal(await page.locator('#app').isVisible(), false);
    assert.equal(await page.locator('#state-wabas').count(), 0);
    // a wrong token is refused and shows nothing
    await page.locator('#token').fill('wrong');
    await page.locator('#login-form button').click();
    await page.locator('#login-err', { hasText: 'refused' }).waitFor();
    assert.equal(await page.locator('#app').isVisible(), false);
    // the right one opens the page, the stream included
    await page.locator('#token').fill('s3cret');
    await page.locator('#login-form button').click();
    await page.locator('#state-wabas').getByText(WABA, { exact: true })
      .first().waitFor();
    await page.locator('#live.on').waitFor();
    assert.equal(await graphGet(emu, `/v21.0/me?access_token=${ADMIN}`), 200);
    await page.locator('#journal tr', { hasText: '/v21.0/me' }).first()
      .waitFor({ timeout: 5000 });
    // the token never went into a URL
    assert.deepEqual(requests.filter((u) => u.includes('s3cret')), []);
    await page.close();
  } finally {
    assert.equal(await emu.stop(), 0);
  }
});
