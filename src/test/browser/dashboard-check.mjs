// Drives Debian's Chromium through every view of the dashboard, against a service that
// DashboardBrowserIT loaded with generated events, and compares what the page shows with what
// the API answers for the same parameters. Screenshots go to OUT_DIR.
//
// The outage check needs the test's help: this script prints "STOP-ENGINE" and waits for the line
// "stopped" on stdin; once the banner shows it prints "BANNER-SHOWN" and waits for "released" (the
// engine may come back), then waits for the page to recover. Prints "ALL-PASSED" at the end.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';

const BASE = process.env.BASE_URL.replace(/\/$/, '');
const OUT = process.env.OUT_DIR;
const FROM = process.env.FROM; // the overview's window, fixed so the numbers cannot move
const TO = process.env.TO;
const REPO = process.env.REPO; // a repository with opened PRs
const WIDTHS = [1440, 390];
mkdirSync(OUT, { recursive: true });

const stdin = createInterface({ input: process.stdin });
const lines = [];
const waiters = [];
stdin.on('line', l => (waiters.length ? waiters.shift()(l) : lines.push(l)));
const nextLine = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise(r => waiters.push(r)));

async function apiJson(path) {
  const r = await fetch(BASE + path);
  assert.equal(r.status, 200, `${path} answered ${r.status}`);
  return r.json();
}

const digits = s => Number(String(s).replace(/[^0-9.-]/g, ''));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

