import { api, qs, session } from '../api.js';
import { h, mount, fmt, badge, errorBox, field, formDialog, confirmDialog, modal, pager, table, toast, saveBlob } from '../dom.js';
import { attributeList, attributeInputs } from './attributes.js';
import { askUndo } from '../history.js';

export async function productsPage(root) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const state = { q: '', active: params.get('active') || '', page: 0 };
  const canWrite = session.has('EDITOR', 'ADMIN');
  const results = h('div');
  const search = h('input', { type: 'search', name: 'q', placeholder: 'SKU or name', autocomplete: 'off' });
  const active = h('select', { name: 'active' },
    h('option', { value: '' }, 'All'), h('option', { value: 'true' }, 'Active'), h('option', { value: 'false' }, 'Inactive'));
  active.value = state.active;
  // Attribute columns to show, and one attribute filter (attr.<code>=value).
  const attrs = await attributeList().catch(() => []);
  const columns = h('select', { name: 'columns', multiple: true, size: Math.min(4, Math.max(2, attrs.length)) },
    attrs.map(a => h('option', { value: a.code }, a.label)));
  const filterAttr = h('select', { name: 'filterAttr' }, h('option', { value: '' }, '—'), attrs.map(a => h('option', { value: a.code }, a.label)));
  const filterValue = h('input', { type: 'search', name: 'filterValue', autocomplete: 'off', placeholder: 'value' });
  columns.addEventListener('change', () => load());
  filterAttr.addEventListener('change', () => { state.page = 0; load(); });
  filterValue.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.page = 0; load(); }, 250); });
  const shown = () => [...columns.selectedOptions].map(o => attrs.find(a => a.code === o.value)).filter(Boolean);
  const attrFilter = () => (filterAttr.value && filterValue.value.trim() ? { [`attr.${filterAttr.value}`]: filterValue.value.trim() } : {});

  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value.trim(); state.page = 0; load(); }, 250); });
  active.addEventListener('change', () => { state.active = active.value; state.page = 0; load(); });

  async function load() {
    try {
      const page = await api(`/api/products${qs({ q: state.q, active: state.active, page: state.page, size: 20, sort: 'sku', ...attrFilter() })}`);
      mount(results, table([
        { title: 'SKU', cell: p => h('a', { href: `#/products/${p.id}/history`, title: `History of ${p.sku}` }, h('code', {}, p.sku)) },
        { title: 'Name', cell: p => p.name },
        { title: 'Price', class: 'num', cell: p => fmt.money(p.price) },
        { title: 'Qty', class: 'num', cell: p => fmt.int(p.quantity) },
        { title: 'Status', cell: p => badge(p.active ? 'active' : 'inactive') },
        ...shown().map(a => ({ title: a.label, cell: p => { const v = (p.attributes || {})[a.code]; return v === undefined || v === null ? '' : String(v); } })),
        { title: 'Updated', class: 'hide-narrow', cell: p => fmt.date(p.updatedAt) },
        // At phone width the SKU is the way to the history: the column keeps to the write actions.
        { title: h('span', { class: 'sr-only' }, 'Actions'), class: canWrite ? '' : 'hide-narrow', cell: p => h('div', { class: 'actions' },
          h('a', { class: 'button secondary hide-narrow', href: `#/products/${p.id}/history`, 'aria-label': `History of ${p.sku}` }, 'History'),
          canWrite ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${p.sku}`, onclick: () => edit(p) }, 'Edit') : null,
          canWrite ? h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${p.sku}`, onclick: () => remove(p) }, 'Delete') : null) },
      ], page.items, state.q || state.active ? 'No products match.' : 'No products yet.'),
      page.totalItems > 0 ? pager(page, n => { state.page = n; load(); }) : null);
    } catch (err) {
      mount(results, errorBox(err));
    }
  }

  async function edit(p) {
    const saved = await productDialog(p);
    if (saved) { toast(`Saved ${saved.sku}`); load(); }
  }

  async function remove(p) {
    if (!await confirmDialog('Delete product', `Delete ${p.sku} (${p.name})? Its history is kept: you can restore it from its history page.`)) return;
    try {
      await api(`/api/products/${p.id}`, { method: 'DELETE', headers: { 'If-Match': `"${p.version}"` } });
      toast(`Deleted ${p.sku}`);
    } catch (err) {
      await modal('Could not delete', errorBox(err));
    }
    load();
  }

  async function removeAll() {
    const ok = await confirmDialog('Delete every product',
      'This deletes the whole catalogue, every product, for every user. Webhook subscribers are told. '
      + 'It is listed in the import history, where it can be undone.', 'Delete everything');
    if (!ok) return;
    let r;
    try {
      r = await api('/api/products', { method: 'DELETE' });
    } catch (err) {
      await modal('Could not delete', errorBox(err));
      load();
      return;
    }
    load();
    if (!r.jobId) { toast(`Deleted ${fmt.int(r.deleted)} products`); return; }
    // Offer the undo at once: the job brings every product back with its id, history and attributes.
    const next = await modal(`Deleted ${fmt.int(r.deleted)} products`,
      h('p', {}, 'Changed your mind? Undo brings every product back with its id, history and attributes.'), [
        { text: 'Close', value: null, secondary: true },
        { text: 'Open the job', value: 'job', secondary: true },
        { text: 'Undo delete all…', value: 'undo' },
      ]);
    if (next === 'job') location.hash = `#/imports/${r.jobId}`;
    if (next === 'undo') {
      try {
        await askUndo(await api(`/api/imports/${r.jobId}`));
      } catch (err) {
        await modal('Could not undo', errorBox(err));
      }
    }
  }

  async function exportAs(format) {
    try {
      const res = await api(`/api/products/export${qs({ format, q: state.q, active: state.active })}`, { raw: true, headers: { Accept: '*/*' } });
      saveBlob(await res.blob(), `products.${format}`);
    } catch (err) {
      await modal('Export failed', errorBox(err));
    }
  }

  mount(root,
    h('h1', {}, 'Products'),
    h('div', { class: 'row' },
      h('div', { class: 'grow' }, field('Search', search)),
      h('div', {}, field('Status', active)),
      attrs.length ? h('div', {}, field('Attribute', filterAttr)) : null,
      attrs.length ? h('div', {}, field('Attribute value', filterValue)) : null,
      attrs.length ? h('div', {}, field('Attribute columns', columns)) : null,
      h('div', { class: 'spacer' }),
      h('div', { class: 'actions field' },
        canWrite ? h('button', { type: 'button', onclick: () => edit(null) }, 'New product') : null,
        h('button', { type: 'button', class: 'secondary', onclick: () => exportAs('csv') }, 'Export CSV'),
        h('button', { type: 'button', class: 'secondary', onclick: () => exportAs('xlsx') }, 'Export XLSX'),
        session.has('ADMIN') ? h('button', { type: 'button', class: 'danger', onclick: removeAll }, 'Delete all…') : null)),
    results);
  await load();
  if (params.get('new') && canWrite) edit(null);
}

