// History and undo: how jobs are named, a job's recorded changes (counts, a paged before/after table,
// the CSV), the undo's confirmation, and how changed values read.
import { api, qs } from './api.js';
import { h, mount, fmt, badge, errorBox, field, modal, pager, saveBlob, toast } from './dom.js';
import { attributeList } from './pages/attributes.js';

const FIELD_LABELS = { sku: 'SKU', name: 'Name', description: 'Description', price: 'Price', quantity: 'Quantity', active: 'Active',
  createdAt: 'Created at', updatedAt: 'Updated at' };
const FIELD_ORDER = Object.keys(FIELD_LABELS);
/** The kinds of change each kind of job records. */
const KINDS = { import: ['created', 'updated'], undo: ['deleted', 'restored'], 'delete-all': ['deleted'] };
const KIND_LABELS = { created: 'Created', updated: 'Updated', deleted: 'Deleted', restored: 'Restored' };

export const plural = (n, one, many = `${one}s`) => `${fmt.int(n)} ${n === 1 ? one : many}`;

// Jobs by id, fetched once: a name needs only the kind, file and delete-all count, which never change.
const known = new Map();
function jobOnce(id) {
  if (!known.has(id)) known.set(id, api(`/api/imports/${id}`).catch(() => { known.delete(id); return null; }));
  return known.get(id);
}

/** Jobs already at hand (a page of the list) need no fetch to be named. */
export function remember(jobs) {
  for (const j of jobs) if (!known.has(j.id)) known.set(j.id, Promise.resolve(j));
}

function ownName(j, long) {
  if (j.kind === 'delete-all') return `Delete all (${plural(j.deleted, 'product')})`;
  const file = j.filename || j.objectKey || 'a file';
  return long ? `Import of ${file}` : file;
}

/**
 * A job's name: its file, "Undo of <file>" (an undo of an undo is a "Redo of <file>"), or
 * "Delete all (N products)". long: an import reads "Import of <file>".
 */
export async function jobTitle(j, long = false) {
  if (j.kind !== 'undo') return ownName(j, long);
  let depth = 0, t = j;
  while (t && t.kind === 'undo' && depth < 20) {
    depth++;
    t = t.undoOf ? await jobOnce(t.undoOf) : null;
  }
  const root = t ? ownName(t, false) : j.filename || 'a job';
  return `${depth % 2 ? 'Undo' : 'Redo'} of ${t && t.kind === 'delete-all' ? root[0].toLowerCase() + root.slice(1) : root}`;
}

/** The names of a page of jobs: Map id → name. */
export async function jobTitles(jobs, long = false) {
  remember(jobs);
  return new Map(await Promise.all(jobs.map(async j => [j.id, await jobTitle(j, long)])));
}

/** The name of the job with this id (fetched once), or a plain fallback. */
export async function titleOf(id, long = false) {
  const j = await jobOnce(id);
  return j ? jobTitle(j, long) : 'a job';
}

/** How many changes of each kind a job recorded: {created: n, updated: n} for an import. */
export async function changeCounts(job) {
  const kinds = KINDS[job.kind] || KINDS.import;
  const totals = await Promise.all(kinds.map(k => api(`/api/imports/${job.id}/changes${qs({ kind: k, size: 1 })}`).then(p => p.totalItems)));
  return Object.fromEntries(kinds.map((k, i) => [k, totals[i]]));
}

/** A field's name as people read it; attributes by their label when defined. */
export function fieldLabel(name, attrs = []) {
  if (FIELD_LABELS[name]) return FIELD_LABELS[name];
  if (name.startsWith('attributes.')) {
    const code = name.slice('attributes.'.length);
    const a = attrs.find(x => x.code === code);
    return a ? a.label : code;
  }
  return name;
}

const fieldRank = name => {
  const i = FIELD_ORDER.indexOf(name);
  return i >= 0 ? i : FIELD_ORDER.length;
};

