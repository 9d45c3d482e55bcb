// Drives a running Sluice with the client generated from its OpenAPI document, on node's test runner.
// OpenApiContractTests runs it against the test server: SLUICE_URL, ADMIN_EMAIL, ADMIN_PASSWORD.
// A webhook receiver listens on 127.0.0.1 (the test profile lets webhooks reach it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { EventSource } from 'eventsource';
import { Webhook } from 'standardwebhooks';
import { sluice, type Problem, type Schemas } from '../src/client.js';

const BASE = (process.env.SLUICE_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
const EMAIL = process.env.ADMIN_EMAIL ?? 'admin@sluice.local';
const PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin';
const TAG = `TS${Date.now().toString(36).toUpperCase()}`;
const ROWS = 600; // under APP_PRODUCTS_EXACT_COUNT_LIMIT (1000): the list total is exact

type Received = { headers: Record<string, string>; body: string };
const received: Received[] = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', c => { body += c; });
  req.on('end', () => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    received.push({ headers, body });
    res.writeHead(204).end();
  });
});

const api = sluice(BASE);
const { client } = api;
let secret = '';
let webhookId = '';
let jobId = '';

async function until<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

before(async () => {
  await new Promise<void>(r => receiver.listen(0, '127.0.0.1', r));
});
after(async () => {
  if (webhookId) await client.DELETE('/api/webhooks/{id}', { params: { path: { id: webhookId } } });
  receiver.close();
});

test('a wrong password is a typed problem, the right one logs in', async () => {
  const bad = await client.POST('/api/auth/login', { body: { email: EMAIL, password: 'not-the-password' } });
  assert.equal(bad.response.status, 401);
  assert.equal(bad.response.headers.get('content-type'), 'application/problem+json');
  const problem = bad.error as Problem;
  assert.equal(problem.status, 401);
  assert.match(problem.type, /^https:\/\/sluice\.dev\/problems\//);

  const tokens = await api.login(EMAIL, PASSWORD);
  assert.equal(tokens.tokenType, 'Bearer');
  const me = await client.GET('/api/auth/me');
  assert.equal(me.data?.email, EMAIL);
  assert.ok(me.data?.roles?.includes('ADMIN'));
});

test('a webhook endpoint pointing at this test is registered', async () => {
  const port = (receiver.address() as { port: number }).port;
  const { data, response } = await client.POST('/api/webhooks', {
    body: { url: `http://127.0.0.1:${port}/hooks/${TAG}`, events: ['import.completed'], description: 'TypeScript client test' },
  });
  assert.equal(response.status, 201, JSON.stringify(data));
  assert.ok(data?.id);
  assert.match(data?.secret ?? '', /^whsec_/);
  webhookId = data!.id!;
  secret = data!.secret!;
});

test('a file uploaded through its presigned URL is imported', async () => {
  const lines = ['sku,name,price,quantity,active'];
  for (let i = 0; i < ROWS; i++) lines.push(`${TAG}-${String(i).padStart(5, '0')},Typed widget ${i},${(i % 90) + 0.5},${i % 7},true`);
  const csv = new TextEncoder().encode(lines.join('\n') + '\n');

  const ticket = await client.POST('/api/uploads', { body: { filename: `${TAG}.csv`, size: csv.byteLength, contentType: 'text/csv' } });
  assert.equal(ticket.response.status, 201, JSON.stringify(ticket.error));
  const t = ticket.data!;
  assert.ok(t.url, 'one PUT for a small file');
  const put = await fetch(t.url!, { method: t.method ?? 'PUT', headers: t.headers ?? {}, body: csv });
  assert.equal(put.status, 200, await put.text());
  const done = await client.POST('/api/uploads/{id}/complete', { params: { path: { id: t.uploadId! } }, body: { parts: [] } });
  assert.equal(done.response.status, 200, JSON.stringify(done.error));

  const started = await client.POST('/api/imports', { body: { uploadId: t.uploadId, options: { mode: 'apply', onError: 'skip' } } });
  assert.equal(started.response.status, 202, JSON.stringify(started.error));
  assert.match(started.response.headers.get('location') ?? '', new RegExp(`/api/imports/${started.data!.id}$`));
  jobId = started.data!.id!;
});

test('the import is followed with EventSource, which resumes after a dropped connection with Last-Event-ID', async () => {
  const issued = await client.POST('/api/imports/{id}/events-token', { params: { path: { id: jobId } } });
  assert.equal(issued.response.status, 200, JSON.stringify(issued.error));
  const url = BASE + (issued.data as { url: string }).url;

  // The first connection is cut after its first event, as a flaky network would: EventSource must come
  // back by itself and say where it was.
  const connections: (string | null)[] = [];
  const cutting: typeof fetch = async (input, init) => {
    connections.push(new Headers(init?.headers).get('last-event-id'));
    const res = await fetch(input, init);
    if (connections.length > 1 || !res.body) return res;
    const reader = res.body.getReader();
    let seen = '';
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) { controller.close(); return; }
        seen += new TextDecoder().decode(value);
        const cut = seen.indexOf('\n\n');
        if (cut >= 0) {
          controller.enqueue(new TextEncoder().encode(seen.slice(0, cut + 2)));
          await reader.cancel();
          controller.error(new Error('connection dropped by the test'));
          return;
        }
        controller.enqueue(value);
      },
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };

  const ids: number[] = [];
  const final = await new Promise<Schemas['ProgressSnapshot']>((resolve, reject) => {
    const es = new EventSource(url, { fetch: cutting });
    const timer = setTimeout(() => { es.close(); reject(new Error(`no end event; ids ${ids}`)); }, 60000);
    es.addEventListener('progress', e => { ids.push(Number(e.lastEventId)); });
    es.addEventListener('end', e => {
      ids.push(Number(e.lastEventId));
      clearTimeout(timer);
      es.close();
      resolve(JSON.parse(e.data));
    });
  });

  assert.ok(connections.length >= 2, `reconnected (${connections.length} connections)`);
  assert.equal(connections[0], null);
  assert.equal(connections[1], String(ids[0]), 'the reconnect carried the last id seen');
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], `ids only go up: ${ids}`);
  assert.equal(final.status, 'completed');
  assert.equal(final.processedRows, ROWS);
  assert.equal(final.created, ROWS);
});

