// One decision's dossier: the statement of reasons with the clause text, the evidence with its hashes, who took it,
// its appeals and their outcomes, how it ended, and the events that produced each part.
import { h, fill, api, page, time, words, facts, evidenceList, pathParam } from '/ui/assets/verdict.js';
import { SITE, advertiserLink, decisionLink, termsFacts, eventCard } from '/ui/audit/site.js';

const STATUS_BADGE = { IN_EFFECT: 'bad', REVERSED: 'ok', OVERTURNED: 'ok', EXPIRED: 'neutral', REPLACED: 'warn' };
const OUTCOME_BADGE = { OPEN: 'warn', UPHELD: 'bad', OVERTURNED: 'ok', MODIFIED: 'warn', WITHDRAWN: 'neutral', MOOT: 'neutral' };

function act(a, verb) {
  if (!a) return null;
  return h('span', { class: 'act' }, `${verb} by `, h('strong', {}, a.by || 'unknown'),
    a.onBehalfOf ? ` on behalf of ${a.onBehalfOf}` : '', ' at ', time(a.at));
}

page(SITE, async (main) => {
  const decisionId = pathParam('/ui/decisions/');
  const { data: d } = await api(`/api/v1/decisions/${encodeURIComponent(decisionId)}`);
  document.title = `${d.kind} of ${d.advertiserId} · Decision · Verdict audit`;
  const events = Array.isArray(d.events) ? d.events : [];

  fill(main,
    h('p', {}, h('a', { href: `/ui/advertisers/${encodeURIComponent(d.advertiserId)}` }, `← Timeline of ${d.advertiserId}`)),
    h('h1', {}, `${words(d.kind)} of `, advertiserLink(d.advertiserId), ' ',
      h('span', { class: `badge ${STATUS_BADGE[d.status] || 'neutral'}`, id: 'decision-status' }, words(d.status))),
    h('p', { class: 'lead' }, 'Decision ', h('code', {}, d.decisionId), ' · ', act(d.decided, 'Taken')),
    d.replaces ? h('p', { class: 'banner info' }, 'This decision replaced ', decisionLink(d.replaces), ' when an appeal modified it.') : null,
    d.replacedBy ? h('p', { class: 'banner info' }, 'An appeal replaced this decision with ', decisionLink(d.replacedBy), '.') : null,
    h('div', { class: 'grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'reasons-title' },
        h('h2', { id: 'reasons-title' }, 'Statement of reasons'),
        termsFacts(d.terms, d.kind, 3)),
      h('section', { class: 'panel', 'aria-labelledby': 'evidence-title' },
        h('h2', { id: 'evidence-title' }, 'Evidence'),
        h('h3', {}, 'Named with the decision'),
        evidenceList(d.terms.evidence),
        d.attachedEvidence.map((attached) => [h('h3', {}, 'Attached later'), h('p', {}, act(attached.act, 'Attached')), evidenceList(attached.evidence)]))),
    h('section', { class: 'panel', 'aria-labelledby': 'appeals-title' },
      h('h2', { id: 'appeals-title' }, 'Appeals'),
      d.appeals.length === 0 ? h('p', { class: 'empty' }, 'No appeal was filed.')
        : h('ol', { id: 'appeals' }, d.appeals.map((a) => h('li', { class: 'appeal' },
          h('h3', {}, 'Appeal ', h('code', {}, a.appealId.substring(0, 8)), ' ',
            h('span', { class: `badge ${OUTCOME_BADGE[a.outcome] || 'neutral'}` }, words(a.outcome))),
          h('p', {}, act(a.filed, 'Filed'), '; appeal window until ', time(a.deadline)),
          h('blockquote', {}, a.statement),
          a.evidence && a.evidence.length ? evidenceList(a.evidence) : null,
          a.ruled ? [h('p', {}, act(a.ruled, words(a.outcome))), a.rationale ? h('blockquote', {}, a.rationale) : null] : null)))),
    h('section', { class: 'panel', 'aria-labelledby': 'ending-title' },
      h('h2', { id: 'ending-title' }, 'Reversal and end'),
      d.ending ? [facts([['How', words(d.ending.how)], ['Effective', time(d.ending.effectiveAt)]]),
        h('p', {}, act(d.ending.act, 'Recorded')), d.ending.reason ? h('blockquote', { id: 'ending-reason' }, d.ending.reason) : null]
        : h('p', { class: 'empty' }, 'The decision is in effect: it was not reversed, overturned, replaced or expired.')),
    d.notes.length ? h('section', { class: 'panel', 'aria-labelledby': 'notes-title' },
      h('h2', { id: 'notes-title' }, 'Internal notes'),
      d.notes.map((n) => [h('p', {}, act(n.act, 'Written')), h('blockquote', {}, n.text)])) : null,
    h('section', { 'aria-labelledby': 'events-title' },
      h('h2', { id: 'events-title' }, events.length === 1 ? 'The event behind this page' : `The ${events.length} events behind this page`),
      h('ol', { class: 'timeline' }, events.map((e) => h('li', {}, eventCard(e))))));
});