/** A recorded value: "empty" for none, yes/no, prices with two decimals; undefined (no such side) is a dash. */
export function valueCell(name, v) {
  if (v === undefined) return h('span', { class: 'muted' }, '—');
  if (v === null || v === '') return h('span', { class: 'val-empty' }, 'empty');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (name === 'price' && typeof v === 'number') return fmt.money(v);
  if ((name === 'createdAt' || name === 'updatedAt') && typeof v === 'string') return fmt.date(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * A change's fields as [{field, before, after}]. A whole product (created, deleted, brought back) lists
 * its values without the SKU (shown beside) or the empty ones; before or after is then undefined.
 */
function fieldsOf(c) {
  const b = c.before || {}, a = c.after || {};
  const whole = c.before === null || c.after === null;
  const out = [];
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (k === 'attributes') continue;
    out.push({ field: k, before: c.before === null ? undefined : b[k], after: c.after === null ? undefined : a[k] });
  }
  const ba = b.attributes || {}, aa = a.attributes || {};
  for (const code of new Set([...Object.keys(ba), ...Object.keys(aa)])) {
    out.push({ field: `attributes.${code}`, before: c.before === null ? undefined : ba[code], after: c.after === null ? undefined : aa[code] });
  }
  out.sort((x, y) => fieldRank(x.field) - fieldRank(y.field));
  if (!whole) return out;
  return out.filter(f => {
    const v = f.before === undefined ? f.after : f.before;
    return f.field !== 'sku' && v !== null && v !== undefined && v !== '';
  });
}

/** A whole product's values on one line (long ones shortened; the CSV and the product's history have them whole). */
function wholeProduct(fields, side, attrs) {
  return h('ul', { class: 'inline-fields' }, fields.map(f => {
    const v = f[side];
    const long = typeof v === 'string' && v.length > 60;
    return h('li', { title: long ? v : null }, h('span', { class: 'field-name' }, fieldLabel(f.field, attrs)), ' ',
      long ? `${v.slice(0, 57)}…` : valueCell(f.field, v));
  }));
}

/**
 * A page of changes. An updated product: one row per changed field, its SKU and kind beside the first.
 * A created, deleted or brought-back product: one row with its values.
 */
function changesTable(items, attrs) {
  if (!items.length) return h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, 'No changes of this kind.'));
  // Explicit roles: at phone width the rows stack (app.css) and stay a table to screen readers.
  const cell = (label, props, ...children) => h('td', { role: 'cell', 'data-label': label, ...props }, ...children);
  const sku = c => h('a', { href: `#/products/${c.productId}/history`, title: 'History of this product' }, h('code', {}, c.sku));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'diff stack', role: 'table' },
    h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' },
      ['SKU', 'Change', 'Field', 'Before', 'After'].map(t => h('th', { scope: 'col', role: 'columnheader' }, t)))),
    items.map(c => {
      const fields = fieldsOf(c);
      if (c.before === null || c.after === null) {
        return h('tbody', { role: 'rowgroup' }, h('tr', { role: 'row' }, cell('SKU', {}, sku(c)), cell('Change', {}, badge(c.kind)),
          cell('Field', { class: 'muted' }, c.before !== null ? 'Whole product' : c.kind === 'restored' ? 'Brought back' : 'New product'),
          cell('Before', { class: 'before' }, c.before === null ? valueCell(null, undefined) : wholeProduct(fields, 'before', attrs)),
          cell('After', { class: 'after' }, c.after === null ? valueCell(null, undefined) : wholeProduct(fields, 'after', attrs))));
      }
      if (!fields.length) fields.push({ field: null, before: undefined, after: undefined });
      return h('tbody', { role: 'rowgroup' }, fields.map((f, i) => h('tr', { role: 'row' },
        i === 0 ? [cell('SKU', { rowspan: fields.length }, sku(c)), cell('Change', { rowspan: fields.length }, badge(c.kind))] : null,
        cell('Field', {}, f.field ? fieldLabel(f.field, attrs) : '—'),
        cell('Before', { class: 'before' }, valueCell(f.field, f.before)),
        cell('After', { class: 'after' }, valueCell(f.field, f.after)))));
    })));
}

/**
 * The changes a job recorded: counts by kind, a kind filter, a paged before/after table and the CSV.
 * counts: from changeCounts(job). Returns the section; it fills itself in.
 */
