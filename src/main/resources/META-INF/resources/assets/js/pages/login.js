import { login, codeSignIn, requestCode, loginWithCode } from '../api.js';
import { h, mount, errorBox, field } from '../dom.js';

/** "45 s", "29 min 59 s": what a countdown shows. */
function left(sec) {
  const m = Math.floor(sec / 60), s = sec % 60;
  return m ? `${m} min ${s} s` : `${s} s`;
}

/** Counts seconds down on a button's label, disabled until zero. Returns a stop function. */
function countdown(button, seconds, label, done) {
  let rest = Math.max(0, Math.ceil(seconds));
  const tick = () => {
    if (rest <= 0) { clearInterval(timer); button.disabled = false; button.textContent = label; if (done) done(); return; }
    button.disabled = true;
    button.textContent = `${label} (${left(rest)})`;
    rest--;
  };
  const timer = setInterval(tick, 1000);
  tick();
  return () => clearInterval(timer);
}

export function loginPage(onSignedIn) {
  const status = h('div');
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const emailCode = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Email me a code');
  const passwordField = field('Password', password);
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'login-title' },
    status, field('Email', email), passwordField, h('div', { class: 'buttons' }, submit, emailCode));
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

  // Sign-in with a code by email, when the server offers it.
  const page = h('div', { class: 'login' }, h('h1', { id: 'login-title' }, 'Sign in to Sluice'), form);
  codeSignIn().then(s => { if (s.enabled) emailCode.hidden = false; });
  emailCode.addEventListener('click', async () => {
    mount(status);
    if (!email.value.trim()) {
      mount(status, h('div', { class: 'alert error', role: 'alert' }, 'Enter your email, then ask for a code.'));
      email.focus();
      return;
    }
    emailCode.disabled = true;
    try {
      const sent = await requestCode(email.value.trim());
      page.replaceChildren(h('h1', { id: 'login-title' }, 'Sign in to Sluice'), codeForm(email.value.trim(), sent, onSignedIn));
    } catch (err) {
      mount(status, errorBox(err));
    } finally {
      emailCode.disabled = false;
    }
  });
  setTimeout(() => email.focus());
  return page;
}

/** The second step: the code from the email, with paste support, a resend countdown and the lock-out's. */
function codeForm(address, sent, onSignedIn) {
  const status = h('div');
  const info = h('div', { class: 'alert info', role: 'status' }, sent.message);
  const code = h('input', {
    name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '[0-9]{6}',
    required: true, class: 'code-input', spellcheck: 'false',
  });
  const submit = h('button', { type: 'submit' }, 'Sign in with code');
  const resend = h('button', { type: 'button', class: 'secondary' }, 'Send a new code');
  const back = h('button', { type: 'button', class: 'link' }, 'Use my password instead');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'login-title' },
    info, status, field('Code from the email', code, `Sent to ${address}. Paste it or type the 6 digits.`),
    h('div', { class: 'buttons' }, submit, resend), back);
  let stopResend = countdown(resend, sent.resendAfter, 'Send a new code');
  let stopLock = () => {};

  async function signIn() {
    mount(status);
    if (!/^\d{6}$/.test(code.value)) {
      mount(status, h('div', { class: 'alert error', role: 'alert' }, 'Enter the 6-digit code from the email.'));
      code.focus();
      return;
    }
    submit.disabled = true;
    try {
      await loginWithCode(address, code.value);
      stopResend(); stopLock();
      onSignedIn();
    } catch (err) {
      submit.disabled = false;
      mount(status, errorBox(err));
      const p = err.problem || {};
      if (err.status === 429 && p.retryAfter) {
        // Locked: no code is accepted (and none is sent) until the countdown ends.
        stopLock = countdown(submit, p.retryAfter, 'Sign in with code', () => mount(status));
        stopResend(); stopResend = countdown(resend, p.retryAfter, 'Send a new code');
      }
      code.select();
    }
  }

  // Typed or pasted: keep the digits only ("123 456", "Code: 123456"), and sign in once there are six.
  code.addEventListener('input', () => {
    const digits = code.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== code.value) code.value = digits;
  });
  code.addEventListener('paste', ev => {
    const text = (ev.clipboardData || window.clipboardData)?.getData('text') || '';
    const digits = text.replace(/\D/g, '');
    if (digits.length === 6) {
      ev.preventDefault();
      code.value = digits;
      if (!submit.disabled) signIn();
    }
  });
  form.addEventListener('submit', ev => { ev.preventDefault(); signIn(); });
  resend.addEventListener('click', async () => {
    mount(status);
    resend.disabled = true;
    try {
      const again = await requestCode(address);
      mount(info, again.message);
      stopResend(); stopResend = countdown(resend, again.resendAfter, 'Send a new code');
      code.value = '';
      code.focus();
    } catch (err) {
      mount(status, errorBox(err));
      const p = err.problem || {};
      stopResend(); stopResend = countdown(resend, err.status === 429 && p.retryAfter ? p.retryAfter : 0, 'Send a new code');
    }
  });
  back.addEventListener('click', () => {
    stopResend(); stopLock();
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  setTimeout(() => code.focus());
  return form;
}
