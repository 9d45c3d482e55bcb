// One job's page: an import's or an undo's live progress over SSE (with a short-lived, job-scoped token,
// so no access token in a URL), counts, rate, ETA and cancel; once it ends, its rejected rows or
// conflicts, its recorded changes, and the Undo button. A delete-all is shown the same way, already ended.
import { api, apiUrl, qs, session } from './api.js';
import { h, mount, fmt, badge, errorBox, table, pager, saveBlob, confirmDialog, modal } from './dom.js';
import { askUndo, changeCounts, changesPanel, jobTitle, plural, titleOf, undoLabel } from './history.js';

const TERMINAL = ['completed', 'failed', 'cancelled'];
const COUNTS = {
  import: ['processed', 'created', 'updated', 'unchanged', 'rejected'],
  undo: ['processed', 'deleted', 'restored', 'conflicts'],
  'delete-all': ['deleted'],
};
const cap = s => s[0].toUpperCase() + s.slice(1);

/** Renders into root and keeps it live; returns a function that stops listening. */
export function importProgress(root, jobId) {
  let es = null, stopped = false, ended = false, job = null, kind = 'import';
  const bar = h('progress', { max: 100, value: 0, 'aria-labelledby': 'progress-label' });
  const percent = h('strong', { id: 'progress-percent' }, '0%');
  const status = h('span');
  const rate = h('span'), eta = h('span');
  const counts = {};
  const countBox = h('div', { class: 'counts', 'aria-live': 'polite' });
  const message = h('div');
  const links = h('div', { class: 'job-links' });
  const after = h('div');
  const cancelButton = h('button', { type: 'button', class: 'danger', onclick: cancel }, 'Cancel import');
  const undoButton = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: undo }, 'Undo this import…');
  const title = h('h1', {}, 'Import');
  const progressLine = h('div', { class: 'progress-line' }, h('span', { id: 'progress-label' }, 'Progress ', percent), status);
  const rateLine = h('div', { class: 'progress-line muted' }, rate, eta);
  let changeTotals = null;

  mount(root, title, links,
    h('div', { class: 'card' }, progressLine, bar, rateLine, countBox, message,
      session.has('EDITOR', 'ADMIN') ? h('div', { class: 'actions' }, cancelButton, undoButton) : null),
    after);

  /** The parts that depend on the kind of job, once it is known. */
  function setKind(j) {
    kind = j.kind || 'import';
    mount(countBox, COUNTS[kind].map(k =>
      h('div', {}, h('div', { class: 'l muted' }, cap(k)), counts[k] = h('div', { class: 'n', 'data-count': k }, '0'))));
    cancelButton.textContent = kind === 'undo' ? 'Cancel undo' : 'Cancel import';
    undoButton.textContent = undoLabel(j);
    // A delete-all runs inside its request: it is over by the time it is listed.
    progressLine.hidden = bar.hidden = rateLine.hidden = kind === 'delete-all';
  }

  function show(s) {
    const undoing = kind === 'undo';
    // A run first reads the whole file for repeated SKUs (phase "scan", nothing written yet), then writes.
    const scanning = !undoing && s.phase === 'scan' && !TERMINAL.includes(s.status);
    const done = scanning ? s.scannedBytes : s.bytesRead;
    // An undo reads no file: it goes through the changes its job recorded (totalRows).
    const pct = s.status === 'completed' ? 100
      : undoing ? (s.totalRows ? Math.min(100, Math.floor((s.processedRows / s.totalRows) * 100)) : 0)
        : s.bytesTotal ? Math.min(100, Math.floor((done / s.bytesTotal) * 100)) : 0;
    bar.value = pct;
    percent.textContent = scanning ? `${pct}% (checking the file for repeated SKUs)` : `${pct}%`;
    mount(status, badge(s.status));
    for (const k of COUNTS[kind]) counts[k].textContent = fmt.int(k === 'processed' ? s.processedRows : s[k]);
    const unit = undoing ? 'changes/s' : 'rows/s';
    rate.textContent = s.rowsPerSecond ? `${fmt.int(Math.round(s.rowsPerSecond))} ${unit}${scanning ? ' checked' : ''}` : '';
    eta.textContent = TERMINAL.includes(s.status) ? '' : s.etaSeconds !== null && s.etaSeconds !== undefined ? `About ${fmt.duration(s.etaSeconds)} left` : '';
    cancelButton.hidden = TERMINAL.includes(s.status) || kind === 'delete-all';
    mount(message, s.errorMessage ? h('div', { class: 'alert error', role: 'alert' }, s.errorMessage) : null);
  }

  /** What this job takes back, and what undid it. */
  async function showLinks(j) {
    const parts = [];
    if (j.kind === 'undo' && j.undoOf) {
      parts.push(h('p', {}, 'Takes back: ', h('a', { href: `#/imports/${j.undoOf}`, 'data-link': 'undo-of' }, await titleOf(j.undoOf, true)),
        j.force ? h('span', { class: 'hint' }, ' · forced: products changed since are restored too') : null));
    }
    if (j.undoneBy) {
      const u = await api(`/api/imports/${j.undoneBy}`).catch(() => null);
      parts.push(h('p', {}, badge('undone'), ' ', 'Undone by ',
        h('a', { href: `#/imports/${j.undoneBy}`, 'data-link': 'undone-by' }, u ? await jobTitle(u) : 'its undo'),
        u ? [' ', badge(u.status)] : null));
    }
    mount(links, parts);
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

  const fileBase = () => (job && job.filename || (kind === 'delete-all' ? 'delete-all' : 'import')).replace(/\.(csv|txt|xlsx)$/i, '');
  const baseName = () => kind === 'undo' ? `undo-of-${fileBase()}` : fileBase();

  async function finish() {
    try {
      job = await api(`/api/imports/${jobId}`);
      undoButton.hidden = !job.undoable;
      show({ ...job, rowsPerSecond: 0 });
      showLinks(job).catch(() => {});
      const took = job.startedAt && job.completedAt ? (new Date(job.completedAt) - new Date(job.startedAt)) / 1000 : null;
      const dry = job.options && job.options.mode === 'dry-run';
      const parts = [];
      if (kind === 'undo') {
        parts.push(h('div', { class: 'alert info', role: 'status' },
          `${(await jobTitle(job)).startsWith('Redo') ? 'Redo' : 'Undo'} ${job.status}` + (took !== null ? ` in ${fmt.duration(took)}` : '') + '. ',
          [job.deleted ? `${plural(job.deleted, 'product')} deleted` : '', job.restored ? `${plural(job.restored, 'product')} restored` : '']
            .filter(Boolean).join(', ') + (job.deleted || job.restored ? '.' : 'Nothing changed.'),
          job.conflicts ? ` ${plural(job.conflicts, 'product')} changed since ${job.conflicts === 1 ? 'was' : 'were'} left as ${job.conflicts === 1 ? 'it is' : 'they are'}: see the conflicts below.` : ''));
        if (job.conflicts > 0) parts.push(conflictsSection());
      } else if (kind === 'delete-all') {
        parts.push(h('div', { class: 'alert info', role: 'status' },
          `Deleted ${plural(job.deleted, 'product')} on ${fmt.date(job.completedAt)}. `,
          job.undoable ? 'Undo brings every one back with its id, history and attributes.' : ''));
      } else {
        parts.push(h('div', { class: 'alert info', role: 'status' },
          `${dry ? 'Dry run ' : 'Import '}${job.status}` + (took !== null ? ` in ${fmt.duration(took)}` : '') + '. ',
          dry ? 'Nothing was written; the counts show what an import would do.' : '',
          job.duplicates ? ` ${fmt.int(job.duplicates)} rows repeated an earlier SKU in the file (the last one wins).` : ''));
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
      }
      changeTotals = await changeCounts(job);
      parts.push(changesPanel(job, changeTotals, baseName()));
      mount(after, parts);
    } catch (err) {
      mount(after, errorBox(err));
    }
  }

  /** An undo's conflicts: the products changed since, who changed them and when; paged, and as CSV. */
  function conflictsSection() {
    const box = h('section', { 'aria-labelledby': 'conflicts-title' });
    const results = h('div');
    let page = 0;
    const load = async () => {
      try {
        const p = await api(`/api/imports/${jobId}/errors${qs({ page, size: 20 })}`);
        mount(results, table([
          { title: 'SKU', cell: e => e.productId ? h('a', { href: `#/products/${e.productId}/history` }, h('code', {}, e.value)) : h('code', {}, e.value ?? '') },
          { title: 'Changed by', cell: e => e.changedBy || (e.changeSource ? 'the system' : '—') },
          { title: 'When', class: 'nowrap', cell: e => fmt.date(e.changedAt) },
          { title: 'How', class: 'hide-narrow', cell: e => {
            const how = SOURCES[e.changeSource] || e.changeSource || '—';
            return e.changeJob ? h('a', { href: `#/imports/${e.changeJob}` }, how) : how;
          } },
          { title: 'Reason', cell: e => e.reason },
        ], p.items, 'No conflicts.', { stack: true }), p.totalItems > p.size ? pager(p, n => { page = n; load(); }) : null);
      } catch (err) {
        mount(results, errorBox(err));
      }
    };
    mount(box, h('h2', { id: 'conflicts-title' }, 'Conflicts'),
      h('p', {}, 'These products were changed after the job, so the undo left them as they are. Open one to see its history.'),
      h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: downloadReport }, 'Download the conflicts (CSV)')),
      results);
    load();
    return box;
  }

  async function downloadReport() {
    try {
      const res = await api(`/api/imports/${jobId}/errors.csv`, { raw: true, headers: { Accept: 'text/csv' } });
      saveBlob(await res.blob(), `${baseName()}-${kind === 'undo' ? 'conflicts' : 'errors'}.csv`);
    } catch (err) {
      await modal('Download failed', errorBox(err));
    }
  }

  async function cancel() {
    const text = kind === 'undo'
      ? 'Stop this undo? The products it already took back stay as they are now; the rest keep the job\'s changes.'
      : 'Stop this import? With "skip" the batches already written stay; with "abort" nothing is kept.';
    if (!await confirmDialog(kind === 'undo' ? 'Cancel undo' : 'Cancel import', text, cancelButton.textContent)) return;
    try {
      show(await api(`/api/imports/${jobId}/cancel`, { method: 'POST' }));
    } catch (err) {
      mount(message, errorBox(err));
    }
  }

  async function undo() {
    undoButton.disabled = true;
    try {
      // Started: the page moves to the undo. Cancelled or refused: show the job as it is now.
      if (!await askUndo(job, changeTotals) && !stopped) await finish();
    } finally {
      undoButton.disabled = false;
    }
  }

  api(`/api/imports/${jobId}`).then(async j => {
    job = j;
    setKind(j);
    title.textContent = await jobTitle(j, true);
    show(j);
    showLinks(j).catch(() => {});
    if (TERMINAL.includes(j.status)) { ended = true; finish(); } else connect();
  }).catch(err => mount(message, errorBox(err)));

  return () => { stopped = true; if (es) es.close(); };
}

const SOURCES = { api: 'By hand (API)', import: 'An import', undo: 'An undo', 'delete-all': 'Delete all' };
