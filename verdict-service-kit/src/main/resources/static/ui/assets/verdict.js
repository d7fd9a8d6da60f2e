// What every Verdict page shares: the site header, sign-in, calls to the service's JSON API with the caller's
// credentials, problem+json errors shown where they belong, and small DOM and time helpers.
//
// Pages never decide who acted: the service takes the actor from the credentials sent with each call. The
// credentials live in sessionStorage (gone when the tab closes) and are sent only to this page's own origin.

const AUTHORIZATION = 'verdict.authorization';
const USER = 'verdict.user';

/** Builds an element: h('a', {href: '/x', class: 'y'}, 'text', child). Text is always text, never HTML. */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.substring(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials

export const auth = {
  header: () => sessionStorage.getItem(AUTHORIZATION),
  user: () => sessionStorage.getItem(USER),
  basic(user, password) {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    let binary = '';
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    sessionStorage.setItem(AUTHORIZATION, `Basic ${btoa(binary)}`);
    sessionStorage.setItem(USER, user);
  },
  bearer(token) {
    sessionStorage.setItem(AUTHORIZATION, `Bearer ${token.trim()}`);
    sessionStorage.setItem(USER, 'token holder');
  },
  clear() {
    sessionStorage.removeItem(AUTHORIZATION);
    sessionStorage.removeItem(USER);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The API

/** A response that was not 2xx: its status and its problem+json body (or a stand-in when there was none). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.code = problem.code;
  }
}

/**
 * Calls the page's own service. Resolves to {status, data, etag}; rejects with ApiError (401: the credentials are
 * dropped and the sign-in form comes back).
 */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const request = {
    method,
    headers: { Accept: 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest', ...headers },
    credentials: 'omit',
    cache: 'no-store',
  };
  if (auth.header()) request.headers.Authorization = auth.header();
  if (body !== undefined) {
    request.headers['Content-Type'] = 'application/json';
    request.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, request);
  } catch (e) {
    throw new ApiError(0, { code: 'network-error', title: 'The service did not answer', detail: 'The service could not be reached; check your connection and try again.' });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = { detail: text }; }
  }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : {};
    if (response.status === 401) {
      auth.clear();
      window.dispatchEvent(new CustomEvent('verdict:signed-out', { detail: problem }));
    }
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return { status: response.status, data, etag: response.headers.get('ETag') };
}

/** A fresh Idempotency-Key for one submission of a form. */
export function idempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// The page frame

/**
 * Draws the site header and runs {@code render(main)} once the visitor has credentials; otherwise, or when the service
 * answers 401, shows the sign-in form in the main landmark.
 *
 * @param options {service: 'audit-service', home: '/ui/', nav: [{href, label}], title}
 */
export function page(options, render) {
  const main = document.getElementById('main');
  const header = document.getElementById('site');
  const here = location.pathname;
  const drawHeader = () => fill(header, h('div', { class: 'bar' },
    h('a', { class: 'brand', href: options.home }, 'Verdict'),
    h('span', { class: 'service' }, options.service),
    h('nav', { 'aria-label': 'Main' }, h('ul', {}, options.nav.map((item) => h('li', {},
      h('a', { href: item.href, 'aria-current': here === item.href || (item.match && item.match.test(here)) ? 'page' : null }, item.label))))),
    h('div', { class: 'who' }, auth.user()
      ? [h('span', {}, 'Signed in as ', h('strong', { id: 'signed-in-user' }, auth.user())),
         h('button', { type: 'button', class: 'link', id: 'sign-out', onclick: () => { auth.clear(); location.reload(); } }, 'Sign out')]
      : h('span', {}, 'Not signed in'))));
  drawHeader();
  const start = () => {
    drawHeader();
    fill(main);
    if (!auth.header()) {
      signIn(main, options, () => start());
      return;
    }
    Promise.resolve(render(main)).catch((e) => {
      if (e instanceof ApiError && e.status === 401) return; // the sign-in form took over
      main.prepend(problemBanner(e));
    });
  };
  window.addEventListener('verdict:signed-out', () => {
    drawHeader();
    signIn(main, options, () => start(), 'Your credentials were not accepted. Sign in again.');
  });
  start();
}

function signIn(main, options, done, message) {
  document.title = `Sign in · Verdict ${options.service}`;
  const error = h('div', { id: 'sign-in-error', role: 'alert' }, message ? h('div', { class: 'banner error' }, message) : null);
  const user = h('input', { type: 'text', id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { type: 'password', id: 'password', name: 'password', autocomplete: 'current-password' });
  const token = h('textarea', { id: 'token', name: 'token', rows: 3, 'aria-describedby': 'token-hint' });
  const form = h('form', { class: 'panel signin', id: 'sign-in', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'username' }, 'User name'), user),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
    h('details', {}, h('summary', {}, 'Sign in with a bearer token instead'),
      h('div', { class: 'field' }, h('label', { for: 'token' }, 'Bearer token (JWT)'),
        h('p', { class: 'hint', id: 'token-hint' }, 'For deployments that authenticate with JWTs: paste the access token; it is kept only in this tab.'),
        token)),
    h('button', { type: 'submit', id: 'sign-in-submit' }, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (token.value.trim()) {
      auth.bearer(token.value);
    } else if (user.value.trim() && password.value) {
      auth.basic(user.value.trim(), password.value);
    } else {
      fill(error, h('div', { class: 'banner error' }, 'Enter a user name and password, or a bearer token.'));
      user.focus();
      return;
    }
    done();
  });
  fill(main,
    h('h1', {}, 'Sign in'),
    h('p', { class: 'lead' }, `Sign in to ${options.service}. Your credentials are sent with each request to this service and kept only in this browser tab.`),
    error, form);
  user.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

const NOT_PERMITTED = 'Not permitted: your roles do not allow this page. Sign in as a user who has them.';

/** A banner for an error that belongs to no field. */
export function problemBanner(error, title) {
  const problem = error instanceof ApiError ? error.problem : { detail: String(error) };
  const status = error instanceof ApiError ? error.status : 0;
  const heading = title || (status === 403 ? 'Not permitted' : status === 404 ? 'Not found' : 'Something went wrong');
  return h('div', { class: 'banner error', role: 'alert', tabindex: '-1' },
    h('h2', {}, heading),
    h('p', {}, status === 403 ? NOT_PERMITTED : (problem.detail || problem.title || 'The request failed.')),
    problem.code ? h('p', { class: 'hint' }, 'Code: ', h('code', {}, problem.code), status ? ` (HTTP ${status})` : '') : null);
}

/**
 * Shows an API problem on a form: each field error under its field (found by {@code data-field}, from the most to
 * the least specific path: {@code evidence[0].sha256}, {@code evidence[0]}, {@code evidence}), rule violations under
 * the field that {@code codeFields} names, and the rest in a summary at the top, which takes focus.
 */
export function showProblem(form, error, codeFields = {}) {
  clearProblems(form);
  const problem = error instanceof ApiError ? error.problem : { detail: String(error) };
  const placed = [];
  const unplaced = [];
  const fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  for (const fieldError of fieldErrors) {
    const target = fieldError.field ? findField(form, fieldError.field) : null;
    if (target) {
      markField(target, `${fieldError.message}`);
      placed.push({ target, message: `${labelOf(target)}: ${fieldError.message}` });
    } else {
      unplaced.push(fieldError.field ? `${fieldError.field}: ${fieldError.message}` : fieldError.message);
    }
  }
  if (fieldErrors.length === 0) {
    let fieldName = codeFields[problem.code];
    if (!fieldName && problem.code === 'validation-failed' && problem.detail) {
      // "legalGround is required when ...": a message that starts with the field it is about.
      const first = problem.detail.split(/\s/)[0];
      if (findField(form, first)) fieldName = first;
    }
    const target = fieldName ? findField(form, fieldName) : null;
    if (target) {
      markField(target, problem.detail || problem.title);
      placed.push({ target, message: `${labelOf(target)}: ${problem.detail || problem.title}` });
    } else if (error instanceof ApiError && error.status === 403) {
      unplaced.push(NOT_PERMITTED);
    } else {
      unplaced.push(problem.detail || problem.title || 'The request failed.');
    }
  }
  const summary = h('div', { class: 'banner error problem-summary', role: 'alert', tabindex: '-1' },
    h('h2', {}, placed.length ? 'Check the highlighted fields' : 'Not done'),
    h('ul', {},
      placed.map((p) => h('li', {}, h('a', { href: `#${p.target.control.id}` }, p.message))),
      unplaced.map((m) => h('li', {}, m))),
    problem.code ? h('p', { class: 'hint' }, 'Code: ', h('code', {}, problem.code), error.status ? ` (HTTP ${error.status})` : '') : null);
  form.prepend(summary);
  summary.focus();
}

export function clearProblems(form) {
  form.querySelectorAll('.problem-summary').forEach((e) => e.remove());
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.field.invalid').forEach((e) => e.classList.remove('invalid'));
  form.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    const described = (e.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !id.endsWith('-error')).join(' ');
    if (described) e.setAttribute('aria-describedby', described); else e.removeAttribute('aria-describedby');
  });
}

