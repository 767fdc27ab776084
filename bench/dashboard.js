// dashboard.js URL COUNT RUNS - the dashboard's first render, timed in
// headless Chromium (playwright-core from tests/ui/node_modules, driving
// the system browser: nothing is downloaded).
//
// Each run opens URL/_emulator/ui in a fresh browser context (no cache,
// no stored state) and takes the page's own clock, performance.now(),
// whose zero is the start of the navigation, at the first moment the
// WABA table holds COUNT rows: a MutationObserver installed before the
// page's scripts run watches for it, so the time includes fetching the
// page, running its script, fetching the state and building the table,
// and nothing of the driver's polling.
//
// Prints one line that bench/run parses:
//   DASHBOARD ms=T1,T2,...
// Exits 3 when the browser cannot start, which bench/run reports as n/a.
// Environment: CHROMIUM names the browser (default /usr/bin/chromium).
'use strict';

const path = require('node:path');
const { chromium } = require(path.join(__dirname, '..', 'tests', 'ui',
  'node_modules', 'playwright-core'));

const [url, count, runs] = [process.argv[2], Number(process.argv[3]),
  Number(process.argv[4] || 1)];

// Runs in the page before its own script: records when the table is full.
function watch(want) {
  const check = () => {
    const t = document.querySelector('#state-wabas tbody');
    if (t && t.rows.length >= want && window.__rendered === undefined) {
      window.__rendered = performance.now();
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
}

async function main() {
  if (!url || !(count > 0) || !(runs > 0)) {
    process.stderr.write('usage: dashboard.js URL COUNT [RUNS]\n');
    process.exit(2);
  }
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
        '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    // a container without what Chromium needs: bench/run reports n/a
    process.stderr.write('Chromium cannot start here: ' +
      String(e.message).split('\n')[0] + '\n');
    process.exit(3);
  }
  const times = [];
  try {
    // one untimed open: the browser's own first start is not the page's
    for (let i = 0; i <= runs; i++) {
      const ctx = await browser.newContext({
        viewport: { width: 1440, height: 900 } });
      await ctx.addInitScript(watch, count);
      const page = await ctx.newPage();
      await page.goto(`${url}/_emulator/ui`);
      await page.waitForFunction(() => window.__rendered !== undefined,
        null, { timeout: 60000 });
      const ms = await page.evaluate(() => window.__rendered);
      const rows = await page.locator('#state-wabas tbody tr').count();
      if (rows !== count) {
        throw new Error(`the WABA table has ${rows} rows, want ${count}`);
      }
      if (i > 0) times.push(ms);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`DASHBOARD ms=${times.map((t) => t.toFixed(1))
    .join(',')}\n`);
}

main().catch((e) => {
  process.stderr.write(`dashboard.js: ${e.message}\n`);
  process.exit(1);
});
