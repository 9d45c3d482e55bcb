import { api, qs } from '../api.js';
import { h, mount, fmt, badge, errorBox, field, pager, table } from '../dom.js';
import { importProgress } from '../progress.js';

export async function importsPage(root) {
  const state = { status: '', page: 0 };
  const results = h('div');
  const status = h('select', { name: 'status', onchange: () => { state.status = status.value; state.page = 0; load(); } },
    h('option', { value: '' }, 'Any'), ['queued', 'running', 'completed', 'failed', 'cancelled'].map(s => h('option', { value: s }, s)));
  let timer = null;

  async function load() {
    clearTimeout(timer);
    try {
      const page = await api(`/api/imports${qs({ status: state.status, page: state.page, size: 20 })}`);
      mount(results, table([
        { title: 'File', cell: j => h('a', { href: `#/imports/${j.id}` }, j.filename || j.objectKey) },
        { title: 'Status', cell: j => [badge(j.status), j.options?.mode === 'dry-run' ? h('span', { class: 'hint' }, ' dry run') : null] },
        { title: 'Rows', class: 'num', cell: j => fmt.int(j.processedRows) },
        { title: 'Created', class: 'num hide-narrow', cell: j => fmt.int(j.created) },
        { title: 'Updated', class: 'num hide-narrow', cell: j => fmt.int(j.updated) },
        { title: 'Unchanged', class: 'num hide-narrow', cell: j => fmt.int(j.unchanged) },
        { title: 'Rejected', class: 'num', cell: j => fmt.int(j.rejected) },
        { title: 'Started', class: 'hide-narrow', cell: j => fmt.date(j.createdAt) },
        { title: 'Took', class: 'hide-narrow nowrap', cell: j => j.startedAt && j.completedAt ? fmt.duration((new Date(j.completedAt) - new Date(j.startedAt)) / 1000) : '—' },
      ], page.items, 'No imports yet.'), page.totalItems > 0 ? pager(page, n => { state.page = n; load(); }) : null);
      // Running jobs change: refresh the list while any is in flight.
      if (page.items.some(j => j.status === 'queued' || j.status === 'running')) timer = setTimeout(load, 2000);
    } catch (err) {
      mount(results, errorBox(err));
    }
  }

  mount(root, h('h1', {}, 'Import history'),
    h('div', { class: 'row' }, h('div', {}, field('Status', status)), h('div', { class: 'spacer' }),
      h('a', { class: 'button field', href: '#/import' }, 'New import')),
    results);
  await load();
  return () => clearTimeout(timer);
}

export function importDetailPage(root, id) {
  return importProgress(root, id);
}
