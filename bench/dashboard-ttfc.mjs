// Time to first chart of the dashboard's overview, run by bench/dashboard-bench.sh: for each window,
// RUNS page loads in fresh browser contexts (no HTTP cache), from navigation start to the chart drawn
// with the window's data (window.dashboard.firstChartMs, set by the page right after ECharts took
// the series), and beside them the bare API request the chart waits for, timed the same number of
// times from this process. Medians and the worst run; the first page load is reported apart (cold:
// the JVM's and the engine's caches).
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
const RUNS = Number(process.env.RUNS || 7);
const WINDOWS = [
  ['the default: 24 hours per hour', 'interval=hour'],
  ['7 days per hour', `interval=hour&from=${new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 13)}:00:00Z`],
  ['30 days per day', `interval=day&from=${new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10)}T00:00:00Z`],
];
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

async function pageLoad(q) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/?view=overview&refresh=0&${q}`);
  await page.waitForFunction(() => window.dashboard && window.dashboard.firstChartMs, null, { timeout: 60000 });
  const ms = await page.evaluate(() => window.dashboard.firstChartMs);
  // Where the time went: the page's scripts ready, and the chart's answer received.
  const parts = await page.evaluate(() => ({
    scripts: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    answer: performance.getEntriesByType('resource').find(r => r.name.includes('/metrics/visualization'))?.responseEnd,
  }));
  breakdown.push(parts);
  await context.close();
  return ms;
}
const breakdown = [];

async function api(q) {
  const t = performance.now();
  const r = await fetch(`${BASE}/metrics/visualization?${q}`);
  const body = await r.json();
  if (!r.ok) throw new Error(JSON.stringify(body));
  return performance.now() - t;
}

const total = (await (await fetch(`${BASE}/metrics/events-total-count`)).json()).total;
console.log(`events stored: ${total.toLocaleString('en-US')}`);
console.log(`cold first page load (${WINDOWS[0][0]}): ${Math.round(await pageLoad(WINDOWS[0][1]))} ms`);
breakdown.splice(0);
console.log('| window | time to first chart, median (worst) | /metrics/visualization alone, median (worst) | ratio | page scripts ready | chart\'s answer received |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, q] of WINDOWS) {
  const pages = [];
  const apis = [];
  for (let i = 0; i < RUNS; i++) { // interleaved, so load on the machine hits both alike
    pages.push(await pageLoad(q));
    apis.push(await api(q));
  }
  const p = median(pages);
  const a = median(apis);
  const parts = breakdown.splice(0);
  console.log(`| ${name} | ${Math.round(p)} ms (${Math.round(Math.max(...pages))}) | ${Math.round(a)} ms (${Math.round(Math.max(...apis))}) | ${(p / a).toFixed(1)}x |`
    + ` ${Math.round(median(parts.map(x => x.scripts)))} ms | ${Math.round(median(parts.map(x => x.answer)))} ms |`);
}
await browser.close();
