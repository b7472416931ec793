// The dashboard: plain DOM and ECharts over the service's own JSON API. Every view and control
// lives in the URL (so a view can be bookmarked), and the page reloads its data on a timer.
'use strict';

// The types every answer lists (0 included); the others follow by name, as the API orders them.
const TYPES = ['WatchEvent', 'PullRequestEvent', 'IssuesEvent'];
// One colour per type, the same in every view: GitHub's documented types, then the retired ones.
const TYPE_COLOURS = {
  WatchEvent: '#0969da', PullRequestEvent: '#8250df', IssuesEvent: '#1a7f37', PushEvent: '#d4a72c',
  CreateEvent: '#cf222e', DeleteEvent: '#6e7781', ForkEvent: '#e16f24', IssueCommentEvent: '#3fb950',
  PullRequestReviewEvent: '#bf3989', PullRequestReviewCommentEvent: '#a475f9', PullRequestReviewThreadEvent: '#4d2d00',
  ReleaseEvent: '#1b7c83', CommitCommentEvent: '#953800', GollumEvent: '#57606a', MemberEvent: '#116329',
  PublicEvent: '#0550ae', DiscussionEvent: '#7d4e00', SponsorshipEvent: '#ff8182', DownloadEvent: '#8c959f',
  FollowEvent: '#54aeff', ForkApplyEvent: '#fb8f44', GistEvent: '#2da44e', TeamAddEvent: '#d2a8ff',
};
const SPARE_COLOURS = ['#24292f', '#9a6700', '#0a3069', '#82071e', '#044f1e', '#512a97'];
const REFRESH_CHOICES = [0, 5, 10, 30, 60];
const VIEWS = ['overview', 'repository', 'compare', 'top', 'sessions', 'timing', 'recent'];
// The stand-alone pages: one part of the timing view, with their /metrics twin's parameters.
const STANDALONE = {
  '/visualization/event-avg-time': 'gaps',
  '/visualization/events-total-count': 'totals',
};

const params = new URLSearchParams(location.search);
const charts = new Map();
let features = { coverage: false, watch: false };
/** Settles once `features` is read; the first chart does not wait for it. */
let featuresRead = Promise.resolve();
let timer = null;
let loading = 0;
/** Reloads the view's data at once (set when the view starts). */
let refreshNow = () => {};

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

/** A type in words, for labels: "PullRequestReviewCommentEvent" is "PR review comment" (the full name is the title). */
const typeName = t => t.replace(/Event$/, '').replace(/(?<=[a-z])(?=[A-Z])/g, ' ')
  .replace(/ [A-Z]/g, w => w.toLowerCase()).replace(/^Pull request\b/, 'PR');

/** The default types first (always there), then every other type present, by name: the API's order. */
function typesOf(...countMaps) {
  const others = new Set();
  for (const m of countMaps) for (const t of Object.keys(m || {})) if (!TYPES.includes(t)) others.add(t);
  return [...TYPES, ...[...others].sort()];
}

function typeColour(t) {
  if (TYPE_COLOURS[t]) return TYPE_COLOURS[t];
  let h = 0;
  for (const c of t) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return SPARE_COLOURS[h % SPARE_COLOURS.length];
}
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

async function chart(container, key, option) {
  if (!window.echarts) await echartsReady; // the page reads ECharts after this script
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

const SOURCE_WORDS = {
  firehose: "this service's GitHub poller", archive: 'GH Archive', watched: 'watched repositories',
  pulls: 'pull-request lists',
};
const hours = n => `${fmt(n)} hour${n === 1 ? '' : 's'}`;

/**
 * The API's coverage object, said once in words: what the numbers rest on, how many of the window's
 * hours are complete or only a sample, and the estimated share of GitHub's events where there is one.
 * `stored` is the count shown beside it: coverage is computed after events are stored, and until it
 * is, the page says so rather than "nothing seen" next to stored events.
 */
function coverageSentence(coverage, stored) {
  if (!coverage || typeof coverage !== 'object' || typeof coverage.hours !== 'number') return null;
  const sources = coverage.sources || [];
  if (coverage.up_to_date === false || (sources.length === 0 && stored > 0)) {
    return 'Coverage of the latest events is not computed yet; it follows within a minute.';
  }
  if (sources.length === 0) return `Nothing seen in these ${hours(coverage.hours)} yet.`;
  const names = sources.map(x => SOURCE_WORDS[x] || x);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  const parts = [];
  if (coverage.hours_complete === coverage.hours) parts.push(`every event of all ${hours(coverage.hours)}`);
  else {
    if (coverage.hours_complete > 0) parts.push(`every event in ${coverage.hours_complete} of ${hours(coverage.hours)}`);
    if (coverage.hours_sampled > 0) parts.push(`a sample in ${coverage.hours_sampled} of ${hours(coverage.hours)}`);
    if (coverage.hours_without_data > 0) parts.push(`no data in ${coverage.hours_without_data}`);
  }
  let text = `Rests on ${list}: ${parts.join(', ')}`;
  if (typeof coverage.estimated_fraction_seen === 'number' && coverage.hours_complete !== coverage.hours) {
    text += `; about ${(coverage.estimated_fraction_seen * 100).toFixed(1)}% of GitHub's events seen`;
  } else if (coverage.hours_sampled > 0) {
    text += "; its share of GitHub's events is unknown (it is estimated where both the poller and GH Archive saw an hour)";
  }
  return `${text}.`;
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
    class: c.num ? 'num' : null, scope: 'col', title: c.title, 'data-col': c.key,
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
  return wideTable(testid.replace('-', ' '), el('table', { 'data-testid': testid }, el('thead', {}, head), el('tbody', {}, ...body)));
}

/**
 * A table that may be wider than its box: it scrolls sideways with its first column kept in view,
 * and says so above it while it is wider. Focusable, so a keyboard can scroll it (WCAG 2.1.1).
 */
function wideTable(label, table) {
  const hint = el('p', { class: 'scroll-hint', hidden: '', 'data-testid': 'scroll-hint',
    text: 'Wider than the page: scroll the table sideways for the other columns →' });
  const wrap = el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table);
  const observer = new ResizeObserver(() => { hint.hidden = wrap.scrollWidth <= wrap.clientWidth; });
  observer.observe(wrap);
  observer.observe(table);
  return el('div', {}, hint, wrap);
}

