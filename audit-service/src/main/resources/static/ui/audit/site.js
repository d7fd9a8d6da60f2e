// audit-service's pages: the navigation, and how one published event is shown.
import { h, time, words, facts, evidenceList, policyText, termsFacts } from '/ui/assets/verdict.js';

export { policyText, termsFacts };

export const SITE = {
  service: 'audit-service',
  home: '/ui/',
  nav: [
    { href: '/ui/', label: 'Search', match: /^\/ui\/?$/ },
    { href: '/ui/replay', label: 'Replay' },
    { href: '/ui/dead-letters', label: 'Dead letters' },
  ],
};

export const EVENT_TYPES = ['AdvertiserRegistered', 'AdvertiserBanned', 'AdvertiserSuspended', 'AdvertiserRestricted',
  'AdvertiserWarned', 'EvidenceAttached', 'DecisionReversed', 'SuspensionExpired', 'AppealFiled', 'AppealWithdrawn',
  'AppealUpheld', 'AppealOverturned', 'AppealModified', 'NoteAdded'];

const DECISIONS = { AdvertiserBanned: 'BAN', AdvertiserSuspended: 'SUSPENSION', AdvertiserRestricted: 'RESTRICTION', AdvertiserWarned: 'WARNING' };

export function advertiserLink(id) {
  return h('a', { href: `/ui/advertisers/${encodeURIComponent(id)}` }, id);
}

export function decisionLink(id, text) {
  return h('a', { href: `/ui/decisions/${encodeURIComponent(id)}` }, text || `Decision ${id.substring(0, 8)}`);
}

/** "moderator1 (MODERATOR, person)" */
export function actorText(actor) {
  if (!actor) return null;
  return `${actor.id} (${[...(actor.roles || []), actor.type === 'SYSTEM' ? 'system' : 'person'].join(', ')})`;
}

/** What an event says, by type; unknown types show their payload as JSON. */
function why(envelope) {
  const p = envelope.payload || {};
  const type = envelope.eventType;
  if (DECISIONS[type]) {
    return [termsFacts(p.terms || {}, DECISIONS[type]), h('h4', {}, 'Evidence'), evidenceList((p.terms || {}).evidence)];
  }
  switch (type) {
    case 'AdvertiserRegistered':
      return facts([['Legal name', p.legalName], ['Country', p.country], ['Account', words(p.accountType)]]);
    case 'EvidenceAttached':
      return [h('h4', {}, 'Evidence attached'), evidenceList(p.evidence)];
    case 'DecisionReversed':
      return [h('h4', {}, 'Reason'), h('blockquote', {}, p.reason)];
    case 'SuspensionExpired':
      return facts([['Expired at', time(p.expiredAt)]]);
    case 'AppealFiled':
      return [h('h4', {}, 'Appeal statement'), h('blockquote', {}, p.statement),
        facts([['Appeal', h('code', {}, p.appealId)], ['Appeal window until', time(p.deadline)]]),
        h('h4', {}, 'Evidence'), evidenceList(p.evidence || p.attachments)];
    case 'AppealWithdrawn':
      return facts([['Appeal', h('code', {}, p.appealId)]]);
    case 'AppealUpheld':
    case 'AppealOverturned':
      return [facts([['Appeal', h('code', {}, p.appealId)]]), h('h4', {}, 'Rationale'), h('blockquote', {}, p.rationale)];
    case 'AppealModified':
      return [facts([['Appeal', h('code', {}, p.appealId)], ['Replaced by', p.replacementDecisionId ? decisionLink(p.replacementDecisionId, `a ${p.replacementKind} (${p.replacementDecisionId.substring(0, 8)})`) : null]]),
        h('h4', {}, 'Rationale'), h('blockquote', {}, p.rationale)];
    case 'NoteAdded':
      return [h('h4', {}, 'Internal note'), h('blockquote', {}, p.text)];
    default:
      return h('details', {}, h('summary', {}, 'Payload'), h('pre', { class: 'mono' }, JSON.stringify(p, null, 2)));
  }
}

/**
 * One event as a card: what happened, who did it (and for whom), when it was recorded and when it took effect, why,
 * the evidence with its hashes, and the provenance and chain links in full.
 *
 * @param brokenAt the first sequence at which this advertiser's chain breaks, or null
 */
export function eventCard(envelope, { brokenAt = null, showAdvertiser = false } = {}) {
  const p = envelope.payload || {};
  const integrity = envelope.integrity || {};
  const chainMark = brokenAt !== null && envelope.sequence === brokenAt
    ? h('span', { class: 'badge bad' }, 'Chain breaks here') : null;
  return h('article', { class: 'event', id: `event-${envelope.sequence}`, 'aria-labelledby': `event-${envelope.sequence}-title`, dataset: { type: envelope.eventType } },
    h('header', {},
      h('h3', { id: `event-${envelope.sequence}-title` }, words(envelope.eventType)),
      h('span', { class: 'seq' }, `sequence ${envelope.sequence}`),
      showAdvertiser ? h('span', {}, 'advertiser ', advertiserLink(envelope.advertiserId)) : null,
      DECISIONS[envelope.eventType] ? h('span', { class: 'badge neutral' }, DECISIONS[envelope.eventType]) : null,
      chainMark,
      p.decisionId ? decisionLink(p.decisionId) : null),
    h('div', { class: 'times' },
      h('span', { class: 'recorded' }, h('b', {}, 'Recorded '), time(envelope.occurredAt)),
      h('span', { class: 'effective' }, h('b', {}, 'Effective '), time(envelope.effectiveAt))),
    facts([
      ['Who', h('span', { class: 'actor' }, actorText(envelope.actor))],
      ['On behalf of', envelope.onBehalfOf ? h('span', { class: 'on-behalf-of' }, `${envelope.onBehalfOf.id} (${words(envelope.onBehalfOf.type)})`) : null],
    ]),
    why(envelope),
    h('details', {}, h('summary', {}, 'Provenance and integrity'),
      facts([
        ['Event', h('code', {}, envelope.eventId)],
        ['Schema version', envelope.schemaVersion],
        ['Command', h('code', {}, envelope.commandId)],
        ['Idempotency key', envelope.idempotencyKey ? h('code', {}, envelope.idempotencyKey) : null],
        ['Correlation', h('code', {}, envelope.correlationId)],
        ['Caused by', h('code', {}, envelope.causationId)],
        ['Trace', h('code', {}, envelope.traceId)],
        ['Recorded by', envelope.source ? `${envelope.source.service} ${envelope.source.version} on ${envelope.source.instance}` : null],
        ['Client', envelope.client ? `${envelope.client.ip || ''} ${envelope.client.userAgent || ''}`.trim() : null],
        ['Previous hash', h('code', {}, integrity.prevHash)],
        ['Hash', h('code', { class: 'hash' }, integrity.hash)],
      ])));
}

/** The chain badge from the integrity endpoint's answer. */
export function chainBadge(integrity) {
  if (integrity.valid) {
    return h('span', { class: 'badge ok chain', id: 'chain-status' }, `Chain verified: ${integrity.events} events`);
  }
  return h('span', { class: 'badge bad chain', id: 'chain-status' },
    integrity.firstBrokenSequence === null || integrity.firstBrokenSequence === undefined
      ? `Chain broken: incomplete after ${integrity.events} events`
      : `Chain broken at sequence ${integrity.firstBrokenSequence}`);
}
