// An advertiser's timeline: every event as a card, filters by type and recorded time, the hash chain's status, and
// the advertiser's state as of any moment (business time), as known at any moment (recorded time).
import { h, fill, api, page, problemBanner, say, time, words, utcFromInput, inputFromUtc, pathParam, ApiError } from '/ui/assets/verdict.js';
import { SITE, EVENT_TYPES, eventCard, chainBadge, decisionLink, policyText } from '/ui/audit/site.js';

page(SITE, async (main) => {
  const advertiserId = pathParam('/ui/advertisers/');
  const base = `/api/v1/advertisers/${encodeURIComponent(advertiserId)}`;
  document.title = `${advertiserId} · Timeline · Verdict audit`;
  const params = new URLSearchParams(location.search);

  const subtitle = h('p', { class: 'lead', id: 'advertiser-name' });
  const chain = h('div', { id: 'chain' }, h('span', { class: 'badge neutral chain' }, 'Checking the chain…'));
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'timeline-status' });
  const list = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Events, oldest first' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'load-more', hidden: true }, 'Load more events');

  // Filters: type and recorded time, mirrored in the address so a filtered timeline can be linked to.
  const chosen = new Set(params.getAll('type'));
  const typeBoxes = EVENT_TYPES.map((type) => h('label', {},
    h('input', { type: 'checkbox', name: 'type', value: type, checked: chosen.has(type) }), words(type)));
  const from = h('input', { type: 'datetime-local', id: 'filter-from', name: 'from', step: 1, value: inputFromUtc(params.get('from')) });
  const to = h('input', { type: 'datetime-local', id: 'filter-to', name: 'to', step: 1, value: inputFromUtc(params.get('to')) });
  const filters = h('form', { class: 'panel', id: 'filters', 'aria-labelledby': 'filters-title' },
    h('h2', { id: 'filters-title' }, 'Filter the timeline'),
    h('fieldset', { class: 'inline' }, h('legend', {}, 'Event types (none ticked: all)'), typeBoxes),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'filter-from' }, 'Recorded from (UTC, inclusive)'), from),
      h('div', { class: 'field' }, h('label', { for: 'filter-to' }, 'Recorded before (UTC)'), to)),
    h('div', { class: 'row' },
      h('button', { type: 'submit', id: 'apply-filters' }, 'Apply filters'),
      h('button', { type: 'button', class: 'secondary', id: 'clear-filters', onclick: () => {
        filters.querySelectorAll('input[type=checkbox]').forEach((box) => { box.checked = false; });
        from.value = ''; to.value = '';
        filters.requestSubmit();
      } }, 'Clear filters')));

  // The state as of a moment.
  const asOfSlider = h('input', { type: 'range', id: 'as-of-slider', min: 0, max: 0, value: 0, step: 1, 'aria-describedby': 'as-of-slider-hint' });
  const asOf = h('input', { type: 'datetime-local', id: 'as-of', name: 'asOf', step: 1 });
  const knownAt = h('input', { type: 'datetime-local', id: 'known-at', name: 'knownAt', step: 1, 'aria-describedby': 'known-at-hint' });
  const stateOut = h('div', { id: 'state', 'aria-live': 'polite' });
  const stateForm = h('form', { class: 'panel', id: 'as-of-form', 'aria-labelledby': 'state-title' },
    h('h2', { id: 'state-title' }, 'State as of a moment'),
    h('div', { class: 'field' }, h('label', { for: 'as-of-slider' }, 'Moment'),
      h('p', { class: 'hint', id: 'as-of-slider-hint' }, 'Steps through the moments when events were recorded or took effect, up to now.'),
      asOfSlider),
    h('div', { class: 'field' }, h('label', { for: 'as-of' }, 'As of (business time, UTC)'), asOf),
    h('div', { class: 'field' }, h('label', { for: 'known-at' }, 'As known at (recorded time, UTC)'),
      h('p', { class: 'hint', id: 'known-at-hint' }, 'Empty: everything recorded up to now. Set it to see what the record said at that time.'),
      knownAt),
    h('button', { type: 'submit', id: 'show-state' }, 'Show the state'),
    stateOut);

  fill(main,
    h('p', {}, h('a', { href: '/ui/' }, '← Search')),
    h('h1', {}, 'Advertiser ', h('code', {}, advertiserId)),
    subtitle, chain,
    h('div', { class: 'layout' },
      h('section', { 'aria-labelledby': 'events-title' },
        h('h2', { id: 'events-title' }, 'Timeline'),
        filters, status, list, more),
      h('aside', { 'aria-label': 'State as of a moment' }, stateForm)));

  // --- chain status and legal name (independent of the filters)
  let brokenAt = null;
  const integrity = api(`${base}/integrity`).then(({ data }) => {
    brokenAt = data.valid ? null : data.firstBrokenSequence;
    fill(chain, chainBadge(data));
  }).catch((e) => fill(chain, problemBanner(e, 'The chain could not be checked')));
  api(`${base}/history?type=AdvertiserRegistered&limit=1`).then(({ data }) => {
    const registered = data.items[0];
    if (registered) say(subtitle, `${registered.payload.legalName} · ${registered.payload.country} · ${words(registered.payload.accountType)} account`);
  }).catch(() => {});

  // --- the events
  let cursor = null;
  const moments = new Set();
  async function load(reset) {
    const query = new URLSearchParams();
    filters.querySelectorAll('input[name=type]:checked').forEach((box) => query.append('type', box.value));
    if (from.value) query.set('from', utcFromInput(from.value));
    if (to.value) query.set('to', utcFromInput(to.value));
    if (reset) {
      history.replaceState(null, '', `${location.pathname}${query.toString() ? `?${query}` : ''}`);
      cursor = null;
      fill(list);
    }
    query.set('limit', '50');
    if (cursor) query.set('cursor', cursor);
    say(status, 'Loading events…');
    more.disabled = true;
    const { data } = await api(`${base}/history?${query}`);
    await integrity;
    data.items.forEach((envelope) => {
      list.append(h('li', {}, eventCard(envelope, { brokenAt })));
      moments.add(envelope.effectiveAt);
      moments.add(envelope.occurredAt);
    });
    cursor = data.nextCursor;
    more.hidden = !cursor;
    more.disabled = false;
    const shown = list.children.length;
    say(status, shown === 0 ? 'No events match these filters.' : `${shown} event${shown === 1 ? '' : 's'} shown${cursor ? '; more are available' : ''}.`);
    updateSlider();
  }
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    load(true).catch((e) => { if (!(e instanceof ApiError && e.status === 401)) list.before(problemBanner(e)); });
  });
  more.addEventListener('click', () => load(false).catch((e) => more.before(problemBanner(e))));

  // --- as of
  let instants = [];
  function updateSlider() {
    const now = new Date().toISOString();
    instants = [...moments, now].sort();
    instants = instants.filter((value, i) => i === 0 || value !== instants[i - 1]);
    asOfSlider.max = String(instants.length - 1);
    if (!asOf.value) asOfSlider.value = asOfSlider.max;
    asOfSlider.setAttribute('aria-valuetext', instants[Number(asOfSlider.value)] || now);
  }
  asOfSlider.addEventListener('input', () => {
    const instant = instants[Number(asOfSlider.value)];
    asOf.value = inputFromUtc(instant);
    asOfSlider.setAttribute('aria-valuetext', instant);
  });
  asOfSlider.addEventListener('change', () => stateForm.requestSubmit());
  async function showState() {
    const query = new URLSearchParams();
    if (asOf.value) query.set('asOf', utcFromInput(asOf.value));
    if (knownAt.value) query.set('knownAt', utcFromInput(knownAt.value));
    fill(stateOut, h('p', { class: 'status' }, 'Folding the history…'));
    try {
      const { data } = await api(`${base}/state${query.toString() ? `?${query}` : ''}`);
      // The slider follows a moment typed in: it rests on the last step at or before it.
      const at = Date.parse(data.asOf);
      let step = 0;
      instants.forEach((instant, i) => { if (Date.parse(instant) <= at) step = i; });
      asOfSlider.value = String(step);
      asOfSlider.setAttribute('aria-valuetext', data.asOf);
      list.querySelectorAll('li').forEach((item) => {
        const recorded = item.querySelector('.recorded time');
        item.classList.toggle('later', recorded && recorded.getAttribute('datetime') > data.knownAt);
      });
      fill(stateOut,
        h('p', {}, 'As of ', time(data.asOf), ', as known at ', time(data.knownAt), ':'),
        h('table', { id: 'state-scopes' },
          h('caption', {}, 'Each scope'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Scope'), h('th', { scope: 'col' }, 'State'))),
          h('tbody', {}, Object.entries(data.scopes).map(([scope, state]) => h('tr', { dataset: { scope } },
            h('th', { scope: 'row' }, words(scope)),
            h('td', {}, h('span', { class: `badge ${state === 'ALLOWED' ? 'ok' : state === 'WARNED' ? 'warn' : 'bad'}` }, words(state))))))),
        h('h3', {}, 'Decisions in effect'),
        data.decisionsInEffect.length === 0 ? h('p', { class: 'empty' }, 'None.')
          : h('ul', {}, data.decisionsInEffect.map((d) => h('li', {},
            decisionLink(d.decisionId, `${d.kind} on ${d.scope.map(words).join(', ')}`), h('br'),
            h('span', { class: 'hint' }, policyText(d.policy)), h('br'),
            'from ', time(d.effectiveFrom), d.expiresAt ? [' until ', time(d.expiresAt)] : null))));
    } catch (e) {
      fill(stateOut, problemBanner(e, 'The state could not be shown'));
    }
  }
  stateForm.addEventListener('submit', (event) => { event.preventDefault(); showState(); });

  await load(true);
  await showState();
});
