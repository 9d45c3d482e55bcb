// The shell: hash routes, the role-aware nav, and sign-in / sign-out.
import { session, logout } from './api.js';
import { h, mount } from './dom.js';
import { loginPage } from './pages/login.js';
import { dashboardPage } from './pages/dashboard.js';
import { productsPage } from './pages/products.js';
import { productHistoryPage } from './pages/product-history.js';
import { importPage } from './pages/import.js';
import { importsPage, importDetailPage } from './pages/imports.js';
import { webhooksPage, webhookDetailPage } from './pages/webhooks.js';
import { usersPage } from './pages/users.js';
import { attributesPage } from './pages/attributes.js';

const ANY = ['VIEWER', 'EDITOR', 'ADMIN'];
const routes = [
  { path: /^\/$/, title: 'Dashboard', nav: '#/', roles: ANY, page: dashboardPage },
  { path: /^\/products$/, title: 'Products', nav: '#/products', roles: ANY, page: productsPage },
  { path: /^\/products\/([0-9a-f-]{36})\/history$/, title: 'Product history', roles: ANY, page: productHistoryPage },
  { path: /^\/import$/, title: 'Import', nav: '#/import', roles: ['EDITOR', 'ADMIN'], page: importPage },
  { path: /^\/imports$/, title: 'Import history', nav: '#/imports', roles: ANY, page: importsPage },
  { path: /^\/imports\/([0-9a-f-]{36})$/, title: 'Import', roles: ANY, page: importDetailPage },
  { path: /^\/webhooks$/, title: 'Webhooks', nav: '#/webhooks', roles: ['ADMIN'], page: webhooksPage },
  { path: /^\/webhooks\/([0-9a-f-]{36})$/, title: 'Webhook', roles: ['ADMIN'], page: webhookDetailPage },
  { path: /^\/attributes$/, title: 'Attributes', nav: '#/attributes', roles: ['ADMIN'], page: attributesPage },
  { path: /^\/users$/, title: 'Users', nav: '#/users', roles: ['ADMIN'], page: usersPage },
];

let cleanup = null; // the current page's teardown (closes EventSources, timers)

async function render() {
  const main = document.getElementById('main');
  const path = location.hash.replace(/^#/, '').split('?')[0] || '/';
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  if (!session.signedIn) {
    document.getElementById('topbar').hidden = true;
    document.title = 'Sign in · Sluice';
    mount(main, loginPage(() => { location.hash = path === '/login' ? '#/' : `#${path}`; render(); }));
    return;
  }
  renderTopbar(path);
  const route = routes.find(r => r.path.test(path));
  if (!route) { mount(main, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Go to the dashboard'))); return; }
  if (!session.has(...route.roles)) {
    mount(main, h('h1', {}, route.title), h('div', { class: 'alert info', role: 'status' }, 'Your role does not give access to this page.'));
    return;
  }
  document.title = `${route.title} · Sluice`;
  const args = path.match(route.path).slice(1);
  const container = h('div');
  mount(main, container);
  // Focus moves to the new page at once, not after its data arrives: a keyboard user who has started
  // tabbing through it keeps their place (the browser test caught the late focus taking it back).
  main.focus({ preventScroll: true });
  cleanup = await route.page(container, ...args);
}

function renderTopbar(path) {
  document.getElementById('topbar').hidden = false;
  mount(document.getElementById('nav'), routes.filter(r => r.nav && session.has(...r.roles)).map(r =>
    h('a', { href: r.nav, 'aria-current': (r.nav === '#/' ? path === '/' : path === r.nav.slice(1) || path.startsWith(`${r.nav.slice(1)}/`)) ? 'page' : null }, r.title)));
  const me = session.me;
  mount(document.getElementById('who'),
    h('span', {}, me.email), h('span', { class: 'roles' }, me.roles.join(', ')),
    h('button', { type: 'button', class: 'secondary', onclick: async () => { await logout(); location.hash = '#/'; render(); } }, 'Sign out'));
}

window.addEventListener('hashchange', render);
window.addEventListener('sluice:signed-out', render);
render();
