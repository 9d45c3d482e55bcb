// One import's live progress: SSE (with a short-lived, job-scoped token, so no access token in a URL),
// counts, rate, ETA, cancel, and the error report once it ends.
import { api, apiUrl, session } from './api.js';
import { h, mount, fmt, badge, errorBox, table, saveBlob, confirmDialog, modal } from './dom.js';

const TERMINAL = ['completed', 'failed', 'cancelled'];

/** Renders into root and keeps it live; returns a function that stops listening. */
export function importProgress(root, jobId) {
  let es = null, stopped = false, ended = false, job = null;
  const bar = h('progress', { max: 100, value: 0, 'aria-labelledby': 'progress-label' });
  const percent = h('strong', { id: 'progress-percent' }, '0%');
  const status = h('span');
  const rate = h('span'), eta = h('span');
  const counts = {};
  const countBox = h('div', { class: 'counts', 'aria-live': 'polite' },
    ['processed', 'created', 'updated', 'unchanged', 'rejected'].map(k =>
      h('div', {}, h('div', { class: 'l muted' }, k[0].toUpperCase() + k.slice(1)), counts[k] = h('div', { class: 'n', 'data-count': k }, '0'))));
  const message = h('div');
  const after = h('div');
  const cancelButton = h('button', { type: 'button', class: 'danger', onclick: cancel }, 'Cancel import');
  const title = h('h1', {}, 'Import');

  mount(root, title,
    h('div', { class: 'card' },
      h('div', { class: 'progress-line' }, h('span', { id: 'progress-label' }, 'Progress ', percent), status),
      bar,
      h('div', { class: 'progress-line muted' }, rate, eta),
      countBox, message,
      session.has('EDITOR', 'ADMIN') ? h('div', { class: 'actions' }, cancelButton) : null),
    after);

  function show(s) {
    // A run first reads the whole file for repeated SKUs (phase "scan", nothing written yet), then writes.
    const scanning = s.phase === 'scan' && !TERMINAL.includes(s.status);
    const done = scanning ? s.scannedBytes : s.bytesRead;
    const pct = s.status === 'completed' ? 100
      : s.bytesTotal ? Math.min(100, Math.floor((done / s.bytesTotal) * 100)) : 0;
    bar.value = pct;
    percent.textContent = scanning ? `${pct}% (checking the file for repeated SKUs)` : `${pct}%`;
    mount(status, badge(s.status));
    counts.processed.textContent = fmt.int(s.processedRows);
    for (const k of ['created', 'updated', 'unchanged', 'rejected']) counts[k].textContent = fmt.int(s[k]);
    rate.textContent = s.rowsPerSecond ? `${fmt.int(Math.round(s.rowsPerSecond))} rows/s${scanning ? ' checked' : ''}` : '';
    eta.textContent = TERMINAL.includes(s.status) ? '' : s.etaSeconds !== null && s.etaSeconds !== undefined ? `About ${fmt.duration(s.etaSeconds)} left` : '';
    cancelButton.hidden = TERMINAL.includes(s.status);
    mount(message, s.errorMessage ? h('div', { class: 'alert error', role: 'alert' }, s.errorMessage) : null);
  }

  async function connect() {
    if (stopped || ended) return;
    try {
      const t = await api(`/api/imports/${jobId}/events-token`, { method: 'POST' });
      if (stopped) return;
      es = new EventSource(apiUrl(t.url)); // t.url is a path on the API
      es.addEventListener('progress', e => show(JSON.parse(e.data)));
      es.addEventListener('end', e => { ended = true; es.close(); show(JSON.parse(e.data)); finish(); });
      es.onerror = () => {
        // The browser retries dropped streams itself; a refused one (e.g. the token expired) is closed: start over.
        if (es.readyState === EventSource.CLOSED && !ended) setTimeout(connect, 1000);
      };
    } catch (err) {
      mount(message, errorBox(err));
      if (!stopped) setTimeout(connect, 3000);
    }
  }

  async function finish() {
    try {
      job = await api(`/api/imports/${jobId}`);
      const view = { ...job, rowsPerSecond: 0 };
      show(view);
      const took = job.startedAt && job.completedAt ? (new Date(job.completedAt) - new Date(job.startedAt)) / 1000 : null;
      const dry = job.options && job.options.mode === 'dry-run';
      const parts = [h('div', { class: 'alert info', role: 'status' },
        `${dry ? 'Dry run ' : 'Import '}${job.status}` + (took !== null ? ` in ${fmt.duration(took)}` : '') + '. ',
        dry ? 'Nothing was written; the counts show what an import would do.' : '',
        job.duplicates ? ` ${fmt.int(job.duplicates)} rows repeated an earlier SKU in the file (the last one wins).` : '')];
      if (job.rejected > 0) {
        const errors = await api(`/api/imports/${jobId}/errors?size=10`);
        parts.push(h('h2', {}, 'Rejected rows'),
          h('p', {}, h('button', { type: 'button', onclick: downloadReport }, 'Download the error report (CSV)'),
            ' ', h('span', { class: 'hint' }, 'The rejected rows as they were, with line and error columns: fix them and import the file again.')),
          table([
            { title: 'Line', class: 'num', cell: e => fmt.int(e.line) },
            { title: 'Column', cell: e => e.column || '—' },
            { title: 'Value', cell: e => e.value ?? '' },
            { title: 'Problem', cell: e => e.reason },
          ], errors.items),
          errors.totalItems > errors.items.length ? h('p', { class: 'hint' }, `First ${errors.items.length} of ${fmt.int(errors.totalItems)}; the report has them all.`) : null);
      }
      mount(after, parts);
    } catch (err) {
      mount(after, errorBox(err));
    }
  }

  async function downloadReport() {
    try {
      const res = await api(`/api/imports/${jobId}/errors.csv`, { raw: true, headers: { Accept: 'text/csv' } });
      saveBlob(await res.blob(), `${(job && job.filename || 'import').replace(/\.csv$/i, '')}-errors.csv`);
    } catch (err) {
      await modal('Download failed', errorBox(err));
    }
  }

  async function cancel() {
    if (!await confirmDialog('Cancel import', 'Stop this import? With "skip" the batches already written stay; with "abort" nothing is kept.', 'Cancel import')) return;
    try {
      show(await api(`/api/imports/${jobId}/cancel`, { method: 'POST' }));
    } catch (err) {
      mount(message, errorBox(err));
    }
  }

  api(`/api/imports/${jobId}`).then(j => {
    job = j;
    title.textContent = `Import of ${j.filename || j.objectKey}`;
    show(j);
    if (TERMINAL.includes(j.status)) { ended = true; finish(); } else connect();
  }).catch(err => mount(message, errorBox(err)));

  return () => { stopped = true; if (es) es.close(); };
}