export function changesPanel(job, counts, filenameBase) {
  const dry = job.options && job.options.mode === 'dry-run';
  const kinds = Object.keys(counts);
  const total = kinds.reduce((n, k) => n + counts[k], 0);
  const state = { kind: '', page: 0 };
  const results = h('div');
  const section = h('section', { 'aria-labelledby': 'changes-title', id: 'changes' },
    h('h2', { id: 'changes-title' }, dry ? 'What it would change' : 'Changes'));
  if (!total) {
    section.append(h('p', { class: 'muted' }, dry ? 'The dry run found nothing to change.'
      : 'No changes were recorded for this job: it changed no product, or it ran while history was off.'));
    return section;
  }
  const filter = h('select', { name: 'kind', onchange: () => { state.kind = filter.value; state.page = 0; load(); } },
    h('option', { value: '' }, `All (${fmt.int(total)})`),
    kinds.filter(k => counts[k]).map(k => h('option', { value: k }, `${KIND_LABELS[k]} (${fmt.int(counts[k])})`)));
  let attrs = null;

  async function load() {
    try {
      attrs ??= await attributeList().catch(() => []);
      const page = await api(`/api/imports/${job.id}/changes${qs({ kind: state.kind, page: state.page, size: 20 })}`);
      mount(results, changesTable(page.items, attrs),
        page.totalItems > page.size ? pager(page, n => { state.page = n; load(); }) : null);
    } catch (err) {
      mount(results, errorBox(err));
    }
  }

  async function download() {
    try {
      const res = await api(`/api/imports/${job.id}/changes.csv`, { raw: true, headers: { Accept: 'text/csv' } });
      saveBlob(await res.blob(), `${filenameBase}-changes.csv`);
    } catch (err) {
      await modal('Download failed', errorBox(err));
    }
  }

  section.append(...[
    dry ? h('p', { class: 'hint' }, 'Nothing was written: these are the changes the import would make.') : null,
    h('div', { class: 'counts' }, kinds.map(k => h('div', {},
      h('div', { class: 'l muted' }, KIND_LABELS[k]), h('div', { class: 'n', 'data-change-count': k }, fmt.int(counts[k]))))),
    h('div', { class: 'row' },
      h('div', {}, field('Show', filter)),
      h('div', { class: 'spacer' }),
      h('div', { class: 'field' }, h('button', { type: 'button', class: 'secondary', onclick: download }, 'Download the changes (CSV)'))),
    h('p', { class: 'hint' }, 'Each product with the fields the job changed, before and after. The CSV has one line per changed field.'),
    results].filter(Boolean));
  load();
  return section;
}

/** What an undo of this job would do, as a sentence: "Delete 1,000 products it created and restore 500 it changed?" */
function undoQuestion(counts) {
  const what = [];
  if (counts.created) what.push(`delete ${plural(counts.created, 'product')} it created`);
  if (counts.updated) what.push(`restore ${fmt.int(counts.updated)} it changed`);
  if (counts.deleted) what.push(`bring back ${plural(counts.deleted, 'product')} it deleted`);
  if (counts.restored) what.push(`undo what it restored on ${plural(counts.restored, 'product')}`);
  if (!what.length) return 'It recorded no change.';
  const s = what.join(' and ');
  return `${s[0].toUpperCase()}${s.slice(1)}?`;
}

/**
 * Asks to undo a job (its counts in the confirmation, with "force"), starts the undo and opens it.
 * Resolves with the undo job, or null when cancelled or refused (a refusal's detail is shown first).
 */
export async function askUndo(job, counts) {
  let title;
  try {
    counts ??= await changeCounts(job);
    title = await jobTitle(job, true);
  } catch (err) {
    await modal('Could not undo', errorBox(err));
    return null;
  }
  const force = h('input', { type: 'checkbox', id: 'undo-force', name: 'force' });
  const action = job.kind === 'undo' ? 'Redo' : 'Undo';
  const ok = await modal(`${action}: ${title}`, h('div', {},
    h('p', { id: 'undo-question' }, undoQuestion(counts)),
    h('p', { class: 'hint' }, 'Products changed since are left alone and listed as conflicts, with who changed them and when.'),
    h('div', { class: 'field check' }, h('label', { for: 'undo-force' }, force, 'Restore those too (force): overwrite the changes made since'))), [
    { text: 'Cancel', value: false, secondary: true },
    { text: job.kind === 'undo' ? 'Redo' : job.kind === 'delete-all' ? 'Undo delete all' : 'Undo import', value: true, danger: true },
  ]);
  if (ok !== true) return null;
  try {
    const undo = await api(`/api/imports/${job.id}/undo`, { method: 'POST', body: { force: force.checked } });
    toast(`${action} started`);
    location.hash = `#/imports/${undo.id}`;
    return undo;
  } catch (err) {
    await modal(`Could not ${action.toLowerCase()}`, errorBox(err));
    return null;
  }
}

/** What the undo button of a job says. */
export function undoLabel(job) {
  return job.kind === 'undo' ? 'Redo (undo this undo)…' : job.kind === 'delete-all' ? 'Undo delete all…' : 'Undo this import…';
}
