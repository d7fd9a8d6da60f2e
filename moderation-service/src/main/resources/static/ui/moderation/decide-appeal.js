// An appeal reviewer rules on an open appeal: uphold, overturn, or replace the decision with a narrower one. The
// service refuses a ruling by the person who took the decision (four eyes); its messages appear on the form.
import { h, fill, api, page, time, words, evidenceList, termsFacts, utcFromInput, pathParam } from '/ui/assets/verdict.js';
import { SITE, KINDS, SCOPES, RULE_FIELDS, advertiserPath, field, options, submitCommand } from '/ui/moderation/site.js';

page(SITE, async (main) => {
  const advertiserId = pathParam('/ui/advertisers/');
  const appealId = pathParam('/ui/advertisers/', 2);
  const { data: a, etag } = await api(advertiserPath(advertiserId));
  const decision = a.decisions.find((d) => d.appeals.some((x) => x.appealId === appealId));
  const back = h('p', {}, h('a', { href: `/ui/advertisers/${encodeURIComponent(advertiserId)}` }, `← ${a.legalName}`));
  if (!decision) {
    fill(main, back, h('div', { class: 'banner error', role: 'alert' }, h('h2', {}, 'Not found'), h('p', {}, `No appeal ${appealId} of ${a.legalName}.`)));
    return;
  }
  const appeal = decision.appeals.find((x) => x.appealId === appealId);
  document.title = `Decide the appeal of ${a.legalName} · Verdict moderation`;

  const outcomes = h('fieldset', { class: 'inline', dataset: { field: 'outcome' } }, h('legend', {}, 'Outcome'),
    [['UPHELD', 'Uphold: the decision stands'], ['OVERTURNED', 'Overturn: the decision is reversed'], ['MODIFIED', 'Modify: replace it with a narrower one']]
      .map(([value, label]) => h('label', {}, h('input', { type: 'radio', name: 'outcome', value, id: `outcome-${value.toLowerCase()}` }), label)));
  const rationale = h('textarea', { name: 'rationale', rows: 6 });
  const kind = h('select', { name: 'replacementKind' }, options(KINDS, words, decision.kind));
  const scopes = h('fieldset', { class: 'inline', dataset: { field: 'replacement.scope' } }, h('legend', {}, 'Scope of the replacement'),
    SCOPES.map((s) => h('label', {}, h('input', { type: 'checkbox', name: 'replacementScope', value: s, checked: decision.terms.scope.includes(s) }), words(s))));
  const territory = h('input', { type: 'text', name: 'replacementTerritory', value: decision.terms.territorialScope.join(', ') });
  const expiresAt = h('input', { type: 'datetime-local', name: 'replacementExpiresAt', step: 1 });
  const statement = h('textarea', { name: 'replacementStatement', rows: 4 });
  const replacement = h('fieldset', { dataset: { field: 'replacement' }, id: 'replacement', hidden: true },
    h('legend', {}, 'The narrower decision'),
    h('p', { class: 'hint' }, 'Narrower in at least one respect (kind, scope, territory, end) and wider in none. What is not named here is kept from the original.'),
    h('div', { class: 'row' }, field('replacement-kind', 'replacement.kind', 'Kind', kind), scopes),
    h('div', { class: 'row' },
      field('replacement-territory', 'replacement.territorialScope', 'Territory', territory, 'WORLDWIDE, or country codes separated by commas'),
      field('replacement-expires', 'replacement.expiresAt', 'Expires (UTC)', expiresAt)),
    field('replacement-statement', 'replacement.statement', 'Statement for the advertiser (optional)', statement));
  outcomes.addEventListener('change', () => {
    replacement.hidden = outcomes.querySelector('input:checked').value !== 'MODIFIED';
  });

  const form = h('form', { class: 'panel', id: 'decide-appeal', novalidate: true, 'aria-labelledby': 'ruling-title' },
    h('h2', { id: 'ruling-title' }, 'Your ruling'),
    outcomes,
    field('rationale', 'rationale', 'Rationale', rationale, 'Why, in words the advertiser will read.'),
    replacement,
    h('button', { type: 'submit', id: 'submit-ruling' }, 'Record the ruling'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = outcomes.querySelector('input:checked');
    const body = { outcome: chosen ? chosen.value : null, rationale: rationale.value };
    if (chosen && chosen.value === 'MODIFIED') {
      body.replacement = {
        kind: kind.value,
        scope: Array.from(scopes.querySelectorAll('input:checked'), (box) => box.value),
        territorialScope: territory.value.split(/[\s,]+/).map((t) => t.trim().toUpperCase()).filter(Boolean),
        expiresAt: utcFromInput(expiresAt.value),
        statement: statement.value.trim() || null,
      };
    }
    const done = await submitCommand(form, `${advertiserPath(advertiserId)}/appeals/${appealId}/decision`, body,
      { etag, codeFields: { ...RULE_FIELDS, 'four-eyes-violation': 'outcome', 'reviewer-not-a-person': 'outcome' } });
    if (done) {
      sessionStorage.setItem('verdict.flash', `The appeal was ${words(done.outcome).toLowerCase()}.`);
      location.assign(`/ui/advertisers/${encodeURIComponent(advertiserId)}`);
    }
  });

  fill(main, back,
    h('h1', {}, 'Decide the appeal of ', a.legalName),
    h('div', { class: 'grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'appeal-title' },
        h('h2', { id: 'appeal-title' }, 'The appeal ', h('span', { class: 'badge warn' }, words(appeal.status))),
        h('p', {}, 'Filed ', time(appeal.filedAt), appeal.filedBy ? ` by ${appeal.filedBy}` : ''),
        h('blockquote', { id: 'appeal-statement' }, appeal.statement)),
      h('section', { class: 'panel', 'aria-labelledby': 'decision-title' },
        h('h2', { id: 'decision-title' }, `The ${words(decision.kind).toLowerCase()} appealed`),
        h('p', { class: 'hint' }, 'Recorded ', time(decision.recordedAt), decision.decidedBy ? ` by ${decision.decidedBy}` : ''),
        termsFacts(decision.terms, decision.kind, 3),
        h('h3', {}, 'Evidence'), evidenceList([...(decision.terms.evidence || []), ...(decision.attachedEvidence || [])]))),
    appeal.status === 'OPEN' ? form : h('p', { class: 'banner info' }, `This appeal is ${words(appeal.status).toLowerCase()}; there is nothing to decide.`));
});