const repoLink = name => el('a', { href: `/?view=repository&repo=${encodeURIComponent(name)}`, text: name });

// ---- views -----------------------------------------------------------------------------------

const views = {};

/** Watching needs the admin token: asked once, kept for this browser session only. */
async function watchRepo(repo, status) {
  const [owner, name] = repo.split('/');
  if (!owner || !name) { status.textContent = 'not watched: give owner/repo'; return; }
  if (!adminToken.get()) {
    const token = prompt('Admin token (kept in this browser session only)');
    if (!token) return;
    adminToken.set(token);
  }
  status.textContent = 'asking…';
  try {
    await api(`/watch/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, { method: 'PUT', headers: adminToken.headers() });
    status.textContent = `watching ${repo}`;
  } catch (e) {
    if (e.status === 401 || e.status === 403) adminToken.forget();
    status.textContent = `not watched: ${e.message}`;
  }
}

/** Every type of `counts` as a bar in its own colour, in the API's order. */
async function typeBars(container, key, counts) {
  const types = typesOf(counts);
  await chart(container, key, {
    tooltip: {},
    grid: { left: 48, right: 16, top: 24, bottom: types.length > 6 ? 72 : 32 },
    xAxis: { type: 'category', data: types, axisLabel: { interval: 0, formatter: typeName, rotate: types.length > 6 ? 40 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: 'events', type: 'bar', label: { show: types.length <= 8, position: 'top' },
      data: types.map(t => ({ value: counts[t] ?? 0, itemStyle: { color: typeColour(t) } })) }],
  });
}

/** The type's colour as a small square; set through the CSSOM, which the page's CSP allows (a style attribute it does not). */
function swatch(t) {
  const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  s.style.backgroundColor = typeColour(t);
  return s;
}

/** A row of tiles: the total, then one per type with its colour. */
function tiles(total, types, counts, prefix) {
  return [
    el('div', { class: 'tile' }, el('div', { class: 'label', text: 'all events' }),
      el('div', { class: 'value', text: fmt(total), 'data-testid': `${prefix}all` })),
    ...types.map(t => el('div', { class: 'tile', 'data-type': t, title: t },
      el('div', { class: 'label' }, swatch(t), el('span', { text: typeName(t) })),
      el('div', { class: 'value', text: fmt(counts[t] ?? 0), 'data-testid': `${prefix}${t}` }))),
  ];
}

/** Whether ECharts' legend of these names fits in `width` px on one line (its default 12px text, 25px icons, 10px gaps). */
function fitsOneLine(names, width) {
  const ctx = (fitsOneLine.ctx ??= document.createElement('canvas').getContext('2d'));
  ctx.font = '12px sans-serif';
  return names.reduce((w, n) => w + 25 + 5 + ctx.measureText(n).width + 10, 0) <= width;
}

/** "Dec 5 14:00 – Dec 6 14:00 UTC": a window as a title. */
function windowTitle(from, to) {
  const two = n => String(n).padStart(2, '0');
  const f = t => {
    const d = new Date(t);
    return `${day(t)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  };
  return `${f(from)} – ${f(to)} UTC`;
}

/** "Dec 5": an instant's UTC day. */
function day(t) {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const d = new Date(t);
  return `${months[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/** The admin token: entered once, kept in this tab's sessionStorage, never in the URL. */
const adminToken = {
  get: () => sessionStorage.getItem('adminToken'),
  set: t => sessionStorage.setItem('adminToken', t),
  forget: () => sessionStorage.removeItem('adminToken'),
  headers: () => ({ Accept: 'application/json', Authorization: `Bearer ${sessionStorage.getItem('adminToken')}` }),
};

/** The hours of yesterday, UTC: what the page offers to load from GH Archive. */
function yesterday() {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const from = new Date(today.getTime() - 86400000);
  const hour = d => d.toISOString().slice(0, 13);
  return { from: hour(from), to: hour(today), day: from.toISOString().slice(0, 10) };
}

/**
 * What a service with no events says to do next, and does where it can: a token (the status says
 * whether one is set), a repository to watch or look at, and yesterday's hours from GH Archive,
 * synced through the admin jobs endpoint with its progress shown until the job ends.
 */
const gettingStarted = {
  render() {
    const s = section('start', 'Get started: nothing is stored yet');
    s.append(el('ol', { class: 'steps' },
      el('li', { 'data-testid': 'step-token' }),
      el('li', { 'data-testid': 'step-watch' }, el('b', { text: 'Watch a repository, or ask for one. ' }),
        'Its events and whole pull-request history are loaded; asking shows what is stored of it.',
        this.repoForm()),
      el('li', { 'data-testid': 'step-archive' }, el('b', { text: `Load yesterday (${yesterday().day}) from GH Archive. ` }),
        'About a day of every public event, in a few minutes; it needs the admin token (ADMIN_TOKEN).',
        this.syncForm(),
        el('div', { class: 'sync', 'data-testid': 'sync-progress', role: 'status', 'aria-live': 'polite' }),
        el('p', { class: 'hint' }, 'Or from a shell: ',
          el('code', { text: `java -jar quarkus-run.jar backfill --from ${yesterday().from} --to ${yesterday().to}` })))));
    return s;
  },
  repoForm() {
    const input = el('input', { type: 'text', placeholder: 'owner/repo', 'data-testid': 'start-repo', autocomplete: 'off',
      'aria-label': 'repository, owner/repo' });
    const status = el('span', { class: 'state', 'data-testid': 'start-repo-status' });
    const show = el('button', { type: 'submit', 'data-testid': 'start-repo-show' }, 'Show');
    const form = el('form', { class: 'inline', onsubmit: e => {
      e.preventDefault();
      location.href = `/?view=repository&repo=${encodeURIComponent(input.value.trim())}`;
    } }, input, ' ', show, ' ', status);
    featuresRead.then(() => {
      if (features.watch) {
        show.after(' ', el('button', { type: 'button', 'data-testid': 'start-repo-watch',
          onclick: () => watchRepo(input.value.trim(), status) }, 'Watch'));
      }
    });
    return form;
  },
  syncForm() {
    const token = el('input', { type: 'password', 'data-testid': 'admin-token', autocomplete: 'off',
      'aria-label': 'admin token' });
    const label = el('label', { class: 'token', hidden: adminToken.get() ? '' : null }, 'Admin token ', token);
    const button = el('button', { type: 'submit', class: 'primary', 'data-testid': 'sync-start' }, 'Load yesterday');
    return el('form', { class: 'inline', onsubmit: e => {
      e.preventDefault();
      if (token.value) { adminToken.set(token.value); token.value = ''; }
      if (!adminToken.get()) { label.hidden = false; token.focus(); return; }
      label.hidden = true;
      this.startSync(e.target.closest('section'));
    } }, label, ' ', button);
  },
  async startSync(s) {
    const out = s.querySelector('.sync');
    const y = yesterday();
    out.textContent = 'starting…';
    try {
      const job = await api(`/admin/archive/sync${query({ from: y.from, to: y.to })}`, { method: 'POST', headers: adminToken.headers() });
      sessionStorage.setItem('syncJob', job.id);
      this.follow(s);
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        adminToken.forget();
        s.querySelector('label.token').hidden = false;
      }
      out.textContent = e.status === 404 ? `Not available: ${e.message} (the admin endpoints need ADMIN_TOKEN set on the service).`
        : `Not started: ${e.message}`;
    }
  },
  /** Shows the job's progress every second until it ends, then the overview's numbers again. */
  async follow(s) {
    const id = sessionStorage.getItem('syncJob');
    if (!id || this.following === id) return;
    this.following = id;
    const out = s.querySelector('.sync');
    while (this.following === id) {
      let job;
      try {
        job = await api(`/admin/jobs/${encodeURIComponent(id)}`, { headers: adminToken.headers() });
      } catch (e) {
        out.textContent = `Progress unavailable: ${e.message}`;
        if (e.status === 404 || e.status === 401) { sessionStorage.removeItem('syncJob'); this.following = null; return; }
        await new Promise(r => setTimeout(r, 2000));
        continue;
      }
      this.show(out, job);
      if (job.state !== 'running') {
        this.following = null;
        sessionStorage.removeItem('syncJob');
        document.body.dataset.syncEnded = job.state;
        refreshNow();
        return;
      }
      await new Promise(r => setTimeout(r, 1000));
    }
  },
  show(out, job) {
    const p = job.progress || {};
    const files = `${fmt(p.files_done)} of ${fmt(p.hours)} files`;
    const events = el('b', { text: fmt(p.events_stored), 'data-testid': 'sync-events' });
    if (job.state === 'running') {
      const eta = p.eta_seconds == null ? 'ETA …' : `ETA ${fmtSeconds(p.eta_seconds)}`;
      // Until the job has listed its hours it has no files to count.
      const rate = p.hours ? `${files} · ${(p.megabytes_per_second ?? 0).toFixed(1)} MB/s · ${eta}` : 'starting';
      out.replaceChildren(
        el('progress', { max: String(p.hours || 1), value: String(p.files_done || 0), 'aria-label': 'files loaded' }),
        el('span', { 'data-testid': 'sync-state', text: `Loading: ${rate} · ` }),
        events, ' events stored');
    } else if (job.state === 'succeeded') {
      const missing = p.missing_at_source ? `, ${fmt(p.missing_at_source)} missing at GH Archive` : '';
      const took = job.finished_at ? ` in ${fmtSeconds((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000)}` : '';
      // The overview's default window is the last 24 hours, which holds only part of yesterday.
      const y = yesterday();
      out.replaceChildren(el('span', { 'data-testid': 'sync-state', text: `Done: ${files}${missing}${took}; ` }), events, ' events stored. ',
        el('a', { href: `/?view=overview&interval=hour&from=${y.from}:00:00Z&to=${y.to}:00:00Z`, 'data-testid': 'sync-show',
          text: `Show ${y.day}` }));
    } else {
      out.replaceChildren(el('span', { 'data-testid': 'sync-state', class: 'error', text: `Failed: ${job.error || 'see the service log'}; ` }),
        events, ' events stored.');
    }
  },
  /** The token step: what a token changes, or that one is set. */
  token(li, status) {
    if (status && status.token) {
      li.replaceChildren(el('b', { text: 'GitHub token set: ' }), '5,000 requests an hour.');
    } else {
      li.replaceChildren(el('b', { text: 'Add a GitHub token. ' }), 'Without one GitHub allows 60 requests an hour; set ',
        el('code', { text: 'GITHUB_TOKEN' }), ' (a token with no scopes will do) in the environment or ', el('code', { text: '.env' }),
        ' and restart for 5,000 an hour.');
    }
  },
};

views.overview = {
  render(main) {
    const s = section('overview-chart', 'Events');
    s.append(controls([
      { name: 'interval', label: 'per', options: ['minute', 'hour', 'day'], value: 'hour' },
      { name: 'from', label: 'from (UTC)', placeholder: 'a day before “to”' },
      { name: 'to', label: 'to (UTC)', placeholder: 'now' },
    ], () => this.refresh(main)),
    el('div', { class: 'tiles', 'data-testid': 'totals' }),
    el('p', { class: 'coverage', 'data-testid': 'coverage' }),
    el('div', { class: 'chart', 'data-testid': 'chart-visualization', role: 'img', 'aria-label': 'events per type over time' }));
    const p = section('poller', 'Poller', true);
    p.append(el('div', { class: 'strip', 'data-testid': 'poller-strip' }),
      el('p', { class: 'reason', 'data-testid': 'poller-reason', hidden: '' }));
    const st = gettingStarted.render();
    st.hidden = true;
    main.append(st, s, p);
  },
  async refresh(main) {
    const s = main.querySelector('#overview-chart');
    const p = main.querySelector('#poller');
    const st = main.querySelector('#start');
    const status = api('/status/poller');
    status.catch(() => null);
    await Promise.all([
      load(s, 'visualization', async () => {
        const q = { interval: param('interval', 'hour'), from: param('from'), to: param('to') };
        const v = await api(`/metrics/visualization${query(q)}`);
        const types = typesOf(v.series);
        const sums = Object.fromEntries(types.map(t => [t, (v.series[t] || []).reduce((a, b) => a + b, 0)]));
        const total = types.reduce((n, t) => n + sums[t], 0);
        s.querySelector('h2').firstChild.textContent = `Events per ${v.interval} · ${windowTitle(v.from, v.to)}`;
        s.querySelector('.tiles').replaceChildren(...tiles(total, types, sums, 'total-'));
        const coverage = s.querySelector('.coverage');
        coverage.textContent = coverageSentence(v.coverage, total) || '';
        coverage.hidden = !coverage.textContent;
        // A window with no events has no chart, rather than a box of zeros: the tiles and the coverage say it.
        s.querySelector('.chart').hidden = total === 0;
        if (total === 0) return;
        // The tiles above are the legend too (a type's colour is its tile's); where a legend of
        // every type would not fit on one line (it would be cut and paged), they are the only one.
        const legend = fitsOneLine(types.map(typeName), s.querySelector('.chart').clientWidth - 32);
        await chart(s.querySelector('.chart'), 'visualization', {
          tooltip: { trigger: 'axis' },
          legend: { show: legend, top: 0, type: 'scroll', formatter: typeName },
          grid: { left: 48, right: 16, top: legend ? 36 : 12, bottom: 32 },
          xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
          yAxis: { type: 'value', minInterval: 1 }, // the title says per what
          dataZoom: [{ type: 'inside' }],
          color: types.map(typeColour),
          series: types.map(t => ({
            name: t, type: 'line', stack: 'all', areaStyle: {}, symbol: 'none',
            data: v.buckets.map((b, i) => [b, v.series[t][i]]),
          })),
        });
        if (!window.dashboard.firstChartMs) window.dashboard.firstChartMs = performance.now();
      }),
      load(st, 'stored', async () => {
        // Empty means nothing stored at all, not an empty window; a sync started here stays in view until it ends.
        const all = await api('/metrics/events-total-count');
        const running = sessionStorage.getItem('syncJob');
        st.hidden = all.total > 0 && !running && !gettingStarted.following && !document.body.dataset.syncEnded;
        st.querySelector('h2').firstChild.textContent = all.total > 0 ? 'Get started' : 'Get started: nothing is stored yet';
        gettingStarted.token(st.querySelector('[data-testid="step-token"]'), await status.catch(() => null));
        if (running) gettingStarted.follow(st);
      }),
      load(p, 'poller', async () => {
        const ps = await status;
        const strip = p.querySelector('.strip');
        const reason = p.querySelector('.reason');
        const item = (label, value, id) => el('span', {}, `${label} `, el('b', { text: value, 'data-testid': id }));
        const token = ps.token ? null : el('span', { 'data-testid': 'poller-token', text: 'no token: 60 requests an hour' });
        if (!ps.enabled) {
          reason.hidden = true;
          strip.replaceChildren(el('span', { text: 'The poller is disabled (POLLER_ENABLED=false).', 'data-testid': 'poller-disabled' }),
            item('backlog', fmt(ps.backlog_events), 'poller-backlog'));
          return;
        }
        const outcome = ps.last_outcome ? ` (${ps.last_outcome.replace('_', ' ')})` : '';
        // replaceChildren would print a null as "null": the parts that may be absent are filtered out.
        strip.replaceChildren(...[
          item('last poll', ps.last_poll_at ? `${fmtTime(ps.last_poll_at)}${outcome}` : 'not yet', 'poller-last'),
          item('last success', ps.last_success_at ? fmtTime(ps.last_success_at) : 'none yet', 'poller-success'),
          item('next poll', ps.next_poll_at ? fmtTime(ps.next_poll_at) : '–', 'poller-next'),
          item('rate limit left', ps.rate_limit_remaining == null ? '–' : `${fmt(ps.rate_limit_remaining)} / ${fmt(ps.rate_limit_limit)}`, 'poller-ratelimit'),
          item('backlog', fmt(ps.backlog_events), 'poller-backlog'),
          token,
          ps.overdue ? el('b', { class: 'state error', text: 'overdue' }) : null,
        ].filter(Boolean));
        reason.textContent = ps.reason || '';
        reason.hidden = !ps.reason;
      }),
    ]);
  },
};

// ---- lifecycle: pull requests and issues, with how complete their answers are -------------------

/** A history still on its way: the view asks again every FOLLOW_MS until it is loaded (or stops loading). */
const PENDING = new Set(['queued', 'loading']);
const FOLLOW_MS = 2000;
let followTimer = null;

/**
 * While a shown repository's history is queued or loading, its answers are asked again every
 * FOLLOW_MS, whatever the refresh setting (as a sync's progress is): what is loading is followed
 * until it is loaded. A new refresh replaces the pending one.
 */
function followHistory(pending, again) {
  clearTimeout(followTimer);
  followTimer = null;
  if (!pending) return;
  followTimer = setTimeout(function tick() {
    if (loading > 0) { followTimer = setTimeout(tick, FOLLOW_MS); return; }
    again();
  }, FOLLOW_MS);
}

const pages = n => `${fmt(n)} page${n === 1 ? '' : 's'}`;

/** What an answer's completeness fields say, in words: a short badge and the history's state. */
function completeness(a) {
  const h = a.history || {};
  if (a.complete === true) {
    return { complete: true, badge: `complete since ${fmtTime(a.complete_since)}`,
      detail: `history loaded (${pages(h.pages_loaded)}), last synced ${fmtTime(h.last_sync_at)}` };
  }
  const detail = {
    queued: `history queued at ${fmtTime(h.queued_at)}, not loaded yet`,
    loading: `loading its history: ${pages(h.pages_loaded)} so far`,
    loaded: `history last synced ${fmtTime(h.last_sync_at)}, no longer refreshed: nobody asked for it lately`,
    not_found: 'no history: GitHub does not find it (404)',
    moved: 'no history: GitHub says it moved (301)',
    forbidden: 'no history: GitHub forbids it (403)',
    blocked: 'no history: GitHub blocks it (451)',
    not_queued: 'history not queued: the queue is full or loading on demand is off',
  }[h.state] ?? `history ${h.state ?? 'unknown'}`;
  return { complete: false, badge: 'partial: from the events this service saw', detail };
}

function completenessBadge(a, testid) {
  const c = completeness(a);
  return el('span', { class: 'completeness', 'data-testid': testid, 'data-state': a.history?.state ?? null },
    el('span', { class: `badge ${c.complete ? 'complete' : 'partial'}`, text: c.badge }), ' ',
    el('span', { class: 'detail', text: c.detail }));
}

/** "2.0 h / 9.1 d": a p50 and a p90, each with its own test id. */
function quantileCard(label, q, testid) {
  return el('div', { class: 'card' },
    el('div', { class: 'label', text: label }),
    el('div', { class: 'value' }, el('span', { text: fmtSeconds(q?.p50), 'data-testid': `${testid}-p50` }),
      el('span', { class: 'sep', text: ' / ' }), el('span', { text: fmtSeconds(q?.p90), 'data-testid': `${testid}-p90` })),
    el('div', { class: 'note', text: 'p50 / p90' }));
}

const percent = r => r == null ? '–' : `${(r * 100).toFixed(1)}%`;
const weekLabel = w => day(`${w}T00:00:00Z`);

/** A duration axis: a step of a minute to 30 days, about 5 ticks up to `max` seconds, labelled "6 h", "2 d". */
const DURATION_STEPS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400];
function durationAxis(max) {
  const interval = DURATION_STEPS.find(s => max / s <= 6) ?? DURATION_STEPS.at(-1);
  return { type: 'value', interval, axisLabel: { formatter: s => fmtSeconds(s).replace(/\.0 /, ' ') } };
}

/** A legend over a chart: on one line where it fits, else ECharts wraps it; the grid starts below it. */
function legendTop(names, width) {
  return fitsOneLine(names, width - 32) ? 36 : 60;
}

function repoPath(repo) {
  const [owner, name] = repo.split('/');
  return `${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

views.repository = {
  render(main) {
    const s = section('repository', 'Repository');
    const form = controls([
      { name: 'repo', label: 'owner/repo', placeholder: 'octocat/hello-world' },
      { name: 'days', label: 'days', value: '90', numeric: true },
    ], () => this.refresh(main));
    s.append(form, el('div', { class: 'inline-error', 'data-testid': 'repo-error', hidden: '' }),
      el('div', { class: 'cards', 'data-testid': 'repo-cards' }),
      el('p', { class: 'coverage', 'data-testid': 'repo-coverage' }),
      el('div', { class: 'watch', 'data-testid': 'watch' }));
    const life = section('repo-lifecycle', 'Pull requests and issues');
    life.append(el('p', { class: 'complete-line', 'data-testid': 'life-complete' }),
      el('div', { class: 'cards', 'data-testid': 'life-cards' }));
    const times = section('repo-times', 'Time to merge and to first response, by week', false);
    times.append(el('div', { class: 'chart tall', 'data-testid': 'chart-life-times', role: 'img',
      'aria-label': 'time to merge and to first response per week of opening, p50 and p90' }));
    const weeks = section('repo-weeks', 'Opened and merged pull requests, by week', false);
    weeks.append(el('div', { class: 'chart', 'data-testid': 'chart-life-weeks', role: 'img',
      'aria-label': 'pull requests opened per week, and how many of them are merged' }));
    const prs = section('repo-prs', 'Opened pull requests per day', false);
    prs.append(el('div', { class: 'chart', 'data-testid': 'chart-pr-openings' }));
    const types = section('repo-types', 'Events by type', false);
    types.append(el('div', { class: 'chart', 'data-testid': 'chart-repo-types' }));
    main.append(s, life, times, weeks, prs, types);
  },
  async refresh(main) {
    const s = main.querySelector('#repository');
    const error = s.querySelector('.inline-error');
    const parts = [s, ...['#repo-lifecycle', '#repo-times', '#repo-weeks', '#repo-prs', '#repo-types'].map(id => main.querySelector(id))];
    const repo = param('repo');
    parts.slice(1).forEach(p => { p.hidden = !repo; });
    followHistory(false);
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
      const path = repoPath(repo);
      const days = { days: param('days', '90') };
      const [avg, openings, prsLife, issuesLife] = await Promise.all([
        api(`/metrics/pr-average/${path}`),
        api(`/metrics/pr-openings/${path}?interval=day`),
        api(`/metrics/pull-requests/${path}${query(days)}`),
        api(`/metrics/issues/${path}${query(days)}`),
      ]);
      // Only an answer that says so is complete; one without the field rests on what was seen.
      const complete = avg.complete === true
        ? `complete${avg.complete_since ? ` since ${fmtTime(avg.complete_since)}` : ''}`
        : 'incomplete: only the events this service saw';
      s.querySelector('.cards').replaceChildren(
        card('average between opened PRs', fmtSeconds(avg.average_seconds), 'repo-pr-average', complete),
        card('opened PRs', fmt(avg.pr_count), 'repo-pr-count'),
        card('events stored', fmt(totals.total), 'repo-total'));
      const coverage = s.querySelector('.coverage');
      coverage.textContent = coverageSentence(totals.coverage, totals.total) || '';
      await featuresRead;
      this.watchButton(s.querySelector('.watch'), repo);
      await this.lifecycle(main, repo, prsLife, issuesLife);
      await chart(main.querySelector('[data-testid="chart-pr-openings"]'), 'pr-openings', {
        tooltip: { trigger: 'axis' },
        grid: { left: 40, right: 16, top: 16, bottom: 32 },
        // A bar per day, labelled with its day: on a time axis a day's bar straddled two days' ticks.
        xAxis: { type: 'category', data: openings.buckets.map(day), axisLabel: { hideOverlap: true } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ name: 'opened PRs', type: 'bar', data: openings.opened }],
      });
      await typeBars(main.querySelector('[data-testid="chart-repo-types"]'), 'repo-types', totals.counts);
      followHistory(PENDING.has(prsLife.history?.state), () => this.refresh(main));
    });
  },
  /** The PR and issue lifecycle of the window: completeness, open items, quantiles, and the weeks. */
  async lifecycle(main, repo, prs, issues) {
    const life = main.querySelector('#repo-lifecycle');
    life.querySelector('h2').firstChild.textContent = `Pull requests and issues · created in the last ${fmt(prs.days)} days`;
    const bots = prs.bots_excluded + issues.bots_excluded;
    // replaceChildren would print a null as "null": the part that may be absent is filtered out.
    life.querySelector('.complete-line').replaceChildren(...[completenessBadge(prs, 'life-badge'),
      bots > 0 ? el('span', { class: 'detail', 'data-testid': 'life-bots',
        text: ` · ${fmt(prs.bots_excluded)} bot PRs and ${fmt(issues.bots_excluded)} bot issues left out` }) : null,
      ' · ', el('a', { href: `/?view=compare&repos=${encodeURIComponent(repo)}`, text: 'compare with others' })].filter(Boolean));
    life.querySelector('.cards').replaceChildren(
      card('open PRs', fmt(prs.open), 'life-open-prs', `of ${fmt(prs.opened)} opened`),
      card('open issues', fmt(issues.open), 'life-open-issues', `of ${fmt(issues.opened)} opened`),
      card('merged PRs', fmt(prs.merged), 'life-merged', `merge rate ${percent(prs.merge_rate)}`),
      quantileCard('time to merge', prs.time_to_merge_seconds, 'life-merge'),
      quantileCard('first response, PRs', prs.time_to_first_response_seconds, 'life-pr-response'),
      quantileCard('first response, issues', issues.time_to_first_response_seconds, 'life-issue-response'));
    const weeks = prs.by_week.map(w => w.week);
    const timesBox = main.querySelector('[data-testid="chart-life-times"]');
    const names = ['merge p50', 'merge p90', 'first response p50', 'first response p90'];
    const line = (name, key, dashed) => ({ name, type: 'line', connectNulls: false, symbolSize: 6,
      lineStyle: dashed ? { type: 'dashed' } : undefined, data: prs.by_week.map(w => w[key]) });
    await chart(timesBox, 'life-times', {
      tooltip: { trigger: 'axis', valueFormatter: fmtSeconds },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: legendTop(names, timesBox.clientWidth), bottom: 32 },
      xAxis: { type: 'category', data: weeks, axisLabel: { formatter: weekLabel, hideOverlap: true } },
      yAxis: durationAxis(Math.max(0, ...prs.by_week.flatMap(w => [w.time_to_merge_p90, w.time_to_first_response_p90]))),
      color: ['#8250df', '#8250df', '#1a7f37', '#1a7f37'],
      series: [line(names[0], 'time_to_merge_p50'), line(names[1], 'time_to_merge_p90', true),
        line(names[2], 'time_to_first_response_p50'), line(names[3], 'time_to_first_response_p90', true)],
    });
    const countsBox = main.querySelector('[data-testid="chart-life-weeks"]');
    await chart(countsBox, 'life-weeks', {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 32 },
      xAxis: { type: 'category', data: weeks, axisLabel: { formatter: weekLabel, hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      color: ['#0969da', '#8250df'],
      series: [{ name: 'opened', type: 'bar', data: prs.by_week.map(w => w.opened) },
        { name: 'merged by now', type: 'bar', data: prs.by_week.map(w => w.merged) }],
    });
  },
  watchButton(container, repo) {
    if (!features.watch) { container.replaceChildren(); return; }
    const status = el('span', { class: 'state', 'data-testid': 'watch-status' });
    const button = el('button', { type: 'button', 'data-testid': 'watch-button', onclick: () => watchRepo(repo, status) },
      `Watch ${repo}`);
    container.replaceChildren(button, ' ', status);
  },
};

/** A duration's p50 and p90 rows. */
const quantileRows = (label, path) => ['p50', 'p90'].map(q => [`${label} ${q}`, `${path}.${q}`, fmtSeconds]);
/** The rows PRs and issues share: the first response, those without one, the bots left out. */
const responseRows = kind => [...quantileRows('first response', `${kind}.time_to_first_response_seconds`),
  ['unanswered', `${kind}.unanswered`], ['bots left out', `${kind}.bots_excluded`]];
/** The compare view's rows: a label, and where its value is in one repository's answer (a heading has none). */
const COMPARED = [
  ['Pull requests'],
  ['opened', 'pull_requests.opened'],
  ['merged', 'pull_requests.merged'],
  ['closed unmerged', 'pull_requests.closed_unmerged'],
  ['open', 'pull_requests.open'],
  ['merge rate', 'pull_requests.merge_rate', percent],
  ...quantileRows('time to merge', 'pull_requests.time_to_merge_seconds'),
  ...responseRows('pull_requests'),
  ['Issues'],
  ['opened', 'issues.opened'],
  ['closed', 'issues.closed'],
  ['open', 'issues.open'],
  ...quantileRows('time to close', 'issues.time_to_close_seconds'),
  ...responseRows('issues'),
];
const COMPARE_MAX = 5;
const valueAt = (o, path) => path.split('.').reduce((v, k) => v?.[k], o);

views.compare = {
  render(main) {
    const s = section('compare', 'Compare repositories');
    s.append(controls([
      { name: 'repos', label: `repositories (owner/repo, comma-separated, up to ${COMPARE_MAX})`, placeholder: 'octocat/hello-world, owner/repo' },
      { name: 'days', label: 'days', value: '90', numeric: true },
    ], () => this.refresh(main)),
    el('div', { class: 'inline-error', 'data-testid': 'compare-error', role: 'alert', hidden: '' }),
    el('p', { class: 'coverage', 'data-testid': 'compare-hint' }),
    el('div', { class: 'table' }));
    main.append(s);
  },
  async refresh(main) {
    const s = main.querySelector('#compare');
    const error = s.querySelector('.inline-error');
    const hint = s.querySelector('.coverage');
    const table = s.querySelector('.table');
    followHistory(false);
    const shown = message => {
      error.textContent = message;
      error.hidden = !message;
      if (message) table.replaceChildren();
    };
    const repos = param('repos');
    const names = repos.split(',').map(n => n.trim());
    hint.textContent = repos ? '' : `Name up to ${COMPARE_MAX} repositories, owner/repo separated by commas: each one's pull requests and issues side by side.`;
    if (!repos) { shown(''); table.replaceChildren(); return; }
    // The API takes up to 10; the page shows 5 side by side, and says so rather than dropping any.
    if (names.length > COMPARE_MAX) {
      shown(`At most ${COMPARE_MAX} repositories side by side: ${names.length} given (${names.join(', ')}). Remove ${names.length - COMPARE_MAX}.`);
      return;
    }
    await load(s, 'compare', async () => {
      let v;
      try {
        // The API checks every name, and repeats; its detail is shown as it says it.
        v = await api(`/metrics/compare${query({ repos, days: param('days', '90') })}`);
      } catch (e) {
        if (e.status === 400) { shown(e.message); return; }
        throw e;
      }
      shown('');
      this.draw(table, v);
      followHistory(v.repositories.some(r => PENDING.has(r.pull_requests.history?.state)), () => this.refresh(main));
    });
  },
  /** One column per repository, in the order asked; the first column names the figure. */
  draw(container, v) {
    const head = el('tr', {}, el('th', { scope: 'col', text: `created in the last ${fmt(v.days)} days` }),
      ...v.repositories.map(r => el('th', { scope: 'col', class: 'repo', 'data-repo': r.repository },
        repoLink(r.repository))));
    const badges = el('tr', {}, el('th', { scope: 'row', text: 'completeness' }),
      ...v.repositories.map(r => el('td', { class: 'wrap', 'data-repo': r.repository },
        completenessBadge(r.pull_requests, 'compare-badge'))));
    const rows = COMPARED.map(([label, path, format]) => path
      ? el('tr', {}, el('th', { scope: 'row', text: label }), ...v.repositories.map(r => el('td', {
        class: 'num', 'data-repo': r.repository, 'data-field': path, text: (format || fmt)(valueAt(r, path)) })))
      : el('tr', { class: 'group' }, el('th', { scope: 'rowgroup', colspan: String(v.repositories.length + 1), text: label })));
    container.replaceChildren(wideTable('compared repositories',
      el('table', { 'data-testid': 'compare-table' }, el('thead', {}, head), el('tbody', {}, badges, ...rows))));
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
      // Before the types: on a phone the columns past the first few are scrolled to.
      { key: 'push_events', label: 'distinct pushes', num: true, value: r => r.push_events ?? 0,
        title: 'distinct pushes (a push delivered twice counts once)' },
      ...typesOf(...v.repositories.map(r => r.counts)).map(t => ({ key: t, label: typeName(t), num: true,
        value: r => r.counts[t] ?? 0, title: t })),
      // To the minute, so the table fits a wide screen; the cell's title has the second.
      { key: 'last_event_at', label: 'last event (UTC)', value: r => r.last_event_at,
        cell: r => el('span', { title: fmtTime(r.last_event_at), text: fmtTime(r.last_event_at).replace(/:\d\d UTC$/, '') }) },
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
        { name: 'event_type', label: 'event type', options: ['', ...typesOf(TYPE_COLOURS)] },
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
      ], () => this.refresh(main)), el('div', { class: 'tiles', 'data-testid': 'type-totals' }),
      el('div', { class: 'chart', 'data-testid': 'chart-totals' }));
      main.append(t);
    }
    if (!only) {
      const o = section('offset', 'Events per type in the last minutes');
      o.append(controls([{ name: 'offset', label: 'minutes', value: '60', numeric: true }], () => this.refresh(main)),
        el('div', { class: 'tiles', 'data-testid': 'offset-totals' }),
        el('p', { class: 'coverage', 'data-testid': 'offset-coverage' }));
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
      await chart(gaps.querySelector('.chart'), 'gaps', {
        tooltip: { trigger: 'item', valueFormatter: v => fmtSeconds(v) },
        grid: { left: 56, right: 16, top: 24, bottom: 32 },
        xAxis: { type: 'time', axisLabel: { hideOverlap: true } }, // on a phone, every other hour
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
      totals.querySelector('.tiles').replaceChildren(...tiles(v.total, typesOf(v.counts), v.counts, 'type-total-'));
      await typeBars(totals.querySelector('.chart'), 'totals', v.counts);
    }));
    const offset = main.querySelector('#offset');
    if (offset) jobs.push(load(offset, 'offset', async () => {
      const v = await api(`/metrics/events${query({ offset: param('offset', '60') })}`);
      offset.querySelector('.tiles').replaceChildren(...tiles(v.total, typesOf(v.counts), v.counts, 'offset-total-'));
      offset.querySelector('.coverage').textContent = coverageSentence(v.coverage, v.total) || '';
    }));
    await Promise.all(jobs);
  },
};

