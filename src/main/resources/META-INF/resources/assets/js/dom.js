// Tiny DOM helpers: h() builds elements, so no string templating (and no HTML injection) anywhere.

/** h('button', {class: 'x', onclick: fn, 'aria-label': 'y'}, 'text', child, [children]) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const fmt = {
  int: n => n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US'),
  money: n => n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  bytes(n) {
    if (n === null || n === undefined) return '—';
    const u = ['B', 'KB', 'MB', 'GB']; let i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
  },
  date: s => s ? new Date(s).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—',
  duration(sec) {
    if (sec === null || sec === undefined || !isFinite(sec)) return '—';
    sec = Math.max(0, Math.round(sec));
    const m = Math.floor(sec / 60), s = sec % 60;
    return m ? `${m} min ${s} s` : `${s} s`;
  },
};

export function badge(text, kind = text) {
  return h('span', { class: `badge ${kind}` }, text);
}

/** Errors as people read them: the title and detail, and each field's message; never raw JSON. */
export function errorBox(err) {
  const p = err && err.problem;
  const title = p ? (p.detail || p.title) : (err && err.message) || 'Something went wrong';
  const fields = p && Array.isArray(p.errors) ? p.errors : [];
  return h('div', { class: 'alert error', role: 'alert' },
    h('strong', {}, p && p.title && p.detail ? `${p.title}: ` : ''), title,
    fields.length ? h('ul', {}, fields.map(e => h('li', {}, e.field ? `${label(e.field)}: ${e.message}` : e.message))) : null);
}

function label(field) {
  return field.replace(/^(body|options)\./, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Puts each field error beside its input (inputs carry name=field); returns errors no input took. */
export function showFieldErrors(form, err) {
  clearFieldErrors(form);
  const rest = [];
  for (const e of (err.problem && err.problem.errors) || []) {
    const name = (e.field || '').replace(/^body\./, '');
    const input = name && form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!input) { rest.push(e); continue; }
    const id = `${input.id || name}-error`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.closest('.field')?.append(h('div', { class: 'field-error', id }, e.message));
  }
  const firstInvalid = form.querySelector('[aria-invalid="true"]');
  if (firstInvalid) firstInvalid.focus();
  return rest;
}

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach(e => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach(e => { e.removeAttribute('aria-invalid'); e.removeAttribute('aria-describedby'); });
}

let fieldSeq = 0;
/** A labelled input in a .field wrapper. */
export function field(labelText, input, hint) {
  if (!input.id) input.id = `f${++fieldSeq}`;
  const hintId = hint ? `${input.id}-hint` : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: input.id }, labelText), input,
    hint ? h('div', { class: 'hint', id: hintId }, hint) : null);
}

export function toast(text) {
  const t = h('div', { class: 'toast' }, text);
  document.getElementById('toasts').append(t);
  setTimeout(() => t.remove(), 4000);
}

/** A modal dialog; resolves with the button's value (or null on Escape / cancel). */
export function modal(title, body, buttons = [{ text: 'Close', value: null, secondary: true }]) {
  return new Promise(resolve => {
    const d = h('dialog', { 'aria-labelledby': 'dlg-title' },
      h('div', { class: 'body' }, h('h2', { id: 'dlg-title' }, title), body,
        h('div', { class: 'buttons' }, buttons.map(b => h('button', {
          type: 'button', class: b.danger ? 'danger' : b.secondary ? 'secondary' : '',
          onclick: () => { d.close(); resolve(b.value); },
        }, b.text)))));
    d.addEventListener('cancel', () => resolve(null));
    d.addEventListener('close', () => d.remove());
    document.body.append(d);
    d.showModal();
  });
}

export function confirmDialog(title, text, action = 'Delete') {
  return modal(title, h('p', {}, text), [
    { text: 'Cancel', value: false, secondary: true },
    { text: action, value: true, danger: true },
  ]).then(v => v === true);
}

/** A form in a modal. onSubmit(values, form) may throw an ApiError: its field errors land beside the fields. */
export function formDialog(title, fields, submitText, onSubmit) {
  return new Promise(resolve => {
    const status = h('div');
    const form = h('form', { novalidate: true },
      h('h2', { id: 'dlg-title' }, title), status, fields,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'secondary', onclick: () => { d.close(); resolve(null); } }, 'Cancel'),
        h('button', { type: 'submit' }, submitText)));
    const d = h('dialog', { 'aria-labelledby': 'dlg-title' }, form);
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const submit = form.querySelector('button[type="submit"]');
      submit.disabled = true;
      mount(status);
      try {
        const result = await onSubmit(form);
        d.close();
        resolve(result);
      } catch (err) {
        const rest = showFieldErrors(form, err);
        if (!err.problem || rest.length || !(err.problem.errors || []).length) mount(status, errorBox(err));
      } finally {
        submit.disabled = false;
      }
    });
    d.addEventListener('cancel', () => resolve(null));
    d.addEventListener('close', () => d.remove());
    document.body.append(d);
    d.showModal();
    form.querySelector('input, select, textarea')?.focus();
  });
}

/** Saves a Blob as a download. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function pager(page, onPage) {
  const last = Math.max(0, (page.totalPages || 1) - 1);
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'secondary', disabled: page.page <= 0, onclick: () => onPage(page.page - 1) }, '← Previous'),
    h('span', {}, page.totalEstimated
      ? `Page ${fmt.int(page.page + 1)} of about ${fmt.int(last + 1)} · about ${fmt.int(page.totalItems)} in all`
      : `Page ${fmt.int(page.page + 1)} of ${fmt.int(last + 1)} · ${fmt.int(page.totalItems)} in all`),
    h('button', { type: 'button', class: 'secondary', disabled: page.page >= last, onclick: () => onPage(page.page + 1) }, 'Next →'));
}

/**
 * A table of rows. stack: at phone width each row becomes a block of "Column: value" lines instead of a
 * table to scroll sideways (explicit roles keep it a table to screen readers).
 */
export function table(columns, rows, emptyText = 'Nothing here yet.', { stack = false } = {}) {
  if (!rows.length) return h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, emptyText));
  const role = r => (stack ? r : null);
  return h('div', { class: 'table-wrap' }, h('table', { class: stack ? 'stack' : null, role: role('table') },
    h('thead', { role: role('rowgroup') }, h('tr', { role: role('row') },
      columns.map(c => h('th', { scope: 'col', class: c.class || '', role: role('columnheader') }, c.title)))),
    h('tbody', { role: role('rowgroup') }, rows.map(r => h('tr', { role: role('row') }, columns.map(c =>
      h('td', { class: c.class || '', role: role('cell'), 'data-label': stack && typeof c.title === 'string' ? c.title : null }, c.cell(r))))))));
}
