// The dashboard: plain DOM and ECharts over the service's own JSON API. Every view and control
// lives in the URL (so a view can be bookmarked), and the page reloads its data on a timer.
'use strict';

const TYPES = ['WatchEvent', 'PullRequestEvent', 'IssuesEvent'];
const VIEWS = ['overview', 'repository', 'top', 'sessions', 'timing', 'recent'];
// The stand-alone pages: one part of the timing view, with their /metrics twin's parameters.
const STANDALONE = {
  '/visualization/event-avg-time': 'gaps',
  '/visualization/events-total-count': 'totals',
};

const params = new URLSearchParams(location.search);
const charts = new Map();
let features = { coverage: false, watch: false };
let timer = null;
let loading = 0;

// ---- helpers ---------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

const shortType = t => t.replace('PullRequest', 'PR').replace('Event', '');
const fmt = n => n == null ? '–' : Number(n).toLocaleString('en-US');
const fmtTime = t => t ? t.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '–';

function fmtSeconds(s) {
  if (s == null) return '–';
  if (s < 120) return `${(+s).toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

function param(name, fallback = '') {
  const v = params.get(name);
  return v == null || v === '' ? fallback : v;
}

/** Writes the controls into the URL (replacing the entry: a refresh is not a navigation). */
function setParams(values) {
  for (const [k, v] of Object.entries(values)) {
    if (v == null || v === '') params.delete(k); else params.set(k, v);
  }
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

function query(values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v != null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

class ApiError extends Error {
  constructor(status, detail, problem) {
    super(detail);
    this.status = status;
    this.problem = problem;
  }
}

/** GET (or another method) of the JSON API; a problem+json answer becomes an ApiError with its detail. */
async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, ...options });
  } catch (e) {
    throw new ApiError(0, 'the service is not reachable', null);
  }
  const body = await response.text();
  let json = null;
  try { json = body ? JSON.parse(body) : null; } catch (e) { /* not JSON: reported below */ }
  if (!response.ok) {
    const detail = json && json.detail ? json.detail : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, detail, json);
  }
  return json;
}

// ---- the outage banner and the loading state ---------------------------------------------------

const outages = new Set();

function reportOutage(key, error) {
  if (error && (error.status === 503 || error.status === 0)) {
    outages.add(key);
    const banner = document.getElementById('banner');
    banner.textContent = `Data unavailable: ${error.message}. Retrying on every refresh` +
      (refreshSeconds() ? ` (${refreshSeconds()} s).` : '; refresh is paused.');
    banner.hidden = false;
  } else {
    clearOutage(key);
  }
}

function clearOutage(key) {
  outages.delete(key);
  if (outages.size === 0) document.getElementById('banner').hidden = true;
}

/** Runs one section's load: its state label says loading, then the time or the error. */
async function load(section, key, fn) {
  const state = section.querySelector('.state');
  state.textContent = 'loading…';
  state.classList.remove('error');
  section.setAttribute('aria-busy', 'true');
  loading++;
  try {
    await fn();
    state.textContent = '';
    clearOutage(key);
  } catch (e) {
    state.textContent = `error: ${e.message}`;
    state.classList.add('error');
    reportOutage(key, e);
    if (!(e instanceof ApiError)) console.error(e);
  } finally {
    section.removeAttribute('aria-busy');
    loading--;
    document.getElementById('updated').textContent = `updated ${new Date().toISOString().slice(11, 19)} UTC`;
  }
}

function section(id, title, wide = true) {
  return el('section', { id, class: wide ? 'wide' : null, 'data-testid': id },
    el('h2', {}, title, el('span', { class: 'state' })));
}

function chart(container, key, option) {
  let c = charts.get(key);
  if (!c || c.getDom() !== container) {
    if (c) c.dispose();
    c = echarts.init(container, null, { renderer: 'canvas' });
    charts.set(key, c);
  }
  // Times are UTC everywhere on the page, as in the API. No animation: the data is redrawn on
  // every refresh, and a chart caught mid-animation would misstate it.
  c.setOption({ useUTC: true, animation: false, ...option }, true);
  return c;
}

function card(label, value, testid, note) {
  return el('div', { class: 'card' },
    el('div', { class: 'label', text: label }),
    el('div', { class: 'value', text: value, 'data-testid': testid }),
    note ? el('div', { class: 'note', text: note }) : null);
}

/**
 * The API's coverage object as one line: which sources, how many of the window's hours are complete
 * or only sampled, and the estimated share of GitHub's events seen where there is an estimate.
 */
function coverageNote(coverage) {
  if (!coverage || typeof coverage !== 'object' || typeof coverage.hours !== 'number') return null;
  const parts = [];
  parts.push(coverage.sources && coverage.sources.length ? `sources: ${coverage.sources.join(', ')}` : 'no source saw these hours');
  parts.push(`${coverage.hours_complete} of ${coverage.hours} h complete, ${coverage.hours_sampled} sampled`);
  if (typeof coverage.estimated_fraction_seen === 'number') {
    parts.push(`≈${(coverage.estimated_fraction_seen * 100).toFixed(1)}% of GitHub's events seen`
      + ` (estimated over ${coverage.hours_estimated} h)`);
  } else {
    parts.push('share of GitHub unknown (no hour seen by both firehose and archive)');
  }
  return 'coverage: ' + parts.join(' · ');
}

