// moderation-service's pages: the navigation, the vocabulary of decisions, and how a form becomes a command.
import { h, api, idempotencyKey, showProblem, clearProblems, ApiError } from '/ui/assets/verdict.js';

export const SITE = {
  service: 'moderation-service',
  home: '/ui/',
  nav: [{ href: '/ui/', label: 'Advertisers', match: /^\/ui\/?$/ }],
};

export const KINDS = ['BAN', 'SUSPENSION', 'RESTRICTION', 'WARNING'];
export const SCOPES = ['ADVERTISING', 'ORGANIC', 'ACCOUNT'];
export const GROUNDS = ['INCOMPATIBLE_CONTENT', 'ILLEGAL_CONTENT'];
export const AUTOMATED_DECISIONS = ['NOT_AUTOMATED', 'PARTIALLY', 'FULLY'];
export const SOURCES = ['SOURCE_ARTICLE_16', 'SOURCE_TRUSTED_FLAGGER', 'SOURCE_TYPE_OTHER_NOTIFICATION', 'SOURCE_VOLUNTARY'];
export const CATEGORIES = ['STATEMENT_CATEGORY_ANIMAL_WELFARE', 'STATEMENT_CATEGORY_CONSUMER_INFORMATION',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE', 'STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN',
  'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS', 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
  'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS', 'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS',
  'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE', 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
  'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY', 'STATEMENT_CATEGORY_SCAMS_AND_FRAUD', 'STATEMENT_CATEGORY_SELF_HARM',
  'STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS', 'STATEMENT_CATEGORY_VIOLENCE'];

/** Where each rule violation of the API belongs on a form (those not named here go to the summary). */
export const RULE_FIELDS = {
  'unknown-policy-clause': 'policy.clause',
  'effective-from-in-future': 'effectiveFrom',
  'expiry-required': 'expiresAt',
  'expiry-not-allowed': 'expiresAt',
  'invalid-expiry': 'expiresAt',
  'replacement-required': 'replacement',
  'replacement-not-narrower': 'replacement',
};

export function advertiserPath(id) {
  return `/api/v1/advertisers/${encodeURIComponent(id)}`;
}

/** A text control inside a field wrapper whose {@code data-field} is the API's name for it. */
export function field(id, apiName, label, control, hint) {
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  control.id = id;
  return h('div', { class: 'field', dataset: { field: apiName } },
    h('label', { for: id }, label), hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null, control);
}

export function options(values, label, chosen) {
  return values.map((value) => h('option', { value, selected: value === chosen }, label ? label(value) : value));
}

/**
 * Sends a form's command: one Idempotency-Key per submission, If-Match with the advertiser version the page showed
 * (so nobody acts on a page that someone else has changed meanwhile), the submit button disabled while it runs.
 * Resolves to the response data, or null after showing the API's problem on the form.
 */
export async function submitCommand(form, path, body, { etag, codeFields = RULE_FIELDS } = {}) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  clearProblems(form);
  try {
    const headers = { 'Idempotency-Key': idempotencyKey() };
    if (etag) headers['If-Match'] = etag;
    const { data } = await api(path, { method: 'POST', body, headers });
    return data;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    if (e instanceof ApiError && e.code === 'stale-version') {
      e.problem.detail = 'Someone changed this advertiser after this page was loaded. Reload the page, check what changed, and submit again.';
    }
    showProblem(form, e, codeFields);
    return null;
  } finally {
    button.disabled = false;
  }
}

/** The evidence rows of a form, as the API takes them; rows left entirely empty are skipped. */
export function evidenceFieldset(prefix, apiName, legend, hint) {
  const rows = h('div', {});
  let count = 0;
  const add = () => {
    const i = count++;
    const path = `${apiName}[${i}]`;
    rows.append(h('div', { class: 'evidence-row', dataset: { index: i } },
      h('div', { class: 'row' },
        field(`${prefix}-${i}-description`, `${path}.description`, `Description ${i + 1}`, h('input', { type: 'text', name: 'description' })),
        field(`${prefix}-${i}-uri`, `${path}.uri`, `Location (URI) ${i + 1}`, h('input', { type: 'text', name: 'uri', spellcheck: 'false' }))),
      h('div', { class: 'row' },
        field(`${prefix}-${i}-sha256`, `${path}.sha256`, `SHA-256 ${i + 1}`, h('input', { type: 'text', name: 'sha256', spellcheck: 'false', class: 'mono' }), '64 lowercase hex digits'),
        field(`${prefix}-${i}-media-type`, `${path}.mediaType`, `Media type ${i + 1}`, h('input', { type: 'text', name: 'mediaType', spellcheck: 'false' }), 'e.g. application/pdf'))));
  };
  add();
  const fieldset = h('fieldset', { dataset: { field: apiName } }, h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null, rows,
    h('button', { type: 'button', class: 'secondary', onclick: () => { add(); rows.lastElementChild.querySelector('input').focus(); } }, 'Add another piece of evidence'));
  // The rows sent are numbered as the API will number them in its errors (empty rows are not sent).
  fieldset.evidence = () => {
    const sent = [];
    Array.from(rows.children).forEach((row) => {
      const value = (name) => row.querySelector(`input[name=${name}]`).value.trim();
      const item = { description: value('description'), uri: value('uri'), sha256: value('sha256').toLowerCase(), mediaType: value('mediaType') };
      const empty = !(item.description || item.uri || item.sha256 || item.mediaType);
      row.querySelectorAll('.field').forEach((wrapper) => {
        const name = wrapper.querySelector('input').name;
        wrapper.dataset.field = empty ? `${apiName}-unsent.${name}` : `${apiName}[${sent.length}].${name}`;
      });
      if (!empty) sent.push(item);
    });
    return sent;
  };
  return fieldset;
}