views.recent = {
  render(main) {
    const s = section('recent', 'Recent events (newest first)');
    s.append(wideTable('recent events', el('table', { 'data-testid': 'recent-table' },
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

/**
 * The refresh period from the URL, clamped to the offered choices: the next one up from what was
 * asked (refresh=3000000 is 60 s, not a setInterval overflow that fires every millisecond); 0 or
 * less pauses; anything that is not a number is the default.
 */
function refreshSeconds() {
  const n = Number(param('refresh', '10'));
  if (!Number.isFinite(n)) return 10;
  if (n <= 0) return 0;
  return REFRESH_CHOICES.find(c => c >= n) ?? REFRESH_CHOICES.at(-1);
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
    a.href = `/?view=${a.dataset.view}${params.has('refresh') ? `&refresh=${refreshSeconds()}` : ''}`;
  }
  const select = document.getElementById('refresh');
  select.value = String(refreshSeconds());
  if (params.has('refresh') && param('refresh') !== select.value) setParams({ refresh: select.value });
  const main = document.getElementById('main');
  featuresRead = detectFeatures(); // read beside the first answers, not before them
  views[view].render(main, only);
  const refresh = () => views[view].refresh(main);
  refreshNow = async () => {
    while (loading > 0) await new Promise(r => setTimeout(r, 200));
    await refresh();
  };
  select.addEventListener('change', () => { setParams({ refresh: select.value }); schedule(refresh); });
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));
  await refresh();
  document.body.dataset.ready = 'true';
  schedule(refresh);
}

// For the browser tests: the charts' data, as ECharts holds it.
window.dashboard = { charts, refreshSeconds, typeColour, fmtSeconds, firstChartMs: null };
// This deferred script runs once the document is parsed, before ECharts (the next deferred
// script): the view starts at once, so its first answers are on their way while ECharts is still
// read, and charts wait for it (DOMContentLoaded follows the last deferred script).
const echartsReady = new Promise(resolve => {
  if (window.echarts) resolve(); else document.addEventListener('DOMContentLoaded', resolve, { once: true });
});
start();