/** Create (p null) or edit; resolves with the saved product or null. */
async function productDialog(p) {
  const attrs = attributeInputs(await attributeList().catch(() => []), p?.attributes || {});
  const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });
  const sku = input('sku', p?.sku, { autocomplete: 'off' });
  const name = input('name', p?.name);
  const description = h('textarea', { name: 'description' }, p?.description ?? '');
  const price = input('price', p?.price, { inputmode: 'decimal' });
  const quantity = input('quantity', p?.quantity, { inputmode: 'numeric' });
  const active = h('input', { type: 'checkbox', name: 'active', checked: p ? p.active : true, id: 'p-active' });
  const num = v => (v.trim() === '' ? null : isNaN(Number(v)) ? v : Number(v));
  return formDialog(p ? `Edit ${p.sku}` : 'New product', [
    field('SKU', sku), field('Name', name), field('Description', description),
    h('div', { class: 'grid' }, field('Price', price), field('Quantity', quantity)),
    h('div', { class: 'field check' }, h('label', { for: 'p-active' }, active, 'Active')),
    attrs.fields.length ? h('h3', {}, 'Attributes') : null, attrs.fields,
  ], p ? 'Save' : 'Create', () => {
    const body = { sku: sku.value, name: name.value, description: description.value || null,
      price: num(price.value), quantity: num(quantity.value), active: active.checked, attributes: attrs.values() };
    return p
      ? api(`/api/products/${p.id}`, { method: 'PUT', body, headers: { 'If-Match': `"${p.version}"` } })
      : api('/api/products', { method: 'POST', body });
  });
}
