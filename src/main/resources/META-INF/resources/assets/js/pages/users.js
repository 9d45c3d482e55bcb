import { api, qs, session } from '../api.js';
import { h, mount, fmt, badge, errorBox, field, formDialog, confirmDialog, modal, pager, table, toast } from '../dom.js';

const ROLES = ['ADMIN', 'EDITOR', 'VIEWER'];

export async function usersPage(root) {
  const results = h('div');
  const search = h('input', { type: 'search', name: 'q', placeholder: 'Email contains…' });
  let page = 0, timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { page = 0; load(); }, 250); });

  async function load() {
    try {
      const p = await api(`/api/users${qs({ q: search.value.trim(), page, size: 20 })}`);
      mount(results, table([
        { title: 'Email', cell: u => u.email },
        { title: 'Roles', cell: u => u.roles.join(', ') },
        { title: 'State', cell: u => badge(u.active ? 'active' : 'inactive') },
        { title: 'Last sign-in', class: 'hide-narrow', cell: u => fmt.date(u.lastLoginAt) },
        { title: h('span', { class: 'sr-only' }, 'Actions'), cell: u => h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${u.email}`, onclick: () => edit(u) }, 'Edit'),
          u.id === session.me.id ? null : h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${u.email}`, onclick: () => remove(u) }, 'Delete')) },
      ], p.items, 'No users match.'), p.totalItems > 0 ? pager(p, n => { page = n; load(); }) : null);
    } catch (err) {
      mount(results, errorBox(err));
    }
  }

  async function edit(u) {
    const email = h('input', { name: 'email', type: 'email', value: u?.email ?? '', autocomplete: 'off' });
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
    const active = h('input', { type: 'checkbox', id: 'u-active', checked: u ? u.active : true });
    const boxes = ROLES.map(r => h('input', { type: 'checkbox', value: r, id: `role-${r}`, checked: u ? u.roles.includes(r) : r === 'VIEWER' }));
    const saved = await formDialog(u ? `Edit ${u.email}` : 'New user', [
      field('Email', email),
      field('Password', password, u ? 'Leave empty to keep the current password. 8–72 characters.' : '8–72 characters.'),
      h('fieldset', { class: 'field' }, h('legend', {}, 'Roles'), h('input', { type: 'hidden', name: 'roles' }),
        boxes.map(b => h('div', { class: 'check' }, h('label', { for: b.id }, b, b.value)))),
      h('div', { class: 'field check' }, h('label', { for: 'u-active' }, active, 'Active (can sign in)')),
    ], u ? 'Save' : 'Create', () => {
      const body = { email: email.value.trim(), password: password.value || null, roles: boxes.filter(b => b.checked).map(b => b.value), active: active.checked };
      return u ? api(`/api/users/${u.id}`, { method: 'PUT', body }) : api('/api/users', { method: 'POST', body });
    });
    if (saved) { toast(`Saved ${saved.email}`); load(); }
  }

  async function remove(u) {
    if (!await confirmDialog('Delete user', `Delete ${u.email}? Their sessions end at once.`)) return;
    try { await api(`/api/users/${u.id}`, { method: 'DELETE' }); toast(`Deleted ${u.email}`); } catch (err) { await modal('Could not delete', errorBox(err)); }
    load();
  }

  mount(root, h('h1', {}, 'Users'),
    h('div', { class: 'row' }, h('div', { class: 'grow' }, field('Search', search)), h('div', { class: 'spacer' }),
      h('button', { type: 'button', class: 'field', onclick: () => edit(null) }, 'New user')),
    results);
  await load();
}
