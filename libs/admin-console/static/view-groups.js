// @ts-check
import { append, checkbox, clear, field, h, main, table, when } from './dom.js';
import { act, showNotice } from './notices.js';
import { api, permissions } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// Failure groups and bulk replay.

/** Unresolved failed messages counted by cause, each group with its bulk replay. */
export async function renderGroups() {
  const results = h('div');
  const bulk = h('div');
  append(clear(main), [h('h2', {}, 'Failure groups'), h('p', { className: 'muted' }, 'Unresolved failed messages counted by cause (fingerprint).'), results, bulk]);
  /** @type {{ groups: import('./api.js').FailureGroup[] }} */
  const data = await api('GET', '/v1/admin/failed-messages/groups?by=fingerprint&status=unresolved');
  const mayBulkReplay = (await permissions()).has('failed-messages:bulk-jobs');
  const rows = data.groups.map((g) =>
    h(
      'tr',
      {},
      h('td', { className: 'mono' }, g.key),
      h('td', { className: 'mono' }, g.errorCodes.join(', ')),
      h('td', {}, g.sampleErrorMessage),
      h('td', {}, g.services.join(', ')),
      h('td', { className: 'num' }, g.count),
      h('td', {}, when(g.lastFailedAt)),
      h(
        'td',
        {},
        h('a', { href: `#/messages?${new URLSearchParams({ status: 'unresolved', fingerprint: g.key }).toString()}` }, 'Show messages'),
        ' ',
        mayBulkReplay ? h('button', { type: 'button', className: 'secondary', onclick: () => renderBulkReplay(bulk, g) }, 'Bulk replay…') : null,
      ),
    ),
  );
  append(results, [table('Groups, largest first', ['Fingerprint', 'Error codes', 'Example error', 'Services', 'Count', 'Last failed', 'Actions'], rows, 'No unresolved failed message.')]);
}

/**
 * Preview and start of a bulk replay job for one failure group, then its progress.
 * @param {HTMLElement} container
 * @param {import('./api.js').FailureGroup} group
 */
export function renderBulkReplay(container, group) {
  const reason = h('input', { type: 'text', name: 'reason' });
  const force = checkbox('Force (the partner receives messages already answered again; needs a reason)');
  const outcome = h('div', { 'aria-live': 'polite' });
  const body = () => ({ fingerprint: group.key, force: force.input.checked, reason: reason.value.trim() || undefined });
  const start = h(
    'button',
    {
      type: 'button',
      className: 'danger',
      disabled: true,
      onclick: (e) =>
        act(e.currentTarget, async () => {
          /** @type {import('./api.js').ReplayJobProgress} */
          const progress = await api('POST', '/v1/admin/replay-jobs', body());
          start.hidden = true; // one job per preview: preview again for another
          showNotice(`Replay job ${progress.job.id} started: ${progress.job.total} message(s).`);
          jobProgress(outcome, progress);
        }),
    },
    'Start replay job',
  );
  const invalidate = () => {
    start.disabled = true;
  };
  reason.addEventListener('input', invalidate);
  force.input.addEventListener('change', invalidate);
  const preview = h(
    'button',
    {
      type: 'button',
      onclick: (e) =>
        act(e.currentTarget, async () => {
          /** @type {import('./api.js').ReplayJobPreview} */
          const result = await api('POST', '/v1/admin/replay-jobs', { ...body(), preview: true });
          clear(outcome);
          append(outcome, [
            h('p', { id: 'job-preview' }, `Preview: ${result.matched} message(s) to replay${result.alreadyQueued ? ` (${result.alreadyQueued} already in another job, left to it)` : ''}; about ${result.estimatedSeconds} s at the partners' rates.`),
            table('Partners', ['Partner', 'Messages', 'Rate (messages/s)', 'Time (s)'], result.partners.map((p) => h('tr', {}, h('td', {}, p.partner || '—'), h('td', { className: 'num' }, p.count), h('td', { className: 'num' }, p.ratePerSecond), h('td', { className: 'num' }, p.seconds))), ''),
          ]);
          start.hidden = false;
          start.disabled = result.matched - result.alreadyQueued <= 0;
          start.textContent = `Replay ${result.matched - result.alreadyQueued} message(s) as a job`;
        }),
    },
    'Preview',
  );
  append(clear(container), [
    h(
      'section',
      { className: 'panel', 'aria-labelledby': 'bulk-title' },
      h('h3', { id: 'bulk-title' }, 'Bulk replay of group ', h('span', { className: 'mono' }, group.key)),
      h('p', { className: 'muted' }, 'Unresolved messages of this cause, oldest first, replayed by a job at each partner\'s rate. Preview first, then start the job.'),
      h('form', { className: 'inline', onsubmit: (e) => e.preventDefault() }, field('Reason', reason), force.label, preview, start),
      outcome,
    ),
  ]);
  reason.focus();
}

/**
 * A job's progress bar and controls, polled every second while the job runs.
 * @param {HTMLElement} container
 * @param {import('./api.js').ReplayJobProgress} initial
 */
export function jobProgress(container, initial) {
  const bar = h('progress', { id: 'job-progress', max: 100, value: 0, 'aria-label': 'Replay job progress' });
  const text = h('p', { id: 'job-progress-text' });
  const controls = h('div', { className: 'inline' });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const control = (/** @type {'pause' | 'resume' | 'cancel'} */ action) =>
    h('button', { type: 'button', className: action === 'cancel' ? 'danger' : 'secondary', onclick: (e) => act(e.currentTarget, async () => show(await api('POST', `/v1/admin/replay-jobs/${initial.job.id}/${action}`, {}))) }, action[0].toUpperCase() + action.slice(1));
  /** @param {import('./api.js').ReplayJobProgress} p */
  const show = (p) => {
    // The rate is of the last 30 s: shown while the job runs only (a paused job's would fall, as if it were slowing).
    const running = p.job.state === 'running';
    bar.value = p.percent;
    text.textContent = `Job ${p.job.id}: ${p.job.state} — ${p.done} done, ${p.failed} failed, ${p.skipped} skipped${p.inDoubt ? `, ${p.inDoubt} in doubt` : ''}, ${p.remaining} remaining${running ? `; ${p.ratePerSecond}/s${p.etaSeconds !== null ? `, about ${p.etaSeconds} s left` : ''}` : ''}`;
    clear(controls);
    if (p.job.state === 'running') append(controls, [control('pause'), control('cancel')]);
    if (p.job.state === 'paused') append(controls, [control('resume'), control('cancel')]);
    clearTimeout(timer);
    if (p.job.state === 'running' || p.job.state === 'paused') {
      timer = setTimeout(() => {
        if (!bar.isConnected) return; // the operator went elsewhere
        /** @type {Promise<import('./api.js').ReplayJobProgress>} */
        const next = api('GET', `/v1/admin/replay-jobs/${p.job.id}`);
        next.then(show, () => undefined);
      }, 1000);
    }
  };
  append(clear(container), [bar, text, controls]);
  show(initial);
}
