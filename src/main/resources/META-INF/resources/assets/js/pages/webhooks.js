import { api, qs } from '../api.js';
import { h, mount, fmt, badge, errorBox, field, formDialog, confirmDialog, modal, pager, table, toast } from '../dom.js';

let eventTypes = null;

export async function webhooksPage(root) {
  const results = h('div');
  let page = 0;

  async function load() {
    try {
      const p = await api(`/api/webhooks${qs({ page, size: 20 })}`);
      mount(results, table([
        { title: 'URL', cell: w => h('a', { href: `#/webhooks/${w.id}` }, w.url) },
        { title: 'Events', class: 'hide-narrow', cell: w => w.events.join(', ') },
        { title: 'State', cell: w => endpointState(w) },
        { title: 'Description', class: 'hide-narrow', cell: w => w.description || '' },
        { title: h('span', { class: 'sr-only' }, 'Actions'), cell: w => h('div', { class: 'actions' },
          h('a', { class: 'button secondary', href: `#/webhooks/${w.id}`, 'aria-label': `Deliveries of ${w.url}` }, 'Deliveries'),
          h('button', { type: 'button', class: 'secondary', onclick: () => edit(w), 'aria-label': `Edit ${w.url}` }, 'Edit')) },
      ], p.items, 'No webhooks yet. Add one to tell other systems when products change or imports finish.'),
      p.totalItems > 0 ? pager(p, n => { page = n; load(); }) : null);
    } catch (err) {
      mount(results, errorBox(err));
    }
  }

  async function edit(w) {
    const saved = await webhookDialog(w);
    if (!saved) return;
    if (!w) await showSecret('Webhook created', saved.secret);
    else toast('Webhook saved');
    load();
  }

  mount(root, h('h1', {}, 'Webhooks'),
    h('div', { class: 'row' }, h('p', { class: 'muted grow' },
      'Each event is POSTed as JSON and signed per the Standard Webhooks spec (webhook-id, webhook-timestamp, webhook-signature).'),
      h('button', { type: 'button', onclick: () => edit(null) }, 'New webhook')),
    results);
  await load();
}

function endpointState(w) {
  if (!w.active) return badge('inactive');
  if (!w.enabled) return [badge('disabled'), h('div', { class: 'hint' }, w.disabledReason || '')];
  if (w.failingSince) return [badge('failing', 'retrying'), h('div', { class: 'hint' }, `since ${fmt.date(w.failingSince)}`)];
  return badge('active');
}

function showSecret(title, secret) {
  return modal(title, h('div', {},
    h('p', {}, 'This is the signing secret. Copy it now: it will not be shown again.'),
    h('p', { class: 'secret', id: 'webhook-secret' }, secret),
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(secret); toast('Copied'); } catch { toast('Select the secret and copy it'); }
    } }, 'Copy')), [{ text: 'I have saved it', value: true }]);
}

async function webhookDialog(w) {
  eventTypes ??= await api('/api/webhooks/event-types');
  const url = h('input', { name: 'url', type: 'url', value: w?.url ?? '', placeholder: 'https://example.com/hooks/sluice' });
  const description = h('input', { name: 'description', value: w?.description ?? '' });
  const active = h('input', { type: 'checkbox', id: 'wh-active', checked: w ? w.active : true });
  const boxes = eventTypes.map(t => h('input', { type: 'checkbox', value: t, id: `ev-${t}`, checked: w ? w.events.includes(t) || w.events.includes('*') : true }));
  return formDialog(w ? 'Edit webhook' : 'New webhook', [
    field('URL', url, 'Where events are sent. Private and internal addresses are refused.'),
    h('fieldset', { class: 'field', name: 'events' }, h('legend', {}, 'Events'),
      h('input', { type: 'hidden', name: 'events' }),
      boxes.map(b => h('div', { class: 'check' }, h('label', { for: b.id }, b, b.value)))),
    field('Description', description),
    h('div', { class: 'field check' }, h('label', { for: 'wh-active' }, active, 'Active')),
  ], w ? 'Save' : 'Create', () => {
    const body = { url: url.value.trim(), events: boxes.filter(b => b.checked).map(b => b.value), description: description.value || null, active: active.checked };
    return w ? api(`/api/webhooks/${w.id}`, { method: 'PUT', body }) : api('/api/webhooks', { method: 'POST', body });
  });
}

