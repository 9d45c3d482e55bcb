import { api, session } from '../api.js';
import { h, mount, fmt, badge, errorBox, table } from '../dom.js';
import { jobTitles } from '../history.js';

export async function dashboardPage(root) {
  mount(root, h('h1', {}, 'Dashboard'), h('p', { class: 'muted' }, 'Loading…'));
  try {
    // Large totals are the server's estimate (totalEstimated): shown as "about".
    const count = active => api(`/api/products?size=1${active === undefined ? '' : `&active=${active}`}`)
      .then(p => (p.totalEstimated ? `≈ ${fmt.int(p.totalItems)}` : p.totalItems));
    const [total, active, inactive, imports, webhooks] = await Promise.all([
      count(), count(true), count(false),
      api('/api/imports?size=5'),
      session.has('ADMIN') ? api('/api/webhooks?size=1').then(p => p.totalItems) : Promise.resolve(null),
    ]);
    const titles = await jobTitles(imports.items);
    const stat = (n, label, href) => h('a', { class: 'card stat', href, style: 'text-decoration:none;color:inherit' },
      h('div', { class: 'n' }, typeof n === 'string' ? n : fmt.int(n)), h('div', { class: 'l' }, label));
    mount(root,
      h('h1', {}, 'Dashboard'),
      h('section', { 'aria-label': 'Totals', class: 'grid' },
        stat(total, 'Products', '#/products'),
        stat(active, 'Active', '#/products?active=true'),
        stat(inactive, 'Inactive', '#/products?active=false'),
        webhooks === null ? null : stat(webhooks, 'Webhooks', '#/webhooks')),
      h('h2', {}, 'Quick actions'),
      h('div', { class: 'actions' },
        session.has('EDITOR', 'ADMIN') ? h('a', { class: 'button', href: '#/import' }, 'Import a CSV') : null,
        session.has('EDITOR', 'ADMIN') ? h('a', { class: 'button secondary', href: '#/products?new=1' }, 'New product') : null,
        h('a', { class: 'button secondary', href: '#/products' }, 'Browse products'),
        h('a', { class: 'button secondary', href: '#/imports' }, 'Import history')),
      h('h2', {}, 'Recent imports'),
      table([
        { title: 'Job', cell: j => h('a', { href: `#/imports/${j.id}` }, titles.get(j.id)) },
        { title: 'Status', cell: j => badge(j.status) },
        { title: 'Rows', class: 'num', cell: j => fmt.int(j.processedRows) },
        { title: 'Rejected', class: 'num', cell: j => fmt.int(j.rejected) },
        { title: 'Started', class: 'hide-narrow', cell: j => fmt.date(j.createdAt) },
      ], imports.items, 'No imports yet.'));
  } catch (err) {
    mount(root, h('h1', {}, 'Dashboard'), errorBox(err));
  }
}