function findField(form, path) {
  let candidate = path;
  while (candidate) {
    const wrapper = form.querySelector(`[data-field="${CSS.escape(candidate)}"]`);
    if (wrapper) {
      const control = wrapper.matches('input, select, textarea') ? wrapper : wrapper.querySelector('input, select, textarea');
      if (control) return { wrapper: wrapper.closest('.field, fieldset') || wrapper, control };
    }
    const shorter = candidate.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
    candidate = shorter === candidate ? '' : shorter;
  }
  return null;
}

function labelOf(target) {
  const legend = target.wrapper.querySelector('legend');
  const label = target.control.labels && target.control.labels[0];
  return ((legend && legend.textContent) || (label && label.textContent) || target.control.name).trim();
}

function markField(target, message) {
  const id = `${target.control.id}-error`;
  if (document.getElementById(id)) {
    document.getElementById(id).append(` ${message}`);
    return;
  }
  const error = h('p', { class: 'field-error', id }, h('span', { class: 'visually-hidden' }, 'Error: '), message);
  const anchor = target.wrapper.querySelector('legend, label');
  if (anchor && anchor.parentElement === target.wrapper) anchor.after(error); else target.wrapper.prepend(error);
  target.wrapper.classList.add('invalid');
  target.control.setAttribute('aria-invalid', 'true');
  const described = (target.control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  target.control.setAttribute('aria-describedby', [id, ...described].join(' '));
}

// ---------------------------------------------------------------------------------------------------------------
// Small things

/** Announces progress to screen readers and shows it. */
export function say(element, message) {
  element.textContent = message;
}

/** An ISO-8601 instant as "2026-05-01 12:00:03 UTC" inside a <time> element. */
export function time(iso) {
  if (!iso) return h('span', { class: 'empty' }, 'none');
  const text = iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
  return h('time', { datetime: iso }, text);
}

/** A datetime-local value (read as UTC) to an ISO instant, or null. */
export function utcFromInput(value) {
  if (!value) return null;
  return new Date(`${value.length === 16 ? `${value}:00` : value}Z`).toISOString();
}

/** An ISO instant to a datetime-local value in UTC. */
export function inputFromUtc(iso) {
  return iso ? new Date(iso).toISOString().substring(0, 19) : '';
}

/** "AdvertiserBanned" → "Advertiser banned"; "STATEMENT_CATEGORY_SCAMS_AND_FRAUD" → "Scams and fraud". */
export function words(value) {
  if (!value) return '';
  const text = String(value).replace(/^STATEMENT_CATEGORY_|^SOURCE_TYPE_|^SOURCE_/, '');
  const spaced = text.includes('_') ? text.toLowerCase().replace(/_/g, ' ') : text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const readable = spaced.replace(/ tc$/, ' of terms and conditions');
  return readable.charAt(0).toUpperCase() + readable.substring(1);
}

/** A definition list from [label, value] pairs; pairs whose value is null are left out. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

/** A list of evidence items, each with its SHA-256 in full. */
export function evidenceList(items) {
  if (!items || items.length === 0) return h('p', { class: 'empty' }, 'No evidence.');
  return h('ul', { class: 'evidence' }, items.map((e) => h('li', {},
    h('strong', {}, e.description), h('br'),
    h('span', {}, 'Location: ', h('code', {}, e.uri)), ' · ', h('span', {}, e.mediaType), h('br'),
    h('span', {}, 'SHA-256: ', h('code', { class: 'sha256' }, e.sha256)))));
}

export function policyText(policy) {
  return policy ? `${policy.id}, version ${policy.version}, clause ${policy.clause}` : null;
}

/** A decision's statement of reasons: its rule and clause text, the facts, ground, category, reach and dates. */
export function termsFacts(terms, kind, level = 4) {
  return [
    facts([
      ['Kind', kind],
      ['Scope', (terms.scope || []).map(words).join(', ')],
      ['Territory', (terms.territorialScope || []).join(', ')],
      ['Policy', policyText(terms.policy)],
    ]),
    terms.policy && terms.policy.clauseText ? h('blockquote', { class: 'clause' }, terms.policy.clauseText) : null,
    h(`h${level}`, {}, 'Statement of reasons'),
    h('blockquote', { class: 'statement' }, terms.statement),
    facts([
      ['Ground', words(terms.ground)],
      ['Legal ground', terms.legalGround],
      ['Category', words(terms.category)],
      ['Effective from', time(terms.effectiveFrom)],
      ['Expires', terms.expiresAt ? time(terms.expiresAt) : null],
      ['Detection', terms.automatedDetection ? 'automated' : 'not automated'],
      ['Decision', words(terms.automatedDecision)],
      ['Source', terms.source ? `${words(terms.source.type)}${terms.source.identity ? `: ${terms.source.identity}` : ''}` : null],
      ['Bulk batch', terms.batchId],
    ]),
  ];
}

/** The query string of the current page as an object of strings (repeated names as arrays). */
export function query() {
  return new URLSearchParams(location.search);
}

/** The path segment after a prefix: pathParam('/ui/advertisers/') on /ui/advertisers/acme → 'acme'. */
export function pathParam(prefix, index = 0) {
  if (!location.pathname.startsWith(prefix)) return null;
  const rest = location.pathname.substring(prefix.length).split('/').filter(Boolean);
  return rest[index] ? decodeURIComponent(rest[index]) : null;
}
