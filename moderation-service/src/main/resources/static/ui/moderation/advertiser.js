// One advertiser's decisions with their full statement of reasons, their appeals, and the appeal form with its
// deadline. The advertiser's own account sees what the API shows it (not who decided, not the internal notes);
// staff also get the way to a new decision and to the ruling on an open appeal.
import { h, fill, api, page, time, words, facts, evidenceList, termsFacts, pathParam } from '/ui/assets/verdict.js';
import { SITE, advertiserPath, field, evidenceFieldset, submitCommand } from '/ui/moderation/site.js';

const STATUS_BADGE = { IN_EFFECT: 'bad', REVERSED: 'ok', OVERTURNED: 'ok', EXPIRED: 'neutral', REPLACED: 'warn' };
const APPEAL_BADGE = { OPEN: 'warn', UPHELD: 'bad', OVERTURNED: 'ok', MODIFIED: 'warn', WITHDRAWN: 'neutral', MOOT: 'neutral' };

page(SITE, async (main) => {
  const advertiserId = pathParam('/ui/advertisers/');
  const flash = sessionStorage.getItem('verdict.flash');
  sessionStorage.removeItem('verdict.flash');
  const { data: a, etag } = await api(advertiserPath(advertiserId));
  document.title = `${a.legalName} · Verdict moderation`;
  const staff = a.notes !== undefined; // the API leaves notes out for the advertiser's own account

  function appealForm(d) {
    const prefix = `appeal-${d.decisionId.substring(0, 8)}`;
    const statement = h('textarea', { name: 'statement', rows: 6 });
    const evidence = evidenceFieldset(`${prefix}-evidence`, 'attachments', 'Evidence (optional)',
      'Documents that support the appeal: where they are, and their SHA-256 so nobody can swap them later.');
    const form = h('form', { class: 'appeal-form', id: `${prefix}-form`, novalidate: true, 'aria-labelledby': `${prefix}-title` },
      h('h4', { id: `${prefix}-title` }, 'Appeal this decision'),
      h('p', { class: 'banner info deadline' }, 'You can appeal until ', h('strong', {}, time(d.appeal.deadline)), '. A person who did not take the decision will review it.'),
      field(`${prefix}-statement`, 'statement', 'Why the decision should change', statement, 'In your own words; up to 5000 characters.'),
      h('details', {}, h('summary', {}, 'Attach evidence'), evidence),
      h('button', { type: 'submit' }, 'File the appeal'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { statement: statement.value };
      const attachments = evidence.evidence();
      if (attachments.length) body.attachments = attachments;
      const done = await submitCommand(form, `${advertiserPath(advertiserId)}/decisions/${d.decisionId}/appeals`, body, { etag });
      if (done) {
        sessionStorage.setItem('verdict.flash', `Your appeal was filed (appeal ${done.appealId}). You will see its outcome here.`);
        location.reload();
      }
    });
    return form;
  }

  function appeal(d, x) {
    return h('li', { class: 'appeal', dataset: { appealId: x.appealId } },
      h('p', {}, h('span', { class: `badge ${APPEAL_BADGE[x.status] || 'neutral'}` }, words(x.status)), ' Filed ', time(x.filedAt),
        x.filedBy ? ` by ${x.filedBy}` : ''),
      h('blockquote', {}, x.statement),
      x.rationale ? [h('p', {}, 'Decided ', time(x.decidedAt), x.decidedBy ? ` by ${x.decidedBy}` : '', ':'), h('blockquote', { class: 'rationale' }, x.rationale)] : null,
      x.status === 'OPEN' && staff
        ? h('p', {}, h('a', { class: 'button secondary', href: `/ui/advertisers/${encodeURIComponent(advertiserId)}/appeals/${x.appealId}` }, 'Decide this appeal')) : null);
  }

  function decision(d) {
    const id = `decision-${d.decisionId}`;
    return h('article', { class: 'panel decision', id, 'aria-labelledby': `${id}-title` },
      h('h3', { id: `${id}-title` }, `${words(d.kind)} on ${d.terms.scope.map(words).join(', ')} `,
        h('span', { class: `badge ${STATUS_BADGE[d.status] || 'neutral'}` }, words(d.status))),
      h('p', { class: 'hint' }, 'Decision ', h('code', {}, d.decisionId), ' · recorded ', time(d.recordedAt), d.decidedBy ? ` by ${d.decidedBy}` : ''),
      termsFacts(d.terms, d.kind),
      h('h4', {}, 'Evidence'), evidenceList([...(d.terms.evidence || []), ...(d.attachedEvidence || [])]),
      d.endedAt ? [h('h4', {}, 'Ended'), facts([['When', time(d.endedAt)], ['Why', d.endReason]])] : null,
      h('h4', {}, 'Appeals'),
      d.appeals.length ? h('ol', {}, d.appeals.map((x) => appeal(d, x))) : h('p', { class: 'empty' }, 'No appeal has been filed.'),
      d.appeal.open ? appealForm(d) : h('p', { class: 'hint no-appeal' }, `No appeal can be filed now: ${d.appeal.how}.`));
  }

  fill(main,
    flash ? h('div', { class: 'banner success', role: 'status', id: 'flash', tabindex: '-1' }, flash) : null,
    h('h1', {}, a.legalName, ' ', h('code', {}, a.advertiserId)),
    h('p', { class: 'lead' }, `${a.country} · ${words(a.accountType)} account · registered `, time(a.registeredAt), ` · version ${a.version}`),
    staff ? h('p', {}, h('a', { class: 'button', id: 'issue-decision', href: `/ui/advertisers/${encodeURIComponent(advertiserId)}/decisions/new` }, 'Issue a decision')) : null,
    h('h2', {}, 'Decisions'),
    a.decisions.length ? a.decisions.slice().reverse().map(decision) : h('p', { class: 'empty' }, 'No decision has been taken about this advertiser.'),
    staff ? [h('h2', {}, 'Internal notes'), a.notes.length ? h('ul', {}, a.notes.map((n) => h('li', {}, time(n.writtenAt), ` ${n.writtenBy}: `, n.text)))
      : h('p', { class: 'empty' }, 'None.')] : null);
  if (flash) document.getElementById('flash').focus();
});
