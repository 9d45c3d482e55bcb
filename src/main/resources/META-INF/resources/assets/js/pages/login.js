import { login } from '../api.js';
import { h, mount, errorBox, field } from '../dom.js';

export function loginPage(onSignedIn) {
  const status = h('div');
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'login-title' },
    status, field('Email', email), field('Password', password), submit);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    mount(status);
    if (!email.value || !password.value) {
      mount(status, h('div', { class: 'alert error', role: 'alert' }, 'Enter your email and password.'));
      return;
    }
    submit.disabled = true;
    try {
      await login(email.value.trim(), password.value);
      onSignedIn();
    } catch (err) {
      mount(status, errorBox(err));
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  setTimeout(() => email.focus());
  return h('div', { class: 'login' }, h('h1', { id: 'login-title' }, 'Sign in to Sluice'), form);
}
