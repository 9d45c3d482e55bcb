// The web app served from a second origin: a plain static server on another port serves a copy of
// src/main/resources/META-INF/resources whose index.html names the API (<meta name="sluice-api-base">),
// as a team hosting the SPA on its own origin would deploy it. Chromium signs in, lists products and
// follows an import over SSE, every API call crossing origins (CORS; APP_CORS_ORIGINS in the test
// profile allows loopback origins). Run by CrossOriginBrowserTests with API_URL set to the test server.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const API = (process.env.API_URL || 'http://localhost:8080/').replace(/\/+$/, '');
const ADMIN = { email: process.env.ADMIN_EMAIL || 'admin@sluice.local', password: process.env.ADMIN_PASSWORD || 'admin' };
const SHOTS = process.env.SCREENSHOT_DIR || path.resolve(here, '../../../target/ui-screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TAG = `XO${Date.now().toString(36).toUpperCase()}`;
const ROWS = 400;
fs.mkdirSync(SHOTS, { recursive: true });

// The deploy step: copy the app, point it at the API.
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-site-'));
fs.cpSync(path.resolve(here, '../../main/resources/META-INF/resources'), site, { recursive: true });
const index = path.join(site, 'index.html');
const html = fs.readFileSync(index, 'utf8');
assert.match(html, /<meta name="sluice-api-base" content="">/, 'index.html has the API base meta tag');
fs.writeFileSync(index, html.replace('<meta name="sluice-api-base" content="">', `<meta name="sluice-api-base" content="${API}">`));

// A plain static file server: no proxy, no API.
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const served = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  served.push(url.pathname);
  const file = path.join(site, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end('not found'); return; }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const APP = `http://127.0.0.1:${server.address().port}/`;
assert.notEqual(new URL(APP).origin, new URL(API).origin, 'two origins');

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let page;
let failures = 0;
const pageErrors = [];
const apiRequests = [];

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok    ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    failures++;
    console.log(`FAIL  ${name}\n      ${String(err && err.stack || err).split('\n').slice(0, 6).join('\n      ')}`);
    if (page) await page.screenshot({ path: path.join(SHOTS, `FAILED-cross-origin-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
    throw err;
  }
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', e => pageErrors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()); });
  page.on('request', r => { if (new URL(r.url()).pathname.startsWith('/api/')) apiRequests.push({ url: r.url(), method: r.method(), type: r.resourceType() }); });

  await step('the app from the second origin signs in against the API', async () => {
    await page.goto(APP);
    await page.getByRole('heading', { name: 'Sign in to Sluice' }).waitFor();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('Recent imports').waitFor();
  });

  await step('it imports a CSV and follows it live over SSE to 100%', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import products' }).waitFor();
    const dt = await page.evaluateHandle(({ rows, tag }) => {
      const lines = ['sku,name,price,quantity,active'];
      for (let i = 0; i < rows; i++) lines.push(`${tag}-${String(i).padStart(4, '0')},Cross-origin widget ${i},${i % 50 + 1},${i % 9},true`);
      const d = new DataTransfer();
      d.items.add(new File([lines.join('\n') + '\n'], `cross-origin-${tag}.csv`, { type: 'text/csv' }));
      return d;
    }, { rows: ROWS, tag: TAG });
    await page.dispatchEvent('.dropzone', 'drop', { dataTransfer: dt });
    await page.getByRole('heading', { name: 'Preview' }).waitFor();
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.locator('#progress-percent', { hasText: '100%' }).waitFor({ timeout: 60000 });
    await page.getByText(/Import completed/).waitFor({ timeout: 30000 });
    assert.equal(Number((await page.locator('[data-count="created"]').textContent()).replace(/,/g, '')), ROWS);
    const sse = apiRequests.filter(r => /\/api\/imports\/[0-9a-f-]+\/events\?token=/.test(r.url));
    assert.ok(sse.length >= 1, 'an EventSource request');
    assert.ok(sse.every(r => r.url.startsWith(API)), `SSE went to the API origin: ${sse.map(r => r.url)}`);
    await page.screenshot({ path: path.join(SHOTS, 'cross-origin-import.png'), fullPage: true });
  });

  await step('it lists the imported products', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products', exact: true }).click();
    await page.getByLabel('Search').fill(`${TAG}-0042`);
    await page.getByRole('row', { name: new RegExp(`${TAG}-0042`) }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
  });

  await step('every API call crossed origins, and the static server served no API', async () => {
    assert.ok(apiRequests.length > 5, `API requests: ${apiRequests.length}`);
    const strays = apiRequests.filter(r => !r.url.startsWith(`${API}/api/`));
    assert.deepEqual(strays, [], 'no API request to the app origin');
    assert.equal(served.filter(p => p.startsWith('/api/')).length, 0);
    assert.deepEqual(pageErrors, [], 'no page or console errors (a CORS refusal would show here)');
  });
} catch {
  // reported by step()
} finally {
  await browser.close();
  server.close();
  fs.rmSync(site, { recursive: true, force: true });
}
if (failures) {
  console.log(`${failures} cross-origin browser test(s) failed`);
  process.exit(1);
}
console.log('cross-origin browser tests passed');
