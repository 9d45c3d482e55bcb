// The JSON API client: bearer tokens, one shared refresh on 401, problem+json turned into ApiError.

const KEY = 'sluice.auth';

// Where the API is: this page's own origin, unless index.html names another with
// <meta name="sluice-api-base" content="https://api.example.com"> (an app hosted on its own origin;
// the API must then list that origin in APP_CORS_ORIGINS). No credentials: the tokens travel as headers.
export const API_BASE = (document.querySelector('meta[name="sluice-api-base"]')?.content || '').trim().replace(/\/+$/, '');
export const apiUrl = path => API_BASE + path;
let state = JSON.parse(sessionStorage.getItem(KEY) || 'null'); // {accessToken, refreshToken, me}
let refreshing = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const session = {
  get me() { return state && state.me; },
  get signedIn() { return !!(state && state.accessToken); },
  has(...roles) { return !!(state && state.me && roles.some(r => state.me.roles.includes(r))); },
  get token() { return state && state.accessToken; },
};

function save(next) {
  state = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
}

export async function login(email, password) {
  return startSession(await request('/api/auth/login', { method: 'POST', body: { email, password }, anonymous: true }));
}

/** Whether the server offers sign-in with a code by email: {enabled, codeLength, expiresIn, resendAfter}. */
export async function codeSignIn() {
  try {
    return await request('/api/auth/otp', { anonymous: true });
  } catch {
    return { enabled: false };
  }
}

/** Asks for a code by email; resolves to {message, expiresIn, resendAfter}. */
export function requestCode(email) {
  return request('/api/auth/otp/request', { method: 'POST', body: { email }, anonymous: true });
}

export async function loginWithCode(email, code) {
  return startSession(await request('/api/auth/otp/verify', { method: 'POST', body: { email, code }, anonymous: true }));
}

async function startSession(t) {
  save({ accessToken: t.accessToken, refreshToken: t.refreshToken, me: null });
  const me = await api('/api/auth/me');
  save({ ...state, me });
  return me;
}

export async function logout() {
  try {
    if (state) await api('/api/auth/logout', { method: 'POST' });
  } catch { /* signing out locally is what matters */ }
  save(null);
}

async function refresh() {
  if (!state || !state.refreshToken) return false;
  refreshing ??= request('/api/auth/refresh', { method: 'POST', body: { refreshToken: state.refreshToken }, anonymous: true })
    .then(t => { save({ ...state, accessToken: t.accessToken, refreshToken: t.refreshToken }); return true; })
    .catch(() => { save(null); return false; })
    .finally(() => { refreshing = null; });
  return refreshing;
}

/** Calls the API; a 401 refreshes the access token once and retries. Resolves to parsed JSON (or the Response if raw). */
export async function api(path, opts = {}) {
  try {
    return await request(path, opts);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && !opts.anonymous && await refresh()) return request(path, opts);
    if (err instanceof ApiError && err.status === 401 && !opts.anonymous) {
      save(null);
      window.dispatchEvent(new Event('sluice:signed-out'));
    }
    throw err;
  }
}

async function request(path, { method = 'GET', body, headers = {}, raw = false, anonymous = false } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (!anonymous && state && state.accessToken) h.Authorization = `Bearer ${state.accessToken}`;
  let payload;
  if (body !== undefined) { h['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let res;
  try {
    res = await fetch(apiUrl(path), { method, headers: h, body: payload });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached. Check your connection and try again.' });
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

async function problemOf(res) {
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { return await res.json(); } catch { /* fall through */ }
  }
  const titles = { 401: 'Please sign in again', 403: 'You are not allowed to do that', 404: 'Not found',
    413: 'Too large', 429: 'Too many attempts', 503: 'The service is briefly unavailable' };
  return { status: res.status, title: titles[res.status] || 'Request failed', detail: `The server answered ${res.status}.` };
}

/** Query strings without empty values. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
