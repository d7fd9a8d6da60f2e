// A moderator issues a decision: the rule is picked from the policy catalogue (policy version, then one of its
// clauses, whose text is shown as the advertiser will read it), with the facts, the reach and the evidence. The API's
// validation messages appear next to the fields they are about.
import { h, fill, api, page, words, utcFromInput, pathParam } from '/ui/assets/verdict.js';
import { SITE, KINDS, SCOPES, GROUNDS, CATEGORIES, AUTOMATED_DECISIONS, SOURCES, advertiserPath, field, options, evidenceFieldset, submitCommand } from '/ui/moderation/site.js';

page(SITE, async (main) => {
  const advertiserId = pathParam('/ui/advertisers/');
  const [{ data: advertiser, etag }, { data: catalogue }] = await Promise.all([
    api(advertiserPath(advertiserId)), api('/api/v1/policies')]);
  document.title = `Issue a decision about ${advertiser.legalName} · Verdict moderation`;
  const policies = catalogue.items;

  const kind = h('select', { name: 'kind' }, options(KINDS, words, 'WARNING'));
  const scopes = h('fieldset', { class: 'inline', dataset: { field: 'scope' }, id: 'scope' },
    h('legend', {}, 'Scope'),
    SCOPES.map((s) => h('label', {}, h('input', { type: 'checkbox', name: 'scope', value: s, id: `scope-${s.toLowerCase()}` }), words(s))));
  const policy = h('select', { name: 'policy' },
    h('option', { value: '' }, policies.length ? 'Choose a policy version' : 'The catalogue is empty'),
    policies.map((p, i) => h('option', { value: String(i) }, `${p.title} (${p.id}, version ${p.version})`)));
  const clause = h('select', { name: 'clause', disabled: true }, h('option', { value: '' }, 'Choose a policy first'));
  const clauseText = h('blockquote', { class: 'clause', id: 'clause-text', hidden: true, 'aria-live': 'polite' });
  const ground = h('select', { name: 'ground' }, options(GROUNDS, words));
  const legalGround = h('textarea', { name: 'legalGround', rows: 2 });
  const legalGroundField = field('legal-ground', 'legalGround', 'Legal ground', legalGround, 'The law the content breaks: required for illegal content.');
  const category = h('select', { name: 'category' }, options(CATEGORIES, words, 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC'));
  const statement = h('textarea', { name: 'statement', rows: 6 });
  const territory = h('input', { type: 'text', name: 'territorialScope', value: 'WORLDWIDE', spellcheck: 'false' });
  const detection = h('input', { type: 'checkbox', name: 'automatedDetection', id: 'automated-detection' });
  const automated = h('select', { name: 'automatedDecision' }, options(AUTOMATED_DECISIONS, words));
  const effectiveFrom = h('input', { type: 'datetime-local', name: 'effectiveFrom', step: 1 });
  const expiresAt = h('input', { type: 'datetime-local', name: 'expiresAt', step: 1 });
  const sourceType = h('select', { name: 'sourceType' }, h('option', { value: '' }, 'Not recorded'), options(SOURCES, words));
  const sourceIdentity = h('input', { type: 'text', name: 'sourceIdentity' });
  const evidence = evidenceFieldset('evidence', 'evidence', 'Evidence', 'What the decision rests on: where it is kept and its SHA-256, so it cannot be swapped later.');

  policy.addEventListener('change', () => {
    const chosen = policies[Number(policy.value)];
    fill(clause, chosen ? chosen.clauses.map((c) => h('option', { value: c.clause }, `Clause ${c.clause}`)) : h('option', { value: '' }, 'Choose a policy first'));
    clause.disabled = !chosen;
    clause.dispatchEvent(new Event('change'));
  });
  clause.addEventListener('change', () => {
    const chosen = policies[Number(policy.value)];
    const text = chosen && chosen.clauses.find((c) => c.clause === clause.value);
    clauseText.hidden = !text;
    fill(clauseText, text ? text.text : '');
  });
  const showLegalGround = () => { legalGroundField.hidden = ground.value !== 'ILLEGAL_CONTENT'; };
  ground.addEventListener('change', showLegalGround);
  showLegalGround();

  const form = h('form', { class: 'panel', id: 'issue-decision', novalidate: true, 'aria-labelledby': 'form-title' },
    h('h2', { id: 'form-title' }, 'The decision'),
    h('div', { class: 'row' }, field('kind', 'kind', 'Kind', kind, 'A suspension needs an end; a ban has none.'), scopes),
    h('fieldset', { dataset: { field: 'policy' } }, h('legend', {}, 'Rule'),
      h('div', { class: 'row' }, field('policy', 'policy.id', 'Policy version', policy), field('clause', 'policy.clause', 'Clause', clause)),
      h('p', { class: 'hint' }, 'The clause as the advertiser will read it:'), clauseText),
    h('div', { class: 'row' }, field('ground', 'ground', 'Ground', ground), field('category', 'category', 'Category (DSA)', category)),
    legalGroundField,
    field('statement', 'statement', 'Statement of reasons', statement, 'The facts and circumstances, in words the advertiser will read (up to 5000 characters).'),
    h('div', { class: 'row' },
      field('territorial-scope', 'territorialScope', 'Territory', territory, 'WORLDWIDE, or country codes separated by commas: DE, FR'),
      field('automated-decision', 'automatedDecision', 'Automated decision', automated)),
    h('div', { class: 'field', dataset: { field: 'automatedDetection' } }, h('label', {}, detection, ' Detected by automated means')),
    h('div', { class: 'row' },
      field('effective-from', 'effectiveFrom', 'Effective from (UTC, optional)', effectiveFrom, 'Empty: now. May lie in the past, never in the future.'),
      field('expires-at', 'expiresAt', 'Expires (UTC)', expiresAt, 'Required for a suspension.')),
    h('div', { class: 'row' },
      field('source-type', 'source.type', 'Where the information came from', sourceType, 'Needed for the DSA statement of reasons.'),
      field('source-identity', 'source.identity', 'Who notified (optional)', sourceIdentity)),
    evidence,
    h('button', { type: 'submit', id: 'submit-decision' }, 'Issue the decision'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = policies[Number(policy.value)];
    const body = {
      kind: kind.value,
      scope: Array.from(scopes.querySelectorAll('input:checked'), (box) => box.value),
      policy: chosen ? { id: chosen.id, version: chosen.version, clause: clause.value } : null,
      ground: ground.value,
      legalGround: ground.value === 'ILLEGAL_CONTENT' ? legalGround.value : null,
      category: category.value,
      statement: statement.value,
      territorialScope: territory.value.split(/[\s,]+/).map((t) => t.trim().toUpperCase()).filter(Boolean),
      automatedDetection: detection.checked,
      automatedDecision: automated.value,
      evidence: evidence.evidence(),
      effectiveFrom: utcFromInput(effectiveFrom.value),
      expiresAt: utcFromInput(expiresAt.value),
      source: sourceType.value ? { type: sourceType.value, identity: sourceIdentity.value.trim() || null } : null,
    };
    const done = await submitCommand(form, `${advertiserPath(advertiserId)}/decisions`, body, { etag });
    if (done) {
      sessionStorage.setItem('verdict.flash', `The decision was issued (decision ${done.decisionId}).`);
      location.assign(`/ui/advertisers/${encodeURIComponent(advertiserId)}#decision-${done.decisionId}`);
    }
  });

  fill(main,
    h('p', {}, h('a', { href: `/ui/advertisers/${encodeURIComponent(advertiserId)}` }, `← ${advertiser.legalName}`)),
    h('h1', {}, 'Issue a decision about ', advertiser.legalName),
    h('p', { class: 'lead' }, 'You are recorded as the one who decided. The advertiser reads the rule, the clause text, the statement and the evidence, and can appeal.'),
    form);
  kind.focus();
});
