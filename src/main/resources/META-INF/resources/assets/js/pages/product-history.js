// A product's versions, newest first: when, who, what made the change (with a link to its job) and each
// changed field's before → after. It answers for a deleted product too: its history is kept.
import { api, qs, session } from '../api.js';
import { h, mount, fmt, badge, errorBox, modal, pager, table, toast } from '../dom.js';
import { fieldLabel, titleOf, valueCell } from '../history.js';
import { attributeList } from './attributes.js';

const SOURCES = { api: 'By hand (API)', import: 'Import', undo: 'Undo', 'delete-all': 'Delete all' };
const ORDER = ['sku', 'name', 'description', 'price', 'quantity', 'active'];
const rank = f => (ORDER.includes(f) ? ORDER.indexOf(f) : ORDER.length);

/** The SKU, from the product or, once it is deleted, from a version that names it. */
function skuOf(product, items) {
  if (product) return product.sku;
  for (const e of items) {
    const c = e.changes && e.changes.sku;
    if (c) return c.after ?? c.before;
  }
  return null;
}

/** One version's changed fields: a whole product (created, deleted, brought back) as its values, else before → after. */
function changeList(e, attrs) {
  const entries = Object.entries(e.changes || {}).sort(([a], [b]) => rank(a) - rank(b));
  if (!entries.length) return h('span', { class: 'muted' }, 'No field changed');
  const whole = 'sku' in e.changes && (entries.every(([, c]) => c.before === null) || entries.every(([, c]) => c.after === null));
  const onlyAfter = e.kind === 'created' || (whole && entries.every(([, c]) => c.before === null));
  const onlyBefore = e.kind === 'deleted' || (whole && !onlyAfter);
  return h('ul', { class: 'change-list' }, entries
    // A whole product: its values without the SKU (in the title) or the empty ones.
    .filter(([f, c]) => {
      if (!onlyAfter && !onlyBefore) return true;
      const v = onlyAfter ? c.after : c.before;
      return f !== 'sku' && v !== null && v !== '';
    })
    .map(([f, c]) => h('li', { 'data-field': f }, h('span', { class: 'field-name' }, fieldLabel(f, attrs)), ' ',
      onlyAfter ? h('span', { class: 'after' }, valueCell(f, c.after))
        : onlyBefore ? h('span', { class: 'before' }, valueCell(f, c.before))
          : [h('span', { class: 'before' }, valueCell(f, c.before)), h('span', { 'aria-hidden': 'true' }, ' → '),
            h('span', { class: 'sr-only' }, ' became '), h('span', { class: 'after' }, valueCell(f, c.after))])));
}

export async function productHistoryPage(root, id) {
  let page = 0;
  const head = h('div', {}, h('h1', {}, 'Product history'));
  const list = h('div');
  mount(root, h('p', {}, h('a', { href: '#/products' }, '← Products')), head, list);
  let product = null, attrs = [];
  try {
    [product, attrs] = await Promise.all([
      api(`/api/products/${id}`).catch(err => { if (err.status === 404) return null; throw err; }),
      attributeList().catch(() => []),
    ]);
  } catch (err) {
    mount(list, errorBox(err));
    return;
  }

  async function load() {
    try {
      const p = await api(`/api/products/${id}/history${qs({ page, size: 20 })}`);
      const jobIds = [...new Set(p.items.map(e => e.jobId).filter(Boolean))];
      const jobs = new Map(await Promise.all(jobIds.map(async j => [j, await titleOf(j, true)])));
      const sku = skuOf(product, p.items);
      // The newest version is on the first page: a recorded deletion can be taken back from here.
      const deletion = !product && page === 0 && p.items.length && p.items[0].kind === 'deleted';
      mount(head,
        h('h1', {}, sku ? ['History of ', h('code', {}, sku)] : 'Product history'),
        product
          ? h('p', { class: 'muted' }, `${product.name} · version ${fmt.int(product.version)} · last changed ${fmt.date(product.updatedAt)}`)
          : h('div', { class: 'alert info', role: 'status' }, badge('deleted'), ' This product no longer exists. Its history is kept',
            !deletion ? '.'
              : session.has('EDITOR', 'ADMIN')
                ? [': ', h('button', { type: 'button', class: 'secondary', onclick: restore }, 'Restore it'),
                  ' as it was when deleted, with its id and attributes.']
                : ': an editor can restore it.'));
      mount(list, table([
        { title: 'Version', class: 'num hide-narrow', cell: e => fmt.int(e.version) },
        { title: 'When', class: 'nowrap', cell: e => fmt.date(e.at) },
        { title: 'Who', cell: e => (e.actor && e.actor.email) || 'the system' },
        { title: 'Made by', cell: e => e.jobId
          ? h('a', { href: `#/imports/${e.jobId}`, 'data-source': e.source }, jobs.get(e.jobId) || SOURCES[e.source] || e.source)
          : h('span', { 'data-source': e.source }, SOURCES[e.source] || e.source) },
        { title: 'Change', cell: e => badge(e.kind) },
        { title: 'Fields', cell: e => changeList(e, attrs) },
      ], p.items, 'No recorded change: the product has not changed since history was turned on.', { stack: true }),
      p.totalItems > p.size ? pager(p, n => { page = n; load(); }) : null);
    } catch (err) {
      mount(list, errorBox(err));
    }
  }
  async function restore() {
    try {
      product = await api(`/api/products/${id}/restore`, { method: 'POST' });
      toast(`Restored ${product.sku}`);
    } catch (err) {
      await modal('Could not restore', errorBox(err));
    }
    load();
  }

  await load();
}