function controls(fields, onSubmit) {
  const form = el('form', { class: 'controls' });
  for (const f of fields) {
    let input;
    if (f.options) {
      input = el('select', { name: f.name, 'data-testid': `input-${f.name}` },
        ...f.options.map(o => el('option', { value: o, text: o === '' ? 'any' : o })));
    } else {
      input = el('input', { type: 'text', name: f.name, placeholder: f.placeholder || '',
        'data-testid': `input-${f.name}`, inputmode: f.numeric ? 'numeric' : null, autocomplete: 'off' });
    }
    input.value = param(f.name, f.value ?? '');
    if (f.options) input.addEventListener('change', () => form.requestSubmit());
    form.append(el('label', {}, f.label, input));
  }
  form.append(el('button', { type: 'submit', class: 'primary', 'data-testid': 'apply' }, 'Show'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const values = {};
    for (const f of fields) values[f.name] = form.elements[f.name].value.trim();
    setParams(values);
    onSubmit();
  });
  return form;
}

/** A table sorted by a column whose key lives in the URL (`sort`, `dir`). */
function sortableTable(columns, rows, testid, rerender) {
  const sortKey = param('sort', columns.find(c => c.defaultSort)?.key || columns[0].key);
  const dir = param('dir', 'desc');
  const col = columns.find(c => c.key === sortKey) || columns[0];
  const sorted = [...rows].sort((a, b) => {
    const x = col.value(a), y = col.value(b);
    const cmp = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    return dir === 'asc' ? cmp : -cmp;
  });
  const head = el('tr', {}, ...columns.map(c => el('th', {
    class: c.num ? 'num' : null, scope: 'col',
    'aria-sort': c.key === col.key ? (dir === 'asc' ? 'ascending' : 'descending') : null,
  }, el('button', { type: 'button', 'data-sort': c.key, onclick: () => {
    setParams({ sort: c.key, dir: c.key === col.key && dir === 'desc' ? 'asc' : 'desc' });
    rerender();
  } }, c.label))));
  const body = sorted.map(r => el('tr', {}, ...columns.map(c => {
    const td = el('td', { class: c.num ? 'num' : null, 'data-col': c.key });
    td.append(c.cell ? c.cell(r) : (c.num ? fmt(c.value(r)) : String(c.value(r) ?? '')));
    return td;
  })));
  return el('div', { class: 'table-wrap' },
    el('table', { 'data-testid': testid }, el('thead', {}, head), el('tbody', {}, ...body)));
}

const repoLink = name => el('a', { href: `/?view=repository&repo=${encodeURIComponent(name)}`, text: name });

// ---- views -----------------------------------------------------------------------------------

const views = {};

