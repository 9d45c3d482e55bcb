import { api } from '../api.js';
import { h, mount, fmt, errorBox, field } from '../dom.js';
import { preview, FIELDS, REQUIRED } from '../csv-preview.js';
import { uploadFile } from '../upload.js';
import { importProgress } from '../progress.js';
import { attributeList } from './attributes.js';

// As the server matches headers to attributes: code or label, ignoring case, spaces, '_' and '-'.
const headerKey = s => s.replace(/^\uFEFF/, '').toLowerCase().replace(/[\s_-]/g, '');

const DELIMITERS = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
const isXlsx = file => /\.xlsx$/i.test(file.name);
const LABELS = { sku: 'SKU', name: 'Name', description: 'Description', price: 'Price', quantity: 'Quantity', active: 'Active' };

export async function importPage(root) {
  let stop = null;
  const picker = h('input', { type: 'file', accept: '.csv,.txt,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', hidden: true, id: 'file-input',
    onchange: () => picker.files[0] && choose(picker.files[0]) });
  const zone = h('div', { class: 'dropzone', role: 'button', tabindex: 0, 'aria-describedby': 'drop-hint',
    onclick: () => picker.click(),
    onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); picker.click(); } } },
    h('strong', {}, 'Drop a CSV or XLSX file here'),
    h('span', { id: 'drop-hint', class: 'muted' }, 'or press to choose one. Up to several GB; it goes straight to storage.'));
  for (const ev of ['dragenter', 'dragover']) zone.addEventListener(ev, e => { e.preventDefault(); zone.classList.add('over'); });
  for (const ev of ['dragleave', 'drop']) zone.addEventListener(ev, () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => { e.preventDefault(); const f = e.dataTransfer.files[0]; if (f) choose(f); });
  const step = h('div');

  mount(root, h('h1', {}, 'Import products'), zone, picker, step);

  // An XLSX can't be read in the browser: it is uploaded first, then the server previews it (and any other sheet).
  async function previewUploaded(file, sheet, uploadId) {
    if (!uploadId) {
      const bar = h('progress', { max: 100, value: 0, 'aria-label': 'Upload progress' });
      const text = h('div', { class: 'hint', 'aria-live': 'polite' });
      mount(step, h('p', { class: 'muted' }, `Uploading ${file.name} to read it…`), bar, text);
      uploadId = await uploadFile(file, (sent, total) => {
        bar.value = Math.floor((sent / total) * 100);
        text.textContent = `Uploaded ${fmt.bytes(sent)} of ${fmt.bytes(total)}`;
      });
    }
    const r = await api(`/api/uploads/${uploadId}/preview${sheet ? `?sheet=${encodeURIComponent(sheet)}` : ''}`);
    return { header: r.header, rows: r.rows, mapping: r.suggestedMapping, sheets: r.sheets, sheet: r.sheet, uploadId };
  }

  async function choose(file, sheet, uploaded) {
    mount(step, h('p', { class: 'muted' }, `Reading ${file.name}…`));
    let p;
    try {
      p = isXlsx(file) ? await previewUploaded(file, sheet, uploaded) : await preview(file);
    } catch (err) {
      mount(step, errorBox(err));
      return;
    }
    if (!p.header.length) {
      mount(step, h('div', { class: 'alert error', role: 'alert' }, `${file.name} looks empty: no header row was found.`));
      return;
    }
    const selects = {};
    const mappingFields = FIELDS.map(f => {
      const s = h('select', { name: `mapping.${f}` },
        h('option', { value: '' }, REQUIRED.includes(f) ? '— choose a column —' : '— not in the file: kept as stored —'),
        p.header.map(col => h('option', { value: col }, col)));
      s.value = p.mapping[f] || '';
      selects[f] = s;
      return field(`${LABELS[f]}${REQUIRED.includes(f) ? ' (required)' : ''}`, s);
    });
    // Columns no field takes: which attribute each feeds, and which feed nothing (unmapped).
    const attrs = await attributeList().catch(() => []);
    const createUnmapped = h('input', { type: 'checkbox', id: 'create-unmapped', name: 'unmapped' });
    const others = h('ul', { class: 'column-targets' });
    const showTargets = () => {
      const taken = new Set(Object.values(selects).map(s => s.value).filter(Boolean));
      mount(others, p.header.filter(c => !taken.has(c)).map(c => {
        const a = attrs.find(x => headerKey(x.code) === headerKey(c)) || attrs.find(x => headerKey(x.label) === headerKey(c));
        return h('li', { 'data-column': c }, h('strong', {}, c), ' → ',
          a ? h('span', { class: 'target' }, `attribute ${a.code}`) : h('span', { class: 'target unmapped' }, 'unmapped'));
      }));
    };
    Object.values(selects).forEach(s => s.addEventListener('change', showTargets));
    showTargets();
    const dryRun = h('input', { type: 'checkbox', id: 'dry-run', name: 'dryRun' });
    const onError = h('select', { name: 'onError' },
      h('option', { value: 'skip' }, 'Skip bad rows and import the rest'),
      h('option', { value: 'abort' }, 'Import nothing if any row is bad'));
    const status = h('div');
    const start = h('button', { type: 'submit' }, 'Upload and import');
    const uploadBar = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress' });
    const uploadText = h('div', { class: 'hint', 'aria-live': 'polite' });
    const form = h('form', { novalidate: true },
      h('div', { class: 'card' },
        h('h2', { style: 'margin-top:0' }, file.name),
        h('p', { class: 'muted' }, p.uploadId
          ? `${fmt.bytes(file.size)} · workbook, sheet “${p.sheet}” · ${p.header.length} columns`
          : `${fmt.bytes(file.size)} · ${DELIMITERS[p.delimiter] || 'comma'}-separated · ${p.header.length} columns`),
        p.sheets && p.sheets.length > 1 ? field('Sheet', sheetPicker(file, p)) : null,
        h('h2', {}, 'Preview'),
        h('div', { class: 'table-wrap preview' }, h('table', {},
          h('thead', {}, h('tr', {}, p.header.map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, p.rows.map(r => h('tr', {}, p.header.map((_, i) => h('td', {}, r[i] ?? ''))))))),
        h('h2', {}, 'Columns'),
        h('p', { class: 'hint' }, 'Which column holds each product field. Suggested from the header; change any that are wrong. '
          + 'A field without a column keeps its stored value; an empty cell clears it. New products need a name. '
          + 'When a SKU appears more than once, only its last valid row is written.'),
        h('div', { class: 'mapping' }, mappingFields),
        h('h3', {}, 'Other columns'),
        h('p', { class: 'hint' }, 'A column whose header is an attribute\'s code or label feeds that attribute. Unmapped columns are listed on the import, not stored, unless you create attributes for them.'),
        others,
        h('div', { class: 'field check' }, h('label', { for: 'create-unmapped' }, createUnmapped, 'Create a text attribute for each unmapped column')),
        h('h2', {}, 'Options'),
        h('div', { class: 'grid' }, field('When a row is invalid', onError),
          h('div', { class: 'field check' }, h('label', { for: 'dry-run' }, dryRun, 'Dry run: check and count, write nothing'))),
        status, uploadBar, uploadText,
        h('div', { class: 'actions' }, start)));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      mount(status);
      const missing = REQUIRED.filter(f => !selects[f].value);
      if (missing.length) {
        mount(status, h('div', { class: 'alert error', role: 'alert' }, `Choose the column for: ${missing.join(', ')}.`));
        selects[missing[0]].focus();
        return;
      }
      const mapping = {};
      for (const f of FIELDS) if (selects[f].value) mapping[f] = selects[f].value;
      start.disabled = true;
      zone.hidden = true;
      uploadBar.hidden = false;
      try {
        const uploadId = p.uploadId || await uploadFile(file, (sent, total) => {
          uploadBar.value = Math.floor((sent / total) * 100);
          uploadText.textContent = `Uploaded ${fmt.bytes(sent)} of ${fmt.bytes(total)}`;
        });
        const job = await api('/api/imports', { method: 'POST', body: {
          uploadId, filename: file.name,
          options: { mode: dryRun.checked ? 'dry-run' : 'apply', onError: onError.value, mapping, delimiter: p.delimiter,
            sheet: p.sheet, unmapped: createUnmapped.checked ? 'create' : 'ignore' },
        } });
        history.replaceState(null, '', `#/imports/${job.id}`);
        const live = h('div');
        mount(root, live);
        stop = importProgress(live, job.id);
      } catch (err) {
        mount(status, errorBox(err));
        start.disabled = false;
        zone.hidden = false;
        uploadBar.hidden = true;
      }
    });
    mount(step, form);
    form.querySelector('select')?.focus();
  }

  function sheetPicker(file, p) {
    const s = h('select', { name: 'sheet', onchange: () => choose(file, s.value, p.uploadId) },
      p.sheets.map(x => h('option', { value: x.name }, x.visible ? x.name : `${x.name} (hidden)`)));
    s.value = p.sheet;
    return s;
  }

  return () => stop && stop();
}
