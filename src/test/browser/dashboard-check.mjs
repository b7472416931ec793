// Drives Debian's Chromium through every view of the dashboard, against a service that
// DashboardBrowserIT loaded with generated events, and compares what the page shows with what
// the API answers for the same parameters. Screenshots go to OUT_DIR.
//
// It starts from an empty service, at each width: "EMPTY <width>" asks the test to empty every
// table ("emptied" when done); the page's next steps are checked and yesterday's GH Archive hours
// synced from the page. "LOAD-GENERATED" asks for the generated firehose events ("loaded").
// The outage check needs the test's help too: this script prints "STOP-ENGINE" and waits for the line
// "stopped" on stdin; once the banner shows it prints "BANNER-SHOWN" and waits for "released" (the
// engine may come back), then waits for the page to recover. Prints "ALL-PASSED" at the end.
// Every view is checked by axe-core (pinned beside playwright-core) against WCAG 2 A and AA.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN_TOKEN = process.env.ADMIN_TOKEN;

const BASE = process.env.BASE_URL.replace(/\/$/, '');
const OUT = process.env.OUT_DIR;
const FROM = process.env.FROM; // the overview's window, fixed so the numbers cannot move
const TO = process.env.TO;
const REPO = process.env.REPO; // a repository with opened PRs
const LOADED = process.env.LOADED_REPO; // a repository whose history the fake GitHub serves
const COMPARED = [LOADED, REPO, 'org-2/repo-2']; // loaded, and two answered from events (GitHub: not found)
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
async function open(path, width, allowed = [], { clock = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
  // The page's timers on Playwright's clock: time flows as usual until a check pauses it and then
  // moves it on by hand, so what must not happen in a minute is checked without waiting a minute.
  if (clock) await context.clock.install();
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

/**
 * The dashboard's requests to the API (answers and status) while the page's clock is moved on by
 * about `ms` (a second more), paused before and after. A request the page makes in that time is issued before the probe
 * fetched after it, so the count is whole once the probe has its answer.
 */
async function requestsWhileClockRuns(page, ms) {
  let requests = 0;
  const count = r => { if (r.url().includes('/metrics/') || r.url().includes('/status/')) requests++; };
  page.on('request', count);
  // A second ahead: the page's time flows while this is asked, and the clock cannot go back.
  await page.clock.pauseAt(await page.evaluate(() => Date.now()) + 1000);
  await page.clock.runFor(ms);
  await page.evaluate(() => fetch('/q/health/live').then(r => r.status));
  page.off('request', count);
  return requests;
}

/** axe-core's WCAG 2 A and AA rules on the page as it is; evaluated over the devtools protocol, so the page's CSP stays on. */
async function axeClean(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const found = result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`);
  assert.deepEqual(found, [], `axe-core found WCAG 2 A/AA violations on ${name}`);
}

/**
 * Every type's name is read whole: no tile's label is cut (by an ellipsis, or its tile's edge), and
 * each names its type. The label's text as laid out lies inside its tile, and nothing in the tile
 * holds more than it shows (an ellipsis paints over text that is still laid out).
 */
async function tilesReadable(page) {
  const labels = await page.$$eval('.tile', ts => ts.map(t => {
    const l = t.querySelector('.label');
    const range = document.createRange();
    range.selectNodeContents(l);
    const text = range.getBoundingClientRect();
    const box = t.getBoundingClientRect();
    const outside = text.left < box.left - 0.5 || text.right > box.right + 0.5 || text.top < box.top - 0.5 || text.bottom > box.bottom + 0.5;
    const clipped = [t, ...t.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight);
    return { type: t.dataset.type, name: l.textContent, title: t.title, cut: outside || clipped };
  }));
  assert.deepEqual(labels.filter(l => l.cut).map(l => l.name), [], 'tile labels cut');
  for (const l of labels.filter(l => l.type)) {
    assert.ok(l.name.trim().length > 0 && l.title === l.type, `the ${l.type} tile names it: ${l.name} (${l.title})`);
  }
}

/** No text of the page says null, undefined or NaN: an absent value shows as absent. */
async function nothingPrintsNull(page) {
  const printed = await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) if (/null|undefined|\bNaN\b/.test(walker.currentNode.data)) found.push(walker.currentNode.data);
    return found;
  });
  assert.deepEqual(printed, [], 'nothing prints null, undefined or NaN');
}

/** No card's label or value is cut: nothing in a card holds more than it shows. */
async function cardsReadable(page) {
  const cut = await page.$$eval('.card', cs => cs.filter(c => [c, ...c.querySelectorAll('*')]
    .some(e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight)).map(c => c.textContent));
  assert.deepEqual(cut, [], 'cards cut');
}

/** An instant as the page writes it: "2026-12-06 23:15:00 UTC". */
const utc = t => t.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
const lifePath = (kind, repo, days = 90) => `/metrics/${kind}/${repo}?days=${days}`;

/** Waits until no compared repository's history is queued or loading (GitHub answers the others 404). */
async function settled(repos) {
  for (let i = 0; i < 120; i++) {
    const v = await apiJson(`/metrics/compare?repos=${repos.join(',')}&days=90`);
    if (v.repositories.every(r => !['queued', 'loading'].includes(r.pull_requests.history.state))) return v;
    await new Promise(r => setTimeout(r, 500));
  }
  assert.fail(`the histories of ${repos} did not settle`);
}

/** The page's own duration format over an API value: the numbers are compared, not the words. */
const secondsAsShown = (page, v) => page.evaluate(x => window.dashboard.fmtSeconds(x), v);

/** The poller's reason with its wait cut off: "retrying in 44 s" and "in 45 s" are the same reason. */
const reasonOf = t => String(t).replace(/ — (retrying|resumes) .*$/, '');

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
/** The API's type order: the defaults, then the others by name. */
const typesOf = counts => [...TYPES, ...Object.keys(counts).filter(t => !TYPES.includes(t)).sort()];
const overviewQuery = `interval=hour&from=${FROM}&to=${TO}`;
const timingQuery = `event_type=PullRequestEvent&action=opened&repository_name=${REPO}`;



// ---- the first hour: an empty service, at each width ---------------------------------------------

const admin = { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };
const firstCharts = [];

for (const width of WIDTHS) {
  console.log(`EMPTY ${width}`);
  assert.equal(await nextLine(), 'emptied');
  await check(`an empty service says what to do next, at ${width} px`, async () => {
    // The poller has met the closed port by now (it polls at start, then backs off).
    let status;
    for (let i = 0; i < 60 && !(status = await apiJson('/status/poller')).last_failure; i++) await new Promise(r => setTimeout(r, 500));
    assert.equal(status.last_failure, 'GitHub unreachable (connection refused)');
    const { page, context, problems } = await open('/?view=overview&refresh=0', width);
    try {
      await page.waitForSelector('#start:not([hidden])');
      const token = await text(page, 'step-token');
      assert.match(token, /GITHUB_TOKEN/);
      assert.match(token, /60 requests an hour/);
      assert.match(token, /5,000/);
      assert.match(await text(page, 'step-watch'), /Watch a repository, or ask for one/);
      assert.match(await text(page, 'step-archive'), /Load yesterday/);
      const shown = await text(page, 'poller-reason');
      const now = await apiJson('/status/poller');
      assert.equal(reasonOf(shown), reasonOf(now.reason), `the page's reason is the API's: ${shown} / ${now.reason}`);
      assert.match(shown, /^GitHub unreachable \(connection refused\) — retrying (in \d+ (s|min)|now)/);
      assert.equal(await text(page, 'poller-token'), 'no token: 60 requests an hour');
      await nothingPrintsNull(page);
      assert.equal(await page.locator('[data-testid="chart-visualization"]').isHidden(), true, 'no chart of zeros');
      await axeClean(page, `the empty overview at ${width} px`);
      await tilesReadable(page);
      await shot(page, `empty-${width}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  await check(`yesterday's sync started from the page ends with the events counted, at ${width} px`, async () => {
    const { page, context, problems } = await open('/?view=overview&refresh=0', width);
    try {
      // Every text the progress line shows, as it shows it.
      await page.evaluate(() => {
        window.syncTexts = [];
        const target = document.querySelector('[data-testid="sync-progress"]');
        new MutationObserver(() => window.syncTexts.push(target.textContent)).observe(target, { childList: true, subtree: true, characterData: true });
      });
      await page.fill('[data-testid="admin-token"]', ADMIN_TOKEN);
      await page.click('[data-testid="sync-start"]');
      await page.waitForSelector('body[data-sync-ended]', { timeout: 180000 });
      assert.equal(await page.evaluate(() => document.body.dataset.syncEnded), 'succeeded');
      assert.ok(!page.url().includes(ADMIN_TOKEN), 'the token is never in the URL');
      assert.equal(await page.evaluate(() => sessionStorage.getItem('adminToken')), ADMIN_TOKEN, 'entered once, kept for the tab');
      const jobs = await (await fetch(`${BASE}/admin/jobs`, admin)).json();
      const job = jobs.jobs[0];
      assert.equal(job.state, 'succeeded');
      assert.ok(job.progress.events_stored > 1000, `the sync stored yesterday's events: ${job.progress.events_stored}`);
      assert.match(await text(page, 'sync-state'), /^Done: 24 of 24 files/);
      assert.match(await page.locator('[data-testid="sync-show"]').getAttribute('href'),
        /from=\d{4}-\d\d-\d\dT00:00:00Z&to=\d{4}-\d\d-\d\dT00:00:00Z/, 'a link to the synced day in the overview');
      assert.equal(digits(await text(page, 'sync-events')), job.progress.events_stored);
      const all = await apiJson('/metrics/events-total-count');
      assert.equal(all.total, job.progress.events_stored, 'every event the sync stored is counted');
      const running = (await page.evaluate(() => window.syncTexts)).filter(t => t.startsWith('Loading'));
      for (const t of running) assert.match(t, /^Loading: (starting|\d+ of 24 files · [\d.]+ MB\/s · ETA .+) · [\d,]+ events stored$/);
      console.log(`sync progress lines seen while it ran: ${running.length}`);
      // The overview counts them, once it reloaded.
      const v = await apiJson('/metrics/visualization');
      const total = Object.values(v.series).flat().reduce((a, b) => a + b, 0);
      await page.waitForFunction(n => document.querySelector('[data-testid="total-all"]')?.textContent.replace(/\D/g, '') === String(n), total, { timeout: 30000 });
      await axeClean(page, `the overview after the sync at ${width} px`);
      await tilesReadable(page);
      await shot(page, `synced-${width}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

console.log('LOAD-GENERATED');
assert.equal(await nextLine(), 'loaded');
// Answers compute the coverage of what this service stored before they say what they rest on; asking
// the coverage endpoint does the same, for the views' coverage lines.
await apiJson(`/metrics/coverage?from=${FROM}&to=${TO}`);

await check('a repository asked for is loaded while its page follows the history, refresh paused', async () => {
  let released = false;
  const { page, context, problems } = await open(`/?view=repository&repo=${LOADED}&refresh=0`, 1440, [], { clock: true });
  try {
    // Asked for, it is queued; its pulls list loads, then the issues list is held by the fake GitHub.
    await page.waitForFunction(() => /loading its history: [1-9]\d* pages? so far/
      .test(document.querySelector('[data-testid="life-badge"]')?.textContent), null, { timeout: 90000 });
    const loading = await apiJson(lifePath('pull-requests', LOADED));
    assert.equal(loading.history.state, 'loading');
    assert.equal(loading.complete, false);
    const badge = await text(page, 'life-badge');
    const n = loading.history.pages_loaded;
    assert.equal(badge, `partial: from the events this service saw loading its history: ${n} page${n === 1 ? '' : 's'} so far`);
    assert.equal(await page.locator('[data-testid="life-badge"]').getAttribute('data-state'), 'loading');
    await nothingPrintsNull(page);
    await shot(page, 'repository-loading-1440');
    released = true;
    console.log('HISTORY-RELEASE');
    await page.waitForSelector('[data-testid="life-badge"][data-state="loaded"]', { timeout: 90000 });
    const loaded = await apiJson(lifePath('pull-requests', LOADED));
    assert.equal(loaded.complete, true);
    assert.equal(await page.locator('[data-testid="life-badge"] .badge').textContent(), `complete since ${utc(loaded.complete_since)}`);
    assert.equal(digits(await text(page, 'life-open-prs')), loaded.open);
    // Loaded, it is no longer followed: no request in five follow periods (2 s each).
    assert.equal(await requestsWhileClockRuns(page, 10000), 0, 'no request once the history is loaded');
    assert.deepEqual(problems, []);
  } finally {
    if (!released) console.log('HISTORY-RELEASE');
    await context.close();
  }
});

await check('refresh is clamped to the offered choices', async () => {
  const { page, context, problems } = await open('/?view=overview&refresh=3000000', 1440, [], { clock: true });
  try {
    assert.equal(await page.locator('#refresh').inputValue(), '60');
    assert.equal(await page.evaluate(() => window.dashboard.refreshSeconds()), 60);
    assert.match(page.url(), /refresh=60(&|$)/);
    assert.equal(await requestsWhileClockRuns(page, 55000), 0, 'no request in 55 s with a 60 s refresh');
    assert.ok(await requestsWhileClockRuns(page, 6000) > 0, 'the refresh asks again at 60 s');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

const views = {
  overview: {
    path: `/?view=overview&${overviewQuery}&refresh=0`,
    async verify(page) {
      const v = await apiJson(`/metrics/visualization?${overviewQuery}`);
      const types = typesOf(v.series);
      assert.ok(types.length > 10, `every type of the * backfill is in the answer: ${types}`);
      const sums = types.map(t => v.series[t].reduce((a, b) => a + b, 0));
      assert.ok(sums.reduce((a, b) => a + b) > 0, 'the generated events are in the window');
      const tiles = await page.$$eval('[data-testid="totals"] .tile[data-type]', ts => ts.map(t => t.dataset.type));
      assert.deepEqual(tiles, types, 'a tile per type, in the API\'s order');
      for (const [i, t] of types.entries()) assert.equal(digits(await text(page, `total-${t}`)), sums[i], t);
      assert.equal(digits(await text(page, 'total-all')), sums.reduce((a, b) => a + b));
      const coverage = await text(page, 'coverage');
      assert.equal(await page.locator('[data-testid="coverage"]').count(), 1, 'coverage is said once');
      assert.ok(!/no source|nothing seen/i.test(coverage), `coverage beside stored events: ${coverage}`);
      assert.match(coverage, new RegExp(`${v.coverage.hours} hours`), `the window's hours are in the coverage: ${coverage}`);
      const title = await page.locator('#overview-chart h2').textContent();
      assert.match(title, /^Events per hour · \w+ \d+ \d\d:00 – \w+ \d+ \d\d:00 UTC/, `the window is the chart's title: ${title}`);
      assert.equal(await page.locator('[data-testid="range"]').count(), 0, 'no window card');
      const placeholder = await page.locator('[data-testid="input-from"]').getAttribute('placeholder');
      assert.ok(!/\d{4}-\d\d/.test(placeholder), `no made-up date as the from placeholder: ${placeholder}`);
      const series = await page.evaluate(() => window.dashboard.charts.get('visualization').getOption().series
        .map(s => ({ name: s.name, data: s.data.map(p => p[1]) })));
      assert.deepEqual(series.map(s => s.name), types);
      for (const s of series) assert.deepEqual(s.data, v.series[s.name], `chart series ${s.name}`);
      const poller = await apiJson('/status/poller');
      assert.equal(digits(await text(page, 'poller-backlog')), poller.backlog_events);
      assert.equal(await page.locator('#start').isHidden(), true, 'a service with events shows no first steps');
      // The first screen holds the figures: the tiles end above the fold.
      const box = await page.locator('[data-testid="totals"]').boundingBox();
      assert.ok(box.y + box.height <= page.viewportSize().height, `the totals fit on the first screen (${box.y + box.height} px)`);
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
        prs: window.dashboard.charts.get('pr-openings').getOption().series[0].data,
        types: window.dashboard.charts.get('repo-types').getOption().series[0].data,
      }));
      assert.deepEqual(data.prs, openings.opened);
      assert.deepEqual(data.types.map(d => d.value), typesOf(totals.counts).map(t => totals.counts[t]));
      const coverage = await text(page, 'repo-coverage');
      assert.ok(!/no source|nothing seen/i.test(coverage), `coverage beside ${totals.total} stored events: ${coverage}`);
    },
  },
  'repository-lifecycle': {
    path: `/?view=repository&repo=${LOADED}&days=90&refresh=0`,
    async verify(page) {
      const prs = await apiJson(lifePath('pull-requests', LOADED));
      const issues = await apiJson(lifePath('issues', LOADED));
      assert.equal(prs.complete, true, 'its history is loaded');
      assert.ok(prs.opened > 50 && prs.merged > 10 && issues.opened > 10 && prs.bots_excluded > 0,
        `a history worth showing: ${prs.opened} PRs, ${prs.merged} merged, ${issues.opened} issues, ${prs.bots_excluded} bot PRs`);
      assert.equal(await page.locator('[data-testid="life-badge"] .badge').textContent(), `complete since ${utc(prs.complete_since)}`);
      assert.equal(digits(await text(page, 'life-open-prs')), prs.open);
      assert.equal(digits(await text(page, 'life-open-issues')), issues.open);
      assert.equal(digits(await text(page, 'life-merged')), prs.merged);
      assert.match(await text(page, 'life-bots'), new RegExp(`${prs.bots_excluded} bot PRs and ${issues.bots_excluded} bot issues left out`));
      for (const [id, q] of [['life-merge', prs.time_to_merge_seconds], ['life-pr-response', prs.time_to_first_response_seconds],
        ['life-issue-response', issues.time_to_first_response_seconds]]) {
        assert.ok(q.p50 != null && q.p90 != null, `${id}: quantiles to show`);
        assert.equal(await text(page, `${id}-p50`), await secondsAsShown(page, q.p50), `${id} p50`);
        assert.equal(await text(page, `${id}-p90`), await secondsAsShown(page, q.p90), `${id} p90`);
      }
      const shown = await page.evaluate(() => {
        const t = window.dashboard.charts.get('life-times').getOption();
        const w = window.dashboard.charts.get('life-weeks').getOption();
        return { weeks: t.xAxis[0].data, times: t.series.map(s => s.data), weekWeeks: w.xAxis[0].data, counts: w.series.map(s => s.data) };
      });
      const weeks = prs.by_week.map(w => w.week);
      assert.ok(weeks.length >= 13, `every week of 90 days: ${weeks.length}`);
      assert.deepEqual(shown.weeks, weeks);
      assert.deepEqual(shown.weekWeeks, weeks);
      assert.deepEqual(shown.times, ['time_to_merge_p50', 'time_to_merge_p90', 'time_to_first_response_p50', 'time_to_first_response_p90']
        .map(k => prs.by_week.map(w => w[k])), 'time to merge and to first response, p50 and p90, by week');
      assert.deepEqual(shown.counts, [prs.by_week.map(w => w.opened), prs.by_week.map(w => w.merged)], 'opened and merged by week');
    },
  },
  compare: {
    async path() {
      await settled(COMPARED);
      return `/?view=compare&repos=${COMPARED.join(',')}&days=90&refresh=0`;
    },
    async verify(page) {
      const v = await apiJson(`/metrics/compare?repos=${COMPARED.join(',')}&days=90`);
      const heads = await page.$$eval('[data-testid="compare-table"] thead th.repo', ths => ths.map(t => t.textContent));
      assert.deepEqual(heads, COMPARED, 'a column per repository, in the order asked');
      const cells = await page.$$eval('[data-testid="compare-table"] td[data-field]', tds => tds.map(t =>
        ({ repo: t.dataset.repo, field: t.dataset.field, text: t.textContent })));
      const fields = ['opened', 'merged', 'closed_unmerged', 'open', 'merge_rate', 'time_to_merge_seconds.p50', 'time_to_merge_seconds.p90',
        'time_to_first_response_seconds.p50', 'time_to_first_response_seconds.p90', 'unanswered', 'bots_excluded'].map(f => `pull_requests.${f}`)
        .concat(['opened', 'closed', 'open', 'time_to_close_seconds.p50', 'time_to_close_seconds.p90', 'time_to_first_response_seconds.p50',
          'time_to_first_response_seconds.p90', 'unanswered', 'bots_excluded'].map(f => `issues.${f}`));
      assert.deepEqual(cells.map(c => `${c.repo} ${c.field}`), fields.flatMap(f => COMPARED.map(r => `${r} ${f}`)), 'every figure of every repository');
      for (const c of cells) {
        const value = c.field.split('.').reduce((o, k) => o?.[k], v.repositories.find(r => r.repository === c.repo));
        const expected = c.field.endsWith('merge_rate') ? (value == null ? '–' : `${(value * 100).toFixed(1)}%`)
          : c.field.includes('_seconds.') ? await secondsAsShown(page, value) : value.toLocaleString('en-US');
        assert.equal(c.text, expected, `${c.repo} ${c.field}`);
      }
      assert.ok(v.repositories[0].pull_requests.opened > 50, 'the loaded repository has its PRs');
      assert.ok(v.repositories[1].pull_requests.opened > 0 && v.repositories[1].pull_requests.merged > 0,
        `${REPO} has PRs paired from its events: ${JSON.stringify(v.repositories[1].pull_requests)}`);
      const badges = await page.$$eval('[data-testid="compare-badge"]', bs => bs.map(b => ({ state: b.dataset.state, text: b.querySelector('.badge').textContent })));
      assert.deepEqual(badges, v.repositories.map(r => ({ state: r.pull_requests.history.state,
        text: r.pull_requests.complete ? `complete since ${utc(r.pull_requests.complete_since)}` : 'partial: from the events this service saw' })));
      assert.deepEqual(badges.map(b => b.state), ['loaded', 'not_found', 'not_found']);
      const layout = await page.evaluate(() => {
        const wrap = document.querySelector('[data-testid="compare-table"]').closest('.table-wrap');
        return {
          overflowing: wrap.scrollWidth > wrap.clientWidth,
          hint: !wrap.parentElement.querySelector('[data-testid="scroll-hint"]').hidden,
          // A heading or anything in it (a repository's link) holding more than it shows.
          cutHeads: [...wrap.querySelectorAll('th')].filter(th => [th, ...th.querySelectorAll('*')]
            .some(e => e.scrollWidth > e.clientWidth)).map(th => th.textContent),
        };
      });
      assert.equal(layout.hint, layout.overflowing, 'the scroll hint shows exactly when the table is wider than its box');
      assert.deepEqual(layout.cutHeads, [], 'headings cut');
      if (page.viewportSize().width >= 1440) assert.ok(!layout.overflowing, 'at 1440 px three repositories fit');
    },
  },
  'repository-every-type': {
    // The archive's repository with the most types: every one of them in its chart.
    async path() {
      const top = await apiJson('/metrics/top-repos?days=2&limit=50');
      const repo = top.repositories.reduce((a, b) => (Object.values(b.counts).filter(n => n > 0).length
        > Object.values(a.counts).filter(n => n > 0).length ? b : a)).repo_name;
      return `/?view=repository&repo=${repo}&refresh=0`;
    },
    async verify(page) {
      const repo = new URL(page.url()).searchParams.get('repo');
      const totals = await apiJson(`/metrics/events-total-count?repository_name=${repo}`);
      const types = typesOf(totals.counts);
      assert.ok(types.filter(t => totals.counts[t] > 0).length > 3, `${repo} has more than the default types: ${types}`);
      const shown = await page.evaluate(() => {
        const o = window.dashboard.charts.get('repo-types').getOption();
        return { types: o.xAxis[0].data, counts: o.series[0].data.map(d => d.value), colours: o.series[0].data.map(d => d.itemStyle.color) };
      });
      assert.deepEqual(shown.types, types);
      assert.deepEqual(shown.counts, types.map(t => totals.counts[t]));
      assert.equal(new Set(shown.colours).size, types.length, 'a colour per type');
      assert.equal(digits(await text(page, 'repo-total')), totals.total);
      // The same colour as the overview gives the type.
      const overview = await page.evaluate(() => window.dashboard.typeColour('PushEvent'));
      assert.equal(shown.colours[types.indexOf('PushEvent')], overview);
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
      const types = [...new Set(v.repositories.flatMap(r => typesOf(r.counts)))];
      const columns = await page.$$eval('[data-testid="top-table"] th button', bs => bs.map(b => b.dataset.sort));
      for (const t of types) assert.ok(columns.includes(t), `a column for ${t}`);
      assert.ok(columns.includes('push_events'), 'the push column');
      const pushes = await page.$$eval('[data-testid="top-table"] td[data-col="push_events"]', tds => tds.map(t => t.textContent));
      assert.deepEqual(pushes.map(digits), v.repositories.map(r => r.push_events));
      // The push column is in view as the page opens, at every width: inside the table's box (its
      // scroll region) and the window. A table wider than its box says so, and keeps the names in view.
      const layout = await page.evaluate(() => {
        const wrap = document.querySelector('[data-testid="top-table"]').closest('.table-wrap');
        const box = wrap.getBoundingClientRect();
        const where = e => { const r = e.getBoundingClientRect(); return `${Math.round(r.left)}-${Math.round(r.right)}`; };
        const inView = e => { const r = e.getBoundingClientRect(); return r.left >= box.left && r.right <= Math.min(box.right, window.innerWidth); };
        const cells = [...wrap.querySelectorAll('[data-col="push_events"]')];
        const seen = {
          pushInView: cells.length > 0 && cells.every(inView),
          geometry: `box ${Math.round(box.left)}-${Math.round(box.right)}, window ${window.innerWidth}, push cells ${cells.map(where).join(' ')}`,
          overflowing: wrap.scrollWidth > wrap.clientWidth,
          hint: !wrap.parentElement.querySelector('[data-testid="scroll-hint"]').hidden,
          cutHeads: [...wrap.querySelectorAll('th')].filter(th => th.scrollWidth > th.clientWidth).map(th => th.textContent),
        };
        wrap.scrollLeft = wrap.scrollWidth; // scrolled to its end, the names stay at the left edge
        const name = wrap.querySelector('td[data-col="repo_name"]').getBoundingClientRect();
        return { ...seen, nameInView: name.left >= box.left - 1 && name.left <= box.left + 1 };
      });
      assert.ok(layout.pushInView, `the push column is in view without scrolling (${layout.geometry})`);
      assert.equal(layout.hint, layout.overflowing, `the scroll hint shows exactly when the table is wider than its box (${layout.overflowing})`);
      assert.ok(layout.nameInView, 'the repository column stays in view when the table is scrolled to its end');
      assert.deepEqual(layout.cutHeads, [], 'column headings cut');
      if (page.viewportSize().width >= 1440) assert.ok(!layout.overflowing, 'at 1440 px the table fits: every type without scrolling');
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
    path: `/?view=timing&${timingQuery}&offset=2880&refresh=0`,
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
      // 48 hours: yesterday's archive hours and the generated events, none near the window's moving start.
      const offset = await apiJson('/metrics/events?offset=2880');
      for (const t of typesOf(offset.counts)) assert.equal(digits(await text(page, `offset-total-${t}`)), offset.counts[t], t);
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
      for (const t of typesOf(v.counts)) assert.equal(digits(await text(page, `type-total-${t}`)), v.counts[t], t);
      assert.equal(await page.locator('#gaps').count(), 0, 'only the one chart');
    },
  },
};

for (const [name, view] of Object.entries(views)) {
  for (const width of WIDTHS) {
    await check(`${name} at ${width} px`, async () => {
      const { page, context, problems } = await open(typeof view.path === 'function' ? await view.path() : view.path, width);
      try {
        try {
          await view.verify(page);
          await tilesReadable(page);
          await cardsReadable(page);
          await nothingPrintsNull(page);
        } catch (e) {
          await shot(page, `${name}-${width}-failed`); // the page as the failed check saw it
          throw e;
        }
        if (name === 'overview') {
          const ms = await page.evaluate(() => window.dashboard.firstChartMs);
          firstCharts.push(ms);
          console.log(`TIME-TO-FIRST-CHART ${width} px: ${Math.round(ms)} ms`);
        }
        await axeClean(page, `${name} at ${width} px`);
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

await check('compare: its state is in the URL, and bad input is said in the page', async () => {
  const six = ['a/b', 'c/d', 'e/f', 'g/h', 'i/j', 'k/l'];
  const { page, context, problems } = await open(`/?view=compare&repos=${six.join(',')}&refresh=0`, 1440, ['status of 400', '/metrics/compare']);
  try {
    // The API would answer six (it takes ten): the page says it shows five, rather than drop one.
    assert.equal(await text(page, 'compare-error'), `At most 5 repositories side by side: 6 given (${six.join(', ')}). Remove 1.`);
    assert.equal(await page.locator('[data-testid="compare-table"]').count(), 0, 'nothing shown of six');
    // A malformed name, with markup in it: the API's detail, as text.
    const bad = `${REPO},<img src=x>/y`;
    const r = await fetch(`${BASE}/metrics/compare?repos=${encodeURIComponent(bad)}&days=90`);
    assert.equal(r.status, 400);
    const detail = (await r.json()).detail;
    let asked = 0;
    page.on('request', q => { if (q.url().includes('/metrics/compare')) asked++; });
    await page.fill('[data-testid="input-repos"]', bad);
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(d => document.querySelector('[data-testid="compare-error"]').textContent === d, detail);
    assert.equal(await page.locator('[data-testid="compare-error"] *').count(), 0, 'the name is text, not markup');
    await shot(page, 'compare-bad-name-1440');
    assert.equal(asked, 1, 'the malformed name is the API\'s to judge, asked once');
    // Typed in, shown, reloaded, shared: the same view.
    await page.fill('[data-testid="input-repos"]', `${REPO}, org-2/repo-2`);
    await page.fill('[data-testid="input-days"]', '30');
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-table"] th.repo').length === 2);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('view'), 'compare');
    assert.equal(url.searchParams.get('repos'), `${REPO}, org-2/repo-2`);
    assert.equal(url.searchParams.get('days'), '30');
    assert.equal(await page.locator('[data-testid="compare-error"]').isHidden(), true, 'the error goes with the bad input');
    const seen = async p => ({
      repos: await p.locator('[data-testid="input-repos"]').inputValue(),
      days: await p.locator('[data-testid="input-days"]').inputValue(),
      heads: await p.$$eval('[data-testid="compare-table"] thead th', ths => ths.map(t => t.textContent)),
      opened: await p.$$eval('[data-testid="compare-table"] td[data-field="pull_requests.opened"]', tds => tds.map(t => t.textContent)),
    });
    const before = await seen(page);
    assert.deepEqual(before.heads, ['created in the last 30 days', REPO, 'org-2/repo-2']);
    const v = await apiJson(`/metrics/compare?repos=${REPO},org-2/repo-2&days=30`);
    assert.deepEqual(before.opened, v.repositories.map(x => x.pull_requests.opened.toLocaleString('en-US')));
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.deepEqual(await seen(page), before, 'a reload shows the same view');
    const shared = await open(url.pathname + url.search, 390);
    try {
      assert.deepEqual(await seen(shared.page), before, 'a shared link shows the same view');
      assert.deepEqual(shared.problems, []);
    } finally {
      await shared.context.close();
    }
    assert.deepEqual(problems.filter(p => !p.includes('/metrics/compare')), []);
  } finally {
    await context.close();
  }
});

await check('the watch button asks for the admin token once and shows the API\'s answer', async () => {
  const [owner, name] = REPO.split('/');
  const direct = await fetch(`${BASE}/watch/${owner}/${name}`, { method: 'PUT', headers: { Authorization: 'Bearer t0ken' } });
  assert.equal(direct.status, 401);
  const detail = (await direct.json()).detail;
  const { page, context, problems } = await open(`/?view=repository&repo=${REPO}&refresh=0`, 1440,
    [`/watch/${owner}/${name}`, 'status of 401']);
  try {
    const asked = [];
    page.on('dialog', d => { asked.push(d.message()); d.accept(asked.length === 1 ? 't0ken' : ADMIN_TOKEN); });
    await page.click('[data-testid="watch-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="watch-status"]').textContent.startsWith('not watched'));
    assert.equal(await text(page, 'watch-status'), `not watched: ${detail}`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('adminToken')), null, 'a wrong token is forgotten');
    await page.click('[data-testid="watch-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="watch-status"]').textContent.startsWith('watching'));
    assert.equal(await page.evaluate(() => sessionStorage.getItem('adminToken')), ADMIN_TOKEN, 'kept for the session');
    await page.click('[data-testid="watch-button"]');
    await page.waitForFunction(r => document.querySelector('[data-testid="watch-status"]').textContent === `watching ${r}`, REPO);
    assert.equal(asked.length, 2, 'asked again only after a wrong token');
    assert.ok(!page.url().includes(ADMIN_TOKEN), 'never in the URL');
    assert.deepEqual(problems, []);
    await fetch(`${BASE}/watch/${owner}/${name}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
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
  const total = Object.values(v.series).flat().reduce((a, b) => a + b, 0);
  assert.equal(digits(await text(page, 'total-all')), total);
  await context.close();
});

await browser.close();
console.log(failures.length ? `FAILURES: ${failures.join('; ')}` : 'ALL-PASSED');
process.exit(failures.length ? 1 : 0);