export async function webhookDetailPage(root, id) {
  const head = h('div'), log = h('div'), status = h('div');
  let page = 0;

  async function loadEndpoint() {
    const w = await api(`/api/webhooks/${id}`);
    mount(head,
      h('h1', {}, 'Webhook'),
      h('div', { class: 'card' },
        h('p', {}, h('strong', {}, w.url), ' ', endpointState(w)),
        h('p', { class: 'muted' }, `Events: ${w.events.join(', ')}`, w.description ? ` · ${w.description}` : ''),
        w.previousSecretExpiresAt ? h('p', { class: 'hint' }, `The previous secret also signs until ${fmt.date(w.previousSecretExpiresAt)}.`) : null,
        status,
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: sendTest }, 'Send a test event'),
          h('button', { type: 'button', class: 'secondary', onclick: () => edit(w) }, 'Edit'),
          h('button', { type: 'button', class: 'secondary', onclick: rotate }, 'Rotate secret'),
          h('button', { type: 'button', class: 'danger', onclick: () => remove(w) }, 'Delete'))));
  }

  async function loadLog() {
    try {
      const p = await api(`/api/webhooks/${id}/deliveries${qs({ page, size: 20 })}`);
      mount(log, h('h2', {}, 'Delivery log'), table([
        { title: 'Event', cell: d => h('code', {}, d.eventType) },
        { title: 'Status', cell: d => badge(d.status) },
        { title: 'HTTP', class: 'num', cell: d => d.statusCode ?? '—' },
        { title: 'Time', class: 'num', cell: d => d.responseTimeMs !== null && d.responseTimeMs !== undefined ? `${fmt.int(d.responseTimeMs)} ms` : '—' },
        { title: 'Attempts', class: 'num', cell: d => fmt.int(d.attempt) },
        { title: 'Last attempt', class: 'hide-narrow', cell: d => [fmt.date(d.lastAttemptAt), d.error ? h('div', { class: 'hint' }, d.error) : null,
          d.nextRetryAt && d.status !== 'delivered' ? h('div', { class: 'hint' }, `next try ${fmt.date(d.nextRetryAt)}`) : null] },
        { title: h('span', { class: 'sr-only' }, 'Actions'), cell: d => h('button', { type: 'button', class: 'secondary',
          'aria-label': `Replay ${d.eventType} delivery`, onclick: () => replay(d) }, 'Replay') },
      ], p.items, 'No deliveries yet. Send a test event to check the endpoint.'),
      p.totalItems > 0 ? pager(p, n => { page = n; loadLog(); }) : null);
    } catch (err) {
      mount(log, errorBox(err));
    }
  }

  const result = r => h('div', { class: `alert ${r.success ? 'info' : 'error'}`, role: 'status' },
    r.success ? `Delivered: HTTP ${r.statusCode} in ${fmt.int(r.responseTimeMs)} ms.`
      : `Not delivered${r.statusCode ? `: HTTP ${r.statusCode}` : ''}${r.error ? ` (${r.error})` : ''}.` + (r.nextRetryAt ? ` Next try ${fmt.date(r.nextRetryAt)}.` : ''));

  async function sendTest() {
    mount(status, h('p', { class: 'muted' }, 'Sending…'));
    try { mount(status, result(await api(`/api/webhooks/${id}/test`, { method: 'POST' }))); } catch (err) { mount(status, errorBox(err)); }
    loadLog();
  }

  async function replay(d) {
    try { mount(status, result(await api(`/api/webhooks/${id}/deliveries/${d.id}/retry`, { method: 'POST' }))); } catch (err) { mount(status, errorBox(err)); }
    loadLog();
  }

  async function edit(w) {
    if (await webhookDialog(w)) { toast('Webhook saved'); loadEndpoint(); }
  }

  async function rotate() {
    if (!await confirmDialog('Rotate secret', 'Make a new signing secret? The old one keeps signing beside it for 24 hours, so receivers can switch over.', 'Rotate')) return;
    try {
      const r = await api(`/api/webhooks/${id}/rotate-secret`, { method: 'POST' });
      await showSecret('New secret', r.secret);
      loadEndpoint();
    } catch (err) { mount(status, errorBox(err)); }
  }

  async function remove(w) {
    if (!await confirmDialog('Delete webhook', `Stop sending events to ${w.url} and delete its delivery log?`)) return;
    try { await api(`/api/webhooks/${id}`, { method: 'DELETE' }); toast('Webhook deleted'); location.hash = '#/webhooks'; } catch (err) { mount(status, errorBox(err)); }
  }

  mount(root, head, log);
  try { await loadEndpoint(); } catch (err) { mount(head, h('h1', {}, 'Webhook'), errorBox(err)); return; }
  await loadLog();
  const timer = setInterval(loadLog, 5000); // deliveries arrive in the background
  return () => clearInterval(timer);
}