views.overview = {
  render(main) {
    const s = section('overview-chart', 'Events by type');
    s.append(controls([
      { name: 'interval', label: 'interval', options: ['minute', 'hour', 'day'], value: 'hour' },
      { name: 'from', label: 'from (UTC)', placeholder: '2026-01-31T00:00:00Z' },
      { name: 'to', label: 'to (UTC)', placeholder: 'now' },
    ], () => this.refresh(main)),
    el('div', { class: 'cards', 'data-testid': 'totals' }),
    el('div', { class: 'chart', 'data-testid': 'chart-visualization' }));
    const p = section('poller', 'Poller', true);
    p.append(el('div', { class: 'strip', 'data-testid': 'poller-strip' }));
    main.append(s, p);
  },
  async refresh(main) {
    const s = main.querySelector('#overview-chart');
    const p = main.querySelector('#poller');
    await Promise.all([
      load(s, 'visualization', async () => {
        const q = { interval: param('interval', 'hour'), from: param('from'), to: param('to') };
        const v = await api(`/metrics/visualization${query(q)}`);
        let coverage = v.coverage;
        if (!coverage && features.coverage) {
          coverage = await api(`/metrics/coverage${query({ from: v.from, to: v.to })}`).catch(() => null);
        }
        const note = coverageNote(coverage);
        const totals = s.querySelector('.cards');
        const sums = TYPES.map(t => (v.series[t] || []).reduce((a, b) => a + b, 0));
        totals.replaceChildren(
          card('all events', fmt(sums.reduce((a, b) => a + b, 0)), 'total-all', note),
          ...TYPES.map((t, i) => card(t, fmt(sums[i]), `total-${t}`, note)),
          card('range', `${fmtTime(v.from)} → ${fmtTime(v.to)}`, 'range'));
        totals.querySelector('[data-testid="range"]').style.fontSize = '.85rem';
        chart(s.querySelector('.chart'), 'visualization', {
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 48, right: 16, top: 32, bottom: 48 },
          xAxis: { type: 'time' },
          yAxis: { type: 'value', name: `events / ${v.interval}` },
          dataZoom: [{ type: 'inside' }],
          series: TYPES.map(t => ({
            name: t, type: 'line', stack: 'all', areaStyle: {}, symbol: 'none',
            data: v.buckets.map((b, i) => [b, v.series[t][i]]),
          })),
        });
      }),
      load(p, 'poller', async () => {
        const st = await api('/status/poller');
        const strip = p.querySelector('.strip');
        const item = (label, value, id) => el('span', {}, `${label} `, el('b', { text: value, 'data-testid': id }));
        if (!st.enabled) {
          strip.replaceChildren(el('span', { text: 'The poller is disabled (POLLER_ENABLED=false).', 'data-testid': 'poller-disabled' }),
            item('backlog', fmt(st.backlog_events), 'poller-backlog'));
          return;
        }
        strip.replaceChildren(
          item('last poll', `${fmtTime(st.last_poll_at)}${st.last_outcome ? ` (${st.last_outcome})` : ''}`, 'poller-last'),
          item('next poll', `${fmtTime(st.next_poll_at)} (${st.waiting_for})`, 'poller-next'),
          item('rate limit left', st.rate_limit_remaining == null ? '–' : `${fmt(st.rate_limit_remaining)} / ${fmt(st.rate_limit_limit)}`, 'poller-ratelimit'),
          item('backlog', fmt(st.backlog_events), 'poller-backlog'),
          st.overdue ? el('b', { class: 'state error', text: 'overdue' }) : null);
      }),
    ]);
  },
};

const REPO_RULE = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

