// The dead letters: records that could not be stored as events, with the reason, and a retry each (ADMIN).
import { h, fill, api, page, problemBanner, say, time, ApiError } from '/ui/assets/verdict.js';
import { SITE } from '/ui/audit/site.js';

page(SITE, async (main) => {
  document.title = 'Dead letters · Verdict audit';
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'dead-letters-status' });
  const rows = h('tbody', { id: 'dead-letters' });
  const table = h('table', { hidden: true },
    h('caption', {}, 'Records that could not be stored, oldest first'),
    h('thead', {}, h('tr', {}, ['Received', 'Where', 'Reason', 'Record', 'Retry'].map((c) => h('th', { scope: 'col' }, c)))),
    rows);
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More');
  fill(main, h('h1', {}, 'Dead letters'),
    h('p', { class: 'lead' }, 'Records from the topic that could not be stored as events (not JSON, not an envelope, a failing projection), kept with the reason. The consumer went on; a retry stores one as if it had just arrived, or says why it still cannot. For administrators.'),
    status, table, more);

  function row(d) {
    const outcome = h('div', { 'aria-live': 'polite' }, d.retriedAt ? [time(d.retriedAt), h('br'), d.retryResult] : null);
    const retry = h('button', { type: 'button', class: 'secondary', 'aria-label': `Retry dead letter ${d.id}` }, 'Retry');
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      try {
        const { data } = await api(`/api/v1/admin/dead-letters/${d.id}/retry`, { method: 'POST' });
        fill(outcome, h('span', { class: 'badge ok' }, data.retryResult));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 401)) fill(outcome, problemBanner(e, 'Still failing'));
      } finally {
        retry.disabled = false;
      }
    });
    const value = d.value || '';
    return h('tr', { id: `dead-letter-${d.id}` },
      h('td', {}, time(d.receivedAt)),
      h('td', {}, h('code', {}, `${d.topic} [${d.partition}] @${d.offset}`), d.key ? [h('br'), 'key ', h('code', {}, d.key)] : null),
      h('td', {}, d.reason),
      h('td', {}, value.length > 120 ? h('details', {}, h('summary', {}, h('code', {}, `${value.substring(0, 60)}…`)), h('pre', { class: 'mono' }, value)) : h('code', {}, value)),
      h('td', {}, retry, outcome));
  }

  let cursor = null;
  async function load() {
    say(status, 'Loading…');
    const { data } = await api(`/api/v1/admin/dead-letters${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    data.items.forEach((d) => rows.append(row(d)));
    cursor = data.nextCursor;
    more.hidden = !cursor;
    table.hidden = rows.children.length === 0;
    say(status, rows.children.length === 0 ? 'No dead letters: every record on the topic was stored.' : `${rows.children.length} dead letters shown.`);
  }
  more.addEventListener('click', () => load().catch((e) => more.before(problemBanner(e))));
  try {
    await load();
  } catch (e) {
    say(status, '');
    throw e;
  }
});
