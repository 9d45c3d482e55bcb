import { api, qs, session } from '../api.js';
import { h, mount, fmt, badge, errorBox, field, pager, table } from '../dom.js';
import { importProgress } from '../progress.js';
import { askUndo, jobTitles, plural, titleOf } from '../history.js';

/** What a job did, in a few words: an import's created and updated, an undo's deleted and restored. */
function result(j) {
  if (j.kind === 'undo') return `${fmt.int(j.deleted)} deleted · ${fmt.int(j.restored)} restored`;
  if (j.kind === 'delete-all') return `${fmt.int(j.deleted)} deleted`;
  return `${fmt.int(j.created)} created · ${fmt.int(j.updated)} updated · ${fmt.int(j.unchanged)} unchanged`;
}

export async function importsPage(root) {
  const state = { status: '', kind: '', page: 0 };
  const canUndo = session.has('EDITOR', 'ADMIN');
  const results = h('div');
  const status = h('select', { name: 'status', onchange: () => { state.status = status.value; state.page = 0; load(); } },
    h('option', { value: '' }, 'Any'), ['queued', 'running', 'completed', 'failed', 'cancelled'].map(s => h('option', { value: s }, s)));
  const kind = h('select', { name: 'kind', onchange: () => { state.kind = kind.value; state.page = 0; load(); } },
    h('option', { value: '' }, 'Any'), h('option', { value: 'import' }, 'Imports'), h('option', { value: 'undo' }, 'Undos'),
    h('option', { value: 'delete-all' }, 'Delete alls'));
  let timer = null;

  async function load() {
    clearTimeout(timer);
    try {
      const page = await api(`/api/imports${qs({ status: state.status, kind: state.kind, page: state.page, size: 20 })}`);
      const titles = await jobTitles(page.items);
      const targetIds = [...new Set(page.items.map(j => j.undoOf).filter(Boolean))];
      const targets = new Map(await Promise.all(targetIds.map(async id => [id, await titleOf(id)])));
      mount(results, table([
        { title: 'Job', cell: j => [
          h('a', { href: `#/imports/${j.id}` }, titles.get(j.id)),
          j.kind === 'undo' && j.undoOf ? h('div', { class: 'hint' }, 'Takes back ',
            h('a', { href: `#/imports/${j.undoOf}` }, targets.get(j.undoOf) || 'an earlier job')) : null,
          j.undoneBy ? h('div', { class: 'hint' }, 'Undone by ',
            h('a', { href: `#/imports/${j.undoneBy}` }, titles.get(j.undoneBy) || 'its undo')) : null] },
        { title: 'Status', cell: j => [badge(j.status), j.options?.mode === 'dry-run' ? h('span', { class: 'hint' }, ' dry run') : null] },
        { title: 'Rows', class: 'num', cell: j => fmt.int(j.processedRows) },
        { title: 'Result', class: 'hide-narrow', cell: j => result(j) },
        { title: 'Rejected / conflicts', class: 'num', cell: j => j.kind === 'undo' ? (j.conflicts ? plural(j.conflicts, 'conflict') : '0')
          : j.kind === 'delete-all' ? '—' : fmt.int(j.rejected) },
        { title: 'Started', class: 'hide-narrow', cell: j => fmt.date(j.createdAt) },
        { title: 'Took', class: 'hide-narrow nowrap', cell: j => j.startedAt && j.completedAt ? fmt.duration((new Date(j.completedAt) - new Date(j.startedAt)) / 1000) : '—' },
        canUndo ? { title: h('span', { class: 'sr-only' }, 'Actions'), cell: j => j.undoable
          ? h('button', { type: 'button', class: 'secondary', 'aria-label': `${j.kind === 'undo' ? 'Redo' : 'Undo'} ${titles.get(j.id)}`,
            onclick: async () => { if (!await askUndo(j)) load(); } }, j.kind === 'undo' ? 'Redo…' : 'Undo…')
          : null } : null,
      ].filter(Boolean), page.items, state.status || state.kind ? 'No jobs match.' : 'No imports yet.'),
      page.totalItems > 0 ? pager(page, n => { state.page = n; load(); }) : null);
      // Running jobs change: refresh the list while any is in flight.
      if (page.items.some(j => j.status === 'queued' || j.status === 'running')) timer = setTimeout(load, 2000);
    } catch (err) {
      mount(results, errorBox(err));
    }
  }

  mount(root, h('h1', {}, 'Import history'),
    h('p', { class: 'muted' }, 'Imports, their undos and deletes of the whole catalogue. Open one for its changes; an editor can undo it there.'),
    h('div', { class: 'row' }, h('div', {}, field('Kind', kind)), h('div', {}, field('Status', status)), h('div', { class: 'spacer' }),
      session.has('EDITOR', 'ADMIN') ? h('a', { class: 'button field', href: '#/import' }, 'New import') : null),
    results);
  await load();
  return () => clearTimeout(timer);
}

export function importDetailPage(root, id) {
  return importProgress(root, id);
}