views.repository = {
  render(main) {
    const s = section('repository', 'Repository');
    const form = controls([{ name: 'repo', label: 'owner/repo', placeholder: 'octocat/hello-world' }],
      () => this.refresh(main));
    s.append(form, el('div', { class: 'inline-error', 'data-testid': 'repo-error', hidden: '' }),
      el('div', { class: 'cards', 'data-testid': 'repo-cards' }),
      el('div', { class: 'watch', 'data-testid': 'watch' }));
    const prs = section('repo-prs', 'Opened pull requests per day', false);
    prs.append(el('div', { class: 'chart', 'data-testid': 'chart-pr-openings' }));
    const types = section('repo-types', 'Events by type', false);
    types.append(el('div', { class: 'chart', 'data-testid': 'chart-repo-types' }));
    main.append(s, prs, types);
  },
  async refresh(main) {
    const s = main.querySelector('#repository');
    const error = s.querySelector('.inline-error');
    const parts = [s, main.querySelector('#repo-prs'), main.querySelector('#repo-types')];
    const repo = param('repo');
    parts.slice(1).forEach(p => { p.hidden = !repo; });
    if (!repo) {
      error.hidden = true;
      s.querySelector('.cards').replaceChildren();
      s.querySelector('.watch').replaceChildren();
      return;
    }
    await load(s, 'repository', async () => {
      // The API checks the name (the same rules as every endpoint); its detail is shown as it says it.
      let totals;
      try {
        totals = await api(`/metrics/events-total-count${query({ repository_name: repo })}`);
      } catch (e) {
        if (e.status === 400) {
          error.textContent = e.message;
          error.hidden = false;
          s.querySelector('.cards').replaceChildren();
          parts.slice(1).forEach(p => { p.hidden = true; });
          return;
        }
        throw e;
      }
      error.hidden = true;
      const [owner, name] = repo.split('/');
      const path = `${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
      const [avg, openings] = await Promise.all([
        api(`/metrics/pr-average/${path}`),
        api(`/metrics/pr-openings/${path}?interval=day`),
      ]);
      // Only an answer that says so is complete; one without the field rests on what was seen.
      const completeness = avg.complete === true
        ? `complete${avg.complete_since ? ` since ${fmtTime(avg.complete_since)}` : ''}`
        : 'incomplete: only the events this service saw';
      s.querySelector('.cards').replaceChildren(
        card('average between opened PRs', fmtSeconds(avg.average_seconds), 'repo-pr-average', completeness),
        card('opened PRs', fmt(avg.pr_count), 'repo-pr-count'),
        card('events stored', fmt(totals.total), 'repo-total', coverageNote(totals.coverage)));
      this.watchButton(s.querySelector('.watch'), repo, path);
      chart(main.querySelector('[data-testid="chart-pr-openings"]'), 'pr-openings', {
        tooltip: { trigger: 'axis' },
        grid: { left: 40, right: 16, top: 16, bottom: 32 },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ name: 'opened PRs', type: 'bar', data: openings.buckets.map((b, i) => [b, openings.opened[i]]) }],
      });
      chart(main.querySelector('[data-testid="chart-repo-types"]'), 'repo-types', {
        tooltip: {},
        grid: { left: 48, right: 16, top: 16, bottom: 32 },
        xAxis: { type: 'category', data: TYPES, axisLabel: { interval: 0, formatter: shortType } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ name: 'events', type: 'bar', data: TYPES.map(t => totals.counts[t] ?? 0), label: { show: true, position: 'top' } }],
      });
    });
  },
  /** Watching needs the admin token: asked once, kept for this browser session only. */
  watchButton(container, repo, path) {
    if (!features.watch) { container.replaceChildren(); return; }
    const status = el('span', { class: 'state', 'data-testid': 'watch-status' });
    const button = el('button', { type: 'button', 'data-testid': 'watch-button', onclick: async () => {
      let token = sessionStorage.getItem('adminToken');
      if (!token) {
        token = prompt('Admin token (kept in this browser session only)');
        if (!token) return;
        sessionStorage.setItem('adminToken', token);
      }
      status.textContent = 'asking…';
      try {
        await api(`/watch/${path}`, { method: 'PUT', headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
        status.textContent = `watching ${repo}`;
      } catch (e) {
        if (e.status === 401 || e.status === 403) sessionStorage.removeItem('adminToken');
        status.textContent = `not watched: ${e.message}`;
      }
    } }, `Watch ${repo}`);
    container.replaceChildren(button, ' ', status);
  },
};

views.top = {
  render(main) {
    const s = section('top', 'Top repositories');
    s.append(controls([
      { name: 'days', label: 'days', value: '7', numeric: true },
      { name: 'limit', label: 'limit', value: '10', numeric: true },
    ], () => this.refresh(main)), el('div', { class: 'table' }));
    main.append(s);
  },
  async refresh(main) {
    const s = main.querySelector('#top');
    await load(s, 'top', async () => {
      const v = await api(`/metrics/top-repos${query({ days: param('days', '7'), limit: param('limit', '10') })}`);
      this.last = v;
      this.draw(main);
    });
  },
  draw(main) {
    const v = this.last;
    main.querySelector('#top .table').replaceChildren(sortableTable([
      { key: 'repo_name', label: 'repository', value: r => r.repo_name, cell: r => repoLink(r.repo_name) },
      { key: 'total_events', label: 'events', num: true, defaultSort: true, value: r => r.total_events },
      { key: 'unique_users', label: 'users', num: true, value: r => r.unique_users },
      ...TYPES.map(t => ({ key: t, label: shortType(t), num: true, value: r => r.counts[t] ?? 0 })),
      { key: 'last_event_at', label: 'last event', value: r => r.last_event_at, cell: r => fmtTime(r.last_event_at) },
    ], v.repositories, 'top-table', () => this.draw(main)));
  },
};

views.sessions = {
  render(main) {
    const s = section('sessions', 'User sessions');
    s.append(controls([
      { name: 'days', label: 'days', value: '1', numeric: true },
      { name: 'limit', label: 'limit', value: '20', numeric: true },
      { name: 'actor_login', label: 'actor', placeholder: 'any' },
    ], () => this.refresh(main)), el('div', { class: 'table' }));
    main.append(s);
  },
  async refresh(main) {
    const s = main.querySelector('#sessions');
    await load(s, 'sessions', async () => {
      this.last = await api(`/metrics/user-sessions${query({
        days: param('days', '1'), limit: param('limit', '20'), actor_login: param('actor_login') })}`);
      this.draw(main);
    });
  },
  draw(main) {
    main.querySelector('#sessions .table').replaceChildren(sortableTable([
      { key: 'actor_login', label: 'actor', value: r => r.actor_login },
      { key: 'events_in_session', label: 'events', num: true, defaultSort: true, value: r => r.events_in_session },
      { key: 'minutes', label: 'minutes', num: true,
        value: r => Math.round((Date.parse(r.session_end_at) - Date.parse(r.session_start_at)) / 60000) },
      { key: 'session_start_at', label: 'start', value: r => r.session_start_at, cell: r => fmtTime(r.session_start_at) },
      { key: 'session_end_at', label: 'end', value: r => r.session_end_at, cell: r => fmtTime(r.session_end_at) },
    ], this.last.sessions, 'sessions-table', () => this.draw(main)));
  },
};

views.timing = {
  render(main, only) {
    if (!only || only === 'gaps') {
      const s = section('gaps', 'Time between adjacent events');
      s.append(controls([
        { name: 'event_type', label: 'event type', options: ['', ...TYPES] },
        { name: 'action', label: 'action', placeholder: 'any, e.g. opened' },
        { name: 'repository_name', label: 'repository', placeholder: 'any, owner/repo' },
      ], () => this.refresh(main)), el('div', { class: 'cards', 'data-testid': 'gap-cards' }),
      el('div', { class: 'chart', 'data-testid': 'chart-gaps' }));
      main.append(s);
    }
    if (!only || only === 'totals') {
      const t = section('totals', 'Events per type');
      t.append(controls([
        { name: 'action', label: 'action', placeholder: 'any, e.g. opened' },
        { name: 'repository_name', label: 'repository', placeholder: 'any, owner/repo' },
      ], () => this.refresh(main)), el('div', { class: 'cards', 'data-testid': 'type-totals' }),
      el('div', { class: 'chart', 'data-testid': 'chart-totals' }));
      main.append(t);
    }
    if (!only) {
      const o = section('offset', 'Events per type in the last minutes');
      o.append(controls([{ name: 'offset', label: 'minutes', value: '60', numeric: true }], () => this.refresh(main)),
        el('div', { class: 'cards', 'data-testid': 'offset-totals' }));
      main.append(o);
    }
  },
  async refresh(main) {
    const filters = { event_type: param('event_type'), action: param('action'), repository_name: param('repository_name') };
    const jobs = [];
    const gaps = main.querySelector('#gaps');
    if (gaps) jobs.push(load(gaps, 'gaps', async () => {
      const [avg, points] = await Promise.all([
        api(`/metrics/event-avg-time${query(filters)}`),
        api(`/metrics/event-gaps${query(filters)}`),
      ]);
      gaps.querySelector('.cards').replaceChildren(
        card('average gap', fmtSeconds(avg.average_seconds), 'gap-average'),
        card('events', fmt(avg.event_count), 'gap-count'),
        card('first → last', `${fmtTime(avg.first_event_at)} → ${fmtTime(avg.last_event_at)}`, 'gap-span'));
      chart(gaps.querySelector('.chart'), 'gaps', {
        tooltip: { trigger: 'item', valueFormatter: v => fmtSeconds(v) },
        grid: { left: 56, right: 16, top: 24, bottom: 32 },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', name: 'seconds since the previous event' },
        series: [{
          name: 'gap', type: 'scatter', symbolSize: 5,
          data: points.at.map((t, i) => [t, points.gaps[i]]),
          markLine: avg.average_seconds == null ? undefined : {
            symbol: 'none', lineStyle: { type: 'dotted', width: 2 },
            label: { position: 'insideEndTop', formatter: `average ${fmtSeconds(avg.average_seconds)}` },
            data: [{ yAxis: avg.average_seconds, name: 'average' }],
          },
        }],
      });
    }));
    const totals = main.querySelector('#totals');
    if (totals) jobs.push(load(totals, 'totals', async () => {
      const v = await api(`/metrics/events-total-count${query({ action: filters.action, repository_name: filters.repository_name })}`);
      totals.querySelector('.cards').replaceChildren(card('all types', fmt(v.total), 'type-total-all'),
        ...TYPES.map(t => card(t, fmt(v.counts[t] ?? 0), `type-total-${t}`)));
      chart(totals.querySelector('.chart'), 'totals', {
        tooltip: {},
        grid: { left: 56, right: 16, top: 16, bottom: 32 },
        xAxis: { type: 'category', data: TYPES, axisLabel: { interval: 0, formatter: shortType } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ name: 'events', type: 'bar', data: TYPES.map(t => v.counts[t] ?? 0), label: { show: true, position: 'top' } }],
      });
    }));
    const offset = main.querySelector('#offset');
    if (offset) jobs.push(load(offset, 'offset', async () => {
      const v = await api(`/metrics/events${query({ offset: param('offset', '60') })}`);
      offset.querySelector('.cards').replaceChildren(card('all types', fmt(v.total), 'offset-total-all', coverageNote(v.coverage)),
        ...TYPES.map(t => card(t, fmt(v.counts[t] ?? 0), `offset-total-${t}`)));
    }));
    await Promise.all(jobs);
  },
};

views.recent = {
  render(main) {
    const s = section('recent', 'Recent events (newest first)');
    s.append(el('div', { class: 'table-wrap' }, el('table', { 'data-testid': 'recent-table' },
      el('thead', {}, el('tr', {}, ...['time', 'type', 'action', 'repository', 'actor'].map(h => el('th', { text: h })))),
      el('tbody'))));
    main.append(s);
  },
  async refresh(main) {
    const s = main.querySelector('#recent');
    await load(s, 'recent', async () => {
      const v = await api('/metrics/recent-events?limit=50');
      s.querySelector('tbody').replaceChildren(...v.events.map(e => el('tr', { 'data-event-id': String(e.event_id) },
        el('td', { text: fmtTime(e.created_at) }), el('td', { text: e.event_type }), el('td', { text: e.action }),
        el('td', {}, repoLink(e.repo_name)), el('td', { text: e.actor_login }))));
    });
  },
};

// ---- start -----------------------------------------------------------------------------------

function refreshSeconds() {
  const n = Number(param('refresh', '10'));
  return Number.isFinite(n) && n >= 0 ? n : 10;
}

function schedule(refresh) {
  clearInterval(timer);
  const seconds = refreshSeconds();
  // Each tick waits for the previous one, so a slow answer never piles requests up.
  if (seconds > 0) timer = setInterval(() => { if (loading === 0) refresh(); }, seconds * 1000);
}

/** Which optional endpoints this service has (other builds may lack some), from its OpenAPI document. */
async function detectFeatures() {
  try {
    const doc = await api('/q/openapi?format=json');
    const paths = Object.keys(doc.paths || {});
    features = { coverage: paths.includes('/metrics/coverage'), watch: paths.some(p => p.startsWith('/watch/')) };
  } catch (e) {
    // Without the document the page shows what every build has.
  }
}

async function start() {
  const only = STANDALONE[location.pathname];
  const view = only ? 'timing' : (VIEWS.includes(param('view')) ? param('view') : 'overview');
  document.body.dataset.view = only ? `standalone-${only}` : view;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === view && !only) a.setAttribute('aria-current', 'page');
    // Links keep the refresh setting; the other controls belong to their view.
    a.href = `/?view=${a.dataset.view}${params.has('refresh') ? `&refresh=${param('refresh')}` : ''}`;
  }
  const select = document.getElementById('refresh');
  select.value = String(refreshSeconds());
  if (select.value === '') select.append(el('option', { value: String(refreshSeconds()), text: `${refreshSeconds()} s` }));
  select.value = String(refreshSeconds());
  const main = document.getElementById('main');
  await detectFeatures();
  views[view].render(main, only);
  const refresh = () => views[view].refresh(main);
  select.addEventListener('change', () => { setParams({ refresh: select.value }); schedule(refresh); });
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));
  await refresh();
  document.body.dataset.ready = 'true';
  schedule(refresh);
}

// For the browser tests: the charts' data, as ECharts holds it.
window.dashboard = { charts };
document.addEventListener('DOMContentLoaded', start);