test('the imported products are listed', async () => {
  const page = await client.GET('/api/products', { params: { query: { q: TAG, size: 5, sort: 'sku' } } });
  assert.equal(page.response.status, 200, JSON.stringify(page.error));
  assert.equal(page.data!.totalItems, ROWS);
  assert.equal(page.data!.items!.length, 5);
  assert.equal(page.data!.items![0].sku, `${TAG}-00000`);
  const one = await client.GET('/api/products/{id}', { params: { path: { id: page.data!.items![0].id! } } });
  assert.equal(one.data?.name, 'Typed widget 0');
  assert.ok(one.response.headers.get('etag'), 'an ETag');
});

test('the import.completed webhook verifies with the standardwebhooks package', async () => {
  const hook = await until('an import.completed delivery', 30000, () =>
    received.find(r => r.body.includes(jobId) && r.body.includes('import.completed')));
  const payload = new Webhook(secret).verify(hook.body, hook.headers) as { type: string; data: { id?: string; jobId?: string } };
  assert.equal(payload.type, 'import.completed');
  assert.ok(JSON.stringify(payload.data).includes(jobId));
  // A tampered body, or another endpoint's secret, does not verify.
  assert.throws(() => new Webhook(secret).verify(hook.body.replace('completed', 'c0mpleted'), hook.headers));
  const other = 'whsec_' + Buffer.from('another endpoint secret 32 bytes').toString('base64');
  assert.throws(() => new Webhook(other).verify(hook.body, hook.headers));
});
