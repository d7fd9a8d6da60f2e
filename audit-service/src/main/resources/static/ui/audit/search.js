// Search across advertisers: events filtered by type, actor, the policy a decision cites and recorded time, in the
// order audit-service received them; and a way straight to one advertiser's timeline.
import { h, fill, api, page, problemBanner, say, time, words, utcFromInput, inputFromUtc, ApiError } from '/ui/assets/verdict.js';
import { SITE, EVENT_TYPES, advertiserLink, decisionLink, actorText, policyText } from '/ui/audit/site.js';

function summary(e) {
  const p = e.payload || {};
  if (p.terms) return [policyText(p.terms.policy), h('br'), h('span', { class: 'hint' }, (p.terms.scope || []).map(words).join(', '))];
  return p.statement || p.rationale || p.reason || p.text || p.legalName || '';
}

page(SITE, async (main) => {
  document.title = 'Search · Verdict audit';
  const params = new URLSearchParams(location.search);

  const advertiser = h('input', { type: 'text', id: 'advertiser-id', name: 'advertiserId', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'advertiser-id-hint' });
  const open = h('form', { class: 'panel', id: 'open-advertiser', 'aria-labelledby': 'open-title' },
    h('h2', { id: 'open-title' }, 'Open an advertiser’s timeline'),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'advertiser-id' }, 'Advertiser id'),
        h('p', { class: 'hint', id: 'advertiser-id-hint' }, 'For example kaspersky-lab'), advertiser),
      h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Open timeline'))));
  open.addEventListener('submit', (event) => {
    event.preventDefault();
    if (advertiser.value.trim()) location.assign(`/ui/advertisers/${encodeURIComponent(advertiser.value.trim())}`);
    else advertiser.focus();
  });

  const chosen = new Set(params.getAll('type'));
  const text = (id, name, label, hint) => h('div', { class: 'field' }, h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    h('input', { type: 'text', id, name, value: params.get(name) || '', 'aria-describedby': hint ? `${id}-hint` : null, spellcheck: 'false' }));
  const when = (id, name, label) => h('div', { class: 'field', dataset: { field: name } }, h('label', { for: id }, label),
    h('input', { type: 'datetime-local', id, name, step: 1, value: inputFromUtc(params.get(name)) }));
  const form = h('form', { class: 'panel', id: 'search', 'aria-labelledby': 'search-title' },
    h('h2', { id: 'search-title' }, 'Search events across advertisers'),
    h('fieldset', { class: 'inline' }, h('legend', {}, 'Event types (none ticked: all)'),
      EVENT_TYPES.map((type) => h('label', {}, h('input', { type: 'checkbox', name: 'type', value: type, checked: chosen.has(type) }), words(type)))),
    h('div', { class: 'row' },
      text('actor', 'actor', 'Actor', 'The user or system that acted, e.g. moderator1'),
      text('policy', 'policy', 'Policy id', 'Decisions citing it, e.g. ads/unacceptable-business-practices')),
    h('div', { class: 'row' },
      when('from', 'from', 'Recorded from (UTC, inclusive)'),
      when('to', 'to', 'Recorded before (UTC)')),
    h('button', { type: 'submit', id: 'search-submit' }, 'Search'));

  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'search-status' });
  const rows = h('tbody', { id: 'results' });
  const table = h('table', { hidden: true },
    h('caption', {}, 'Matching events, in the order they were received'),
    h('thead', {}, h('tr', {}, ['Recorded', 'Effective', 'Advertiser', 'Event', 'Who', 'About'].map((c) => h('th', { scope: 'col' }, c)))),
    rows);
  const more = h('button', { type: 'button', class: 'secondary', id: 'more-results', hidden: true }, 'More results');
  const errors = h('div', {});

  fill(main, h('h1', {}, 'Search the audit history'),
    h('p', { class: 'lead' }, 'Every event as it was published, with who acted, when it was recorded and when it took effect.'),
    open, form, errors, status, table, more);

  let cursor = null;
  async function search(reset) {
    const query = new URLSearchParams();
    form.querySelectorAll('input[name=type]:checked').forEach((box) => query.append('type', box.value));
    for (const name of ['actor', 'policy']) if (form.elements[name].value.trim()) query.set(name, form.elements[name].value.trim());
    for (const name of ['from', 'to']) if (form.elements[name].value) query.set(name, utcFromInput(form.elements[name].value));
    if (reset) {
      history.replaceState(null, '', `${location.pathname}${query.toString() ? `?${query}` : ''}`);
      cursor = null;
      fill(rows);
    }
    query.set('limit', '50');
    if (cursor) query.set('cursor', cursor);
    fill(errors);
    say(status, 'Searching…');
    try {
      const { data } = await api(`/api/v1/events?${query}`);
      data.items.forEach((e) => rows.append(h('tr', {},
        h('td', {}, time(e.occurredAt)), h('td', {}, time(e.effectiveAt)),
        h('td', {}, advertiserLink(e.advertiserId), h('br'), h('span', { class: 'hint' }, `sequence ${e.sequence}`)),
        h('td', {}, words(e.eventType), e.payload && e.payload.decisionId ? [h('br'), decisionLink(e.payload.decisionId)] : null),
        h('td', {}, actorText(e.actor), e.onBehalfOf ? [h('br'), `on behalf of ${e.onBehalfOf.id}`] : null),
        h('td', {}, summary(e)))));
      cursor = data.nextCursor;
      more.hidden = !cursor;
      table.hidden = rows.children.length === 0;
      say(status, rows.children.length === 0 ? 'No events match.' : `${rows.children.length} events shown${cursor ? '; more are available' : ''}.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      say(status, '');
      fill(errors, problemBanner(e, 'The search failed'));
    }
  }
  form.addEventListener('submit', (event) => { event.preventDefault(); search(true); });
  more.addEventListener('click', () => search(false));
  advertiser.focus();
  await search(true);
});