/** Opens a view; collects console errors and failed requests (a network failure or a 4xx/5xx). */
async function open(path, width, allowed = []) {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
  const page = await context.newPage();
  const problems = [];
  const isAllowed = text => allowed.some(a => text.includes(a));
  page.on('console', m => { if (m.type() === 'error' && !isAllowed(m.text() + ' ' + (m.location().url || ''))) problems.push(`console: ${m.text()} ${m.location().url || ''}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', r => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', r => { if (r.status() >= 400 && !isAllowed(r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(BASE + path);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return { page, context, problems };
}

async function shot(page, name) {
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
}

const text = (page, testid) => page.locator(`[data-testid="${testid}"]`).first().textContent();

const failures = [];
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`FAILED ${name}: ${e.stack || e}`);
  }
}

const TYPES = ['WatchEvent', 'PullRequestEvent', 'IssuesEvent'];
const overviewQuery = `interval=hour&from=${FROM}&to=${TO}`;
const timingQuery = `event_type=PullRequestEvent&action=opened&repository_name=${REPO}`;

// Coverage is computed on a schedule (COVERAGE_REFRESH_INTERVAL); asking the coverage endpoint
// computes it now, so the notes next to the counts describe the generated events.
await apiJson(`/metrics/coverage?from=${FROM}&to=${TO}`);

const views = {
  overview: {
    path: `/?view=overview&${overviewQuery}&refresh=0`,
    async verify(page) {
      const v = await apiJson(`/metrics/visualization?${overviewQuery}`);
      const sums = TYPES.map(t => v.series[t].reduce((a, b) => a + b, 0));
      assert.ok(sums.reduce((a, b) => a + b) > 0, 'the generated events are in the window');
      for (const [i, t] of TYPES.entries()) assert.equal(digits(await text(page, `total-${t}`)), sums[i], t);
      assert.equal(digits(await text(page, 'total-all')), sums.reduce((a, b) => a + b));
      const note = await page.locator('[data-testid="totals"] .note').first().textContent();
      assert.ok(note.includes(`${v.coverage.hours_complete} of ${v.coverage.hours} h complete, ${v.coverage.hours_sampled} sampled`),
        `the coverage of the window is shown next to the counts: ${note}`);
      const series = await page.evaluate(() => window.dashboard.charts.get('visualization').getOption().series
        .map(s => ({ name: s.name, data: s.data.map(p => p[1]) })));
      for (const s of series) assert.deepEqual(s.data, v.series[s.name], `chart series ${s.name}`);
      const poller = await apiJson('/status/poller');
      assert.equal(digits(await text(page, 'poller-backlog')), poller.backlog_events);
    },
  },
  repository: {
    path: `/?view=repository&repo=${REPO}&refresh=0`,
    async verify(page) {
      const [owner, name] = REPO.split('/');
      const avg = await apiJson(`/metrics/pr-average/${owner}/${name}`);
      const totals = await apiJson(`/metrics/events-total-count?repository_name=${REPO}`);
      const openings = await apiJson(`/metrics/pr-openings/${owner}/${name}?interval=day`);
      assert.ok(avg.pr_count > 1);
      assert.equal(digits(await text(page, 'repo-pr-count')), avg.pr_count);
      const avgNote = await page.locator('[data-testid="repo-pr-average"] + .note').textContent();
      assert.equal(avgNote, avg.complete === true ? avgNote : 'incomplete: only the events this service saw',
        'whether the average is complete is shown');
      assert.equal(digits(await text(page, 'repo-total')), totals.total);
      const data = await page.evaluate(() => ({
        prs: window.dashboard.charts.get('pr-openings').getOption().series[0].data.map(p => p[1]),
        types: window.dashboard.charts.get('repo-types').getOption().series[0].data,
      }));
      assert.deepEqual(data.prs, openings.opened);
      assert.deepEqual(data.types, TYPES.map(t => totals.counts[t]));
    },
  },
  top: {
    path: '/?view=top&days=2&limit=5&refresh=0',
    async verify(page) {
      const v = await apiJson('/metrics/top-repos?days=2&limit=5');
      const rows = await page.$$eval('[data-testid="top-table"] tbody tr', trs => trs.map(tr => ({
        repo: tr.querySelector('[data-col="repo_name"]').textContent,
        total: tr.querySelector('[data-col="total_events"]').textContent,
        users: tr.querySelector('[data-col="unique_users"]').textContent,
      })));
      assert.deepEqual(rows.map(r => [r.repo, digits(r.total), digits(r.users)]),
        v.repositories.map(r => [r.repo_name, r.total_events, r.unique_users]));
      // Sorting by name, then back: the order is in the URL.
      await page.click('th button[data-sort="repo_name"]');
      assert.match(page.url(), /sort=repo_name/);
      const names = await page.$$eval('[data-testid="top-table"] [data-col="repo_name"]', tds => tds.map(t => t.textContent));
      assert.deepEqual(names, [...names].sort((a, b) => b.localeCompare(a)));
    },
  },
  sessions: {
    path: '/?view=sessions&days=2&limit=10&refresh=0',
    async verify(page) {
      const v = await apiJson('/metrics/user-sessions?days=2&limit=10');
      const rows = await page.$$eval('[data-testid="sessions-table"] tbody tr', trs => trs.map(tr =>
        [tr.querySelector('[data-col="actor_login"]').textContent, tr.querySelector('[data-col="events_in_session"]').textContent]));
      assert.equal(rows.length, v.sessions.length);
      assert.ok(rows.length > 0);
      assert.deepEqual(rows.map(r => digits(r[1])), v.sessions.map(s => s.events_in_session));
    },
  },
  timing: {
    path: `/?view=timing&${timingQuery}&offset=1440&refresh=0`,
    async verify(page) {
      const avg = await apiJson(`/metrics/event-avg-time?${timingQuery}`);
      const gaps = await apiJson(`/metrics/event-gaps?${timingQuery}`);
      assert.equal(digits(await text(page, 'gap-count')), avg.event_count);
      const chartData = await page.evaluate(() => {
        const s = window.dashboard.charts.get('gaps').getOption().series[0];
        return { gaps: s.data.map(p => p[1]), average: s.markLine.data[0].yAxis };
      });
      assert.deepEqual(chartData.gaps, gaps.gaps);
      assert.equal(chartData.average, avg.average_seconds);
      const totals = await apiJson(`/metrics/events-total-count?action=opened&repository_name=${REPO}`);
      assert.equal(digits(await text(page, 'type-total-all')), totals.total);
      const offset = await apiJson('/metrics/events?offset=1440');
      for (const t of TYPES) assert.equal(digits(await text(page, `offset-total-${t}`)), offset.counts[t], t);
    },
  },
  recent: {
    path: '/?view=recent&refresh=0',
    async verify(page) {
      const v = await apiJson('/metrics/recent-events?limit=50');
      const ids = await page.$$eval('[data-testid="recent-table"] tbody tr', trs => trs.map(tr => tr.dataset.eventId));
      assert.equal(ids.length, 50);
      assert.deepEqual(ids, v.events.map(e => String(e.event_id)));
    },
  },
  'standalone-event-avg-time': {
    path: `/visualization/event-avg-time?${timingQuery}&refresh=0`,
    async verify(page) {
      const avg = await apiJson(`/metrics/event-avg-time?${timingQuery}`);
      assert.equal(digits(await text(page, 'gap-count')), avg.event_count);
      assert.equal(await page.locator('#totals').count(), 0, 'only the one chart');
    },
  },
  'standalone-events-total-count': {
    path: `/visualization/events-total-count?repository_name=${REPO}&refresh=0`,
    async verify(page) {
      const v = await apiJson(`/metrics/events-total-count?repository_name=${REPO}`);
      for (const t of TYPES) assert.equal(digits(await text(page, `type-total-${t}`)), v.counts[t], t);
      assert.equal(await page.locator('#gaps').count(), 0, 'only the one chart');
    },
  },
};

for (const [name, view] of Object.entries(views)) {
  for (const width of WIDTHS) {
    await check(`${name} at ${width} px`, async () => {
      const { page, context, problems } = await open(view.path, width);
      try {
        await view.verify(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
        await shot(page, `${name}-${width}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
}

await check('the overview for the README', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto(`${BASE}${views.overview.path}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.screenshot({ path: `${OUT}/readme-overview.png` });
  await context.close();
});

await check('a bad repository name shows the API\'s detail', async () => {
  const bad = 'not-a-repo';
  const r = await fetch(`${BASE}/metrics/events-total-count?repository_name=${bad}`);
  assert.equal(r.status, 400);
  const detail = (await r.json()).detail;
  const { page, context, problems } = await open(`/?view=repository&repo=${bad}&refresh=0`, 1440,
    ['status of 400', 'repository_name=not-a-repo']);
  try {
    await page.waitForSelector('[data-testid="repo-error"]:not([hidden])');
    assert.equal(await text(page, 'repo-error'), detail);
    // And typed into the box: the same path.
    await page.fill('[data-testid="input-repo"]', 'owner/..');
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="repo-error"]').textContent.includes('owner/..'));
    assert.match(page.url(), /repo=owner%2F\.\./);
    await shot(page, 'repository-bad-name-1440');
    assert.deepEqual(problems.filter(p => !p.includes('owner%2F..') && !p.includes('owner/..')), []);
  } finally {
    await context.close();
  }
});

await check('the watch button sends the admin token and shows the API\'s answer', async () => {
  const [owner, name] = REPO.split('/');
  const direct = await fetch(`${BASE}/watch/${owner}/${name}`, { method: 'PUT', headers: { Authorization: 'Bearer t0ken' } });
  const detail = (await direct.json()).detail; // the tests run without ADMIN_TOKEN: admin endpoints are 404
  const { page, context, problems } = await open(`/?view=repository&repo=${REPO}&refresh=0`, 1440,
    [`/watch/${owner}/${name}`, 'status of 404']);
  try {
    page.on('dialog', d => d.accept('t0ken'));
    await page.click('[data-testid="watch-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="watch-status"]').textContent.startsWith('not watched'));
    assert.equal(await text(page, 'watch-status'), `not watched: ${detail}`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('adminToken')), 't0ken', 'asked once, kept for the session');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

await check('a stopped ClickHouse shows a banner, and the page recovers', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/?view=overview&${overviewQuery}&refresh=1`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('#banner').isHidden(), true);
  console.log('STOP-ENGINE');
  assert.equal(await nextLine(), 'stopped');
  await page.waitForSelector('#banner:not([hidden])', { timeout: 30000 });
  const banner = await page.locator('#banner').textContent();
  assert.match(banner, /ClickHouse is not reachable/);
  await shot(page, 'overview-clickhouse-down-1440');
  console.log('BANNER-SHOWN');
  assert.equal(await nextLine(), 'released');
  await page.waitForFunction(() => document.getElementById('banner').hidden, null, { timeout: 90000 });
  const v = await apiJson(`/metrics/visualization?${overviewQuery}`);
  const total = TYPES.reduce((n, t) => n + v.series[t].reduce((a, b) => a + b, 0), 0);
  assert.equal(digits(await text(page, 'total-all')), total);
  await context.close();
});

await browser.close();
console.log(failures.length ? `FAILURES: ${failures.join('; ')}` : 'ALL-PASSED');
process.exit(failures.length ? 1 : 0);
