// @ts-check
import uPlot from './uplot.js';
import { clear, h, main } from './dom.js';
import { api } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// Overview: per partner, exchanges, error rate, p99 latency and dead letters over the last hour or day, from the
// operational records (GET /v1/admin/operational-records/summary), and the failed messages waiting now (a count: the
// failed-message store keeps no history of it). Every chart has its figures written above it, so nothing depends on
// seeing the chart.

/**
 * @typedef {object} ExchangeFigures
 * @property {number} exchanges
 * @property {number} errors
 * @property {number} deadLettered
 * @property {number} refused
 * @property {number} errorRate
 * @property {number} [p99Ms]
 */
/** @typedef {{ partner: string, totals: ExchangeFigures, buckets: Array<ExchangeFigures & { at: string }> }} PartnerSummary */
/** @typedef {{ window: string, bucketSeconds: number, from: string, to: string, partners: PartnerSummary[] }} ExchangeSummary */
/** @typedef {{ groups: Array<{ key: string, count: number }> }} ServiceGroups */

/** How often the page asks again while it is shown. */
const REFRESH_MS = 30_000;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let refresh;
/** @type {uPlot[]} */
let charts = [];

/**
 * @param {URLSearchParams} params `window`: 1h (default) or 24h
 */
export async function renderOverview(params) {
  const window = params.get('window') === '24h' ? '24h' : '1h';
  /** @type {ExchangeSummary} */
  const summary = await api('GET', `/v1/admin/operational-records/summary?window=${window}`);
  /** @type {ServiceGroups} */
  const waiting = await api('GET', '/v1/admin/failed-messages/groups?by=service&status=unresolved');
  const waitingByPartner = new Map();
  for (const group of waiting.groups) {
    const partner = group.key.split('/')[0];
    waitingByPartner.set(partner, (waitingByPartner.get(partner) || 0) + group.count);
  }
  for (const chart of charts) chart.destroy();
  charts = [];
  clear(main);
  const switcher = h(
    'p',
    { className: 'window-switch' },
    'Window: ',
    h('a', { href: '#/overview?window=1h', 'aria-current': window === '1h' ? 'page' : undefined }, 'last hour'),
    ' · ',
    h('a', { href: '#/overview?window=24h', 'aria-current': window === '24h' ? 'page' : undefined }, 'last day'),
    ` (buckets of ${summary.bucketSeconds / 60} min, to ${new Date(summary.to).toLocaleTimeString()})`,
  );
  main.append(h('h2', {}, 'Overview'), switcher);
  if (!summary.partners.length) {
    main.append(h('p', { className: 'muted', id: 'overview-empty' }, 'No exchanges in this window.'));
  }
  const from = Date.parse(summary.from) / 1000;
  const to = Date.parse(summary.to) / 1000;
  for (const partner of summary.partners) {
    const t = partner.totals;
    const figures = h(
      'p',
      { className: 'figures', 'data-partner': partner.partner },
      `${t.exchanges} exchanges · error rate ${(t.errorRate * 100).toFixed(1)} % · p99 ${t.p99Ms === undefined ? '–' : `${t.p99Ms} ms`}` +
        ` · dead letters ${t.deadLettered} · refused ${t.refused} · failed messages waiting ${waitingByPartner.get(partner.partner) || 0}`,
    );
    const row = h('div', { className: 'charts' });
    main.append(h('section', { className: 'partner', 'data-partner': partner.partner }, h('h3', {}, partner.partner), figures, row));
    const at = partner.buckets.map((b) => Date.parse(b.at) / 1000);
    const perMinute = 60 / summary.bucketSeconds;
    charts.push(
      chart(row, `Exchanges per minute`, at, partner.buckets.map((b) => b.exchanges * perMinute), from, to, '#2b6cb0'),
      chart(row, `Error rate %`, at, partner.buckets.map((b) => b.errorRate * 100), from, to, '#c53030'),
      chart(row, `p99 latency ms`, at, partner.buckets.map((b) => (b.p99Ms === undefined ? null : b.p99Ms)), from, to, '#2f855a'),
      chart(row, `Dead letters`, at, partner.buckets.map((b) => b.deadLettered), from, to, '#6b46c1'),
    );
  }
  if (refresh) clearTimeout(refresh);
  refresh = setTimeout(() => {
    if (location.hash.startsWith('#/overview')) void renderOverview(params).catch(() => undefined);
  }, REFRESH_MS);
}

/**
 * One small time-series chart (uPlot, on a canvas) in `parent`.
 * @param {HTMLElement} parent
 * @param {string} title
 * @param {number[]} at bucket starts, seconds since the epoch
 * @param {Array<number | null>} values
 * @param {number} from
 * @param {number} to
 * @param {string} colour
 */
function chart(parent, title, at, values, from, to, colour) {
  const box = h('figure', { className: 'chart', 'aria-label': title });
  parent.append(box);
  return new uPlot(
    {
      title,
      width: 320,
      height: 160,
      legend: { show: false },
      scales: { x: { time: true, min: from, max: to } },
      series: [{}, { label: title, stroke: colour, width: 2, fill: `${colour}22`, points: { show: true, size: 4 } }],
      axes: [{ size: 30 }, { size: 60 }],
    },
    [at, values],
    box,
  );
}
