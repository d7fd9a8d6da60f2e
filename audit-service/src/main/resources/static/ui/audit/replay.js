// Replay: rebuild the history from offset 0 while readers keep reading, with live progress (ADMIN).
import { h, fill, api, page, problemBanner, say, time, facts, ApiError } from '/ui/assets/verdict.js';
import { SITE } from '/ui/audit/site.js';

const POLL_MS = 1000;

page(SITE, async (main) => {
  document.title = 'Replay · Verdict audit';
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'replay-status' });
  const errors = h('div', {});
  const progress = h('progress', { id: 'replay-progress', max: 1, value: 0, 'aria-labelledby': 'progress-label' });
  const details = h('div', { id: 'replay-details' });
  const start = h('button', { type: 'button', id: 'start-replay' }, 'Start a replay');
  const run = h('section', { class: 'panel', 'aria-labelledby': 'run-title', hidden: true },
    h('h2', { id: 'run-title' }, 'Replay run'),
    h('p', { id: 'progress-label' }, 'Progress'), progress, status, details);
  fill(main, h('h1', {}, 'Replay the history'),
    h('p', { class: 'lead' }, 'Rebuilds the audit history from the topic’s first offset into a new table while the current one keeps serving readers, compares both, then switches atomically. For administrators.'),
    h('div', { class: 'panel' }, start), errors, run);

  let timer = null;
  async function follow(replayId) {
    run.hidden = false;
    try {
      const { data: r } = await api(`/api/v1/admin/replay/${encodeURIComponent(replayId)}`);
      progress.max = Math.max(r.total, 1);
      progress.value = r.status === 'DONE' ? progress.max : r.done;
      say(status, r.status === 'RUNNING'
        ? `Running: ${r.done} of ${r.total} records (${r.ratePerSecond}/s${r.etaSeconds !== null ? `, about ${r.etaSeconds} s left` : ''}).`
        : r.status === 'DONE' ? `Done: ${r.done} records replayed; the histories are ${r.equal ? 'equal' : 'NOT equal'}.`
          : `Failed: ${r.error || 'see the service log'}.`);
      fill(details, facts([
        ['Replay', h('code', {}, r.replayId)],
        ['Status', h('span', { class: `badge ${r.status === 'DONE' ? 'ok' : r.status === 'FAILED' ? 'bad' : 'warn'}`, id: 'replay-state' }, r.status)],
        ['Started', time(r.startedAt)],
        ['Finished', r.finishedAt ? time(r.finishedAt) : null],
        ['Records', `${r.done} of ${r.total}`],
        ['Rate', `${r.ratePerSecond} records/s`],
        ['Digest of the live history', r.digestLive ? h('code', {}, r.digestLive) : null],
        ['Digest of the rebuilt history', r.digestRebuilt ? h('code', {}, r.digestRebuilt) : null],
        ['Equal', r.equal === null || r.equal === undefined ? null : h('span', { class: `badge ${r.equal ? 'ok' : 'bad'}` }, r.equal ? 'equal' : 'different')],
        ['Error', r.error],
      ]));
      if (r.status === 'RUNNING') timer = setTimeout(() => follow(replayId), POLL_MS);
      else start.disabled = false;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      start.disabled = false;
      fill(errors, problemBanner(e, 'The replay could not be followed'));
    }
  }

  start.addEventListener('click', async () => {
    start.disabled = true;
    fill(errors);
    clearTimeout(timer);
    try {
      const { data } = await api('/api/v1/admin/replay', { method: 'POST' });
      history.replaceState(null, '', `${location.pathname}?replay=${data.replayId}`);
      await follow(data.replayId);
    } catch (e) {
      start.disabled = false;
      if (!(e instanceof ApiError && e.status === 401)) fill(errors, problemBanner(e, 'The replay was not started'));
    }
  });

  const existing = new URLSearchParams(location.search).get('replay');
  if (existing) {
    start.disabled = true;
    await follow(existing);
  }
});
