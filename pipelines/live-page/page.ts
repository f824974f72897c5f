/**
 * The live page's three static assets: the HTML shell, its stylesheet and its script. Nothing is
 * fetched from the network: the script is served by us (/live.js), the plots are inline SVG rendered
 * on the server. The script keeps one EventSource on /api/events; whenever it (re)connects it loads
 * /api/snapshot and then applies only newer messages (a restarted watcher has a new `boot` id).
 */

export function pageHtml(title: string): string {
  const t = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t} — live · Interphase</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/live.css">
<script src="/live.js" defer></script>
</head><body>
<header><h1><span id="campaign">${t}</span> <small>live</small></h1>
<p><span id="conn" class="conn off" title="connection to the watcher">connecting…</span> <span id="where"></span> · <a href="/out/report.html" id="report-link">full report</a> <span id="report-at"></span></p>
<ul id="problems"></ul></header>
<main>
<section id="feed-section"><h2>Files</h2><table id="feed"><thead><tr><th>time</th><th>state</th><th>file</th><th>cell</th><th>detail</th></tr></thead><tbody></tbody></table></section>
<section id="cells-section"><h2>Cells</h2><div id="cards"><p class="empty">No cell has data yet.</p></div></section>
<section id="plots-section"><h2>Plots</h2><div id="plots"><p class="empty">Plots appear once data is parsed.</p></div></section>
<section id="hyp-section"><h2>Hypotheses</h2><table id="hypotheses"><thead><tr><th>id</th><th>claim</th><th>verdict</th><th>reason / what to add</th></tr></thead><tbody></tbody></table></section>
</main></body></html>
`;
}

export const PAGE_CSS = `
:root { --fg:#1d232b; --mute:#5d6b7a; --line:#dde3ea; --ok:#1b7f3b; --bad:#b3261e; --warn:#9a6200; --bg:#f7f9fb; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; background: var(--bg); }
header { padding: 10px 18px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0; } h1 small { color: var(--mute); font-weight: normal; }
h2 { font-size: 16px; margin: 0 0 8px; }
header p { margin: 4px 0 0; color: var(--mute); }
#problems { margin: 4px 0 0; color: var(--warn); }
main { display: grid; grid-template-columns: minmax(320px, 2fr) 3fr; gap: 14px; padding: 14px 18px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; overflow: auto; }
#feed-section { grid-row: span 3; max-height: calc(100vh - 110px); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--mute); font-weight: 600; font-size: 12px; }
td.path { font-family: ui-monospace, monospace; font-size: 12px; white-space: nowrap; }
td.detail { font-size: 12px; color: var(--mute); }
.state { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; background: #e8edf2; }
.state-parsed, .state-stored { background: #dcf3e3; color: var(--ok); }
.state-failed { background: #fbe1df; color: var(--bad); }
.state-quarantined { background: #fdecc8; color: var(--warn); }
.state-arrived, .state-settling, .state-processing { background: #e3ecfb; color: #1d4f9c; }
tr.fresh { animation: fresh 2s ease-out; }
@keyframes fresh { from { background: #fff7c2; } to { background: transparent; } }
#cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
.card h3 { margin: 0 0 4px; font-size: 14px; } .card h3 small { color: var(--mute); font-weight: normal; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 0; font-size: 12px; }
.card dt { color: var(--mute); } .card dd { margin: 0; }
.card .flag { color: var(--bad); font-size: 12px; margin: 4px 0 0; }
.card.flagged { border-color: #e7a29c; }
#plots { display: flex; flex-wrap: wrap; gap: 12px; }
figure.plot { margin: 0; max-width: 100%; } figure.plot h3 { font-size: 13px; margin: 0 0 4px; }
figure.plot svg { max-width: 100%; height: auto; }
figcaption { font-size: 11px; color: var(--mute); max-width: 520px; }
.v-supported { color: var(--ok); } .v-refuted { color: var(--bad); } .v-inconclusive, .v-not-testable { color: var(--warn); }
ul.toadd { margin: 2px 0 0 16px; padding: 0; font-size: 12px; }
.conn { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; }
.conn.on { background: #dcf3e3; color: var(--ok); } .conn.off { background: #fbe1df; color: var(--bad); }
.empty { color: var(--mute); }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } #feed-section { grid-row: auto; max-height: 50vh; } }
`;

export const PAGE_JS = `'use strict';
(function () {
  var state = null;
  var pending = [];
  var loading = false;
  var es = null;
  var TYPES = ['feed', 'cards', 'plots', 'hypotheses', 'status'];
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function $(id) { return document.getElementById(id); }
  function time(ms) { if (!ms) return '—'; var d = new Date(ms); return d.toLocaleTimeString([], { hour12: false }); }
  function when(ms) { if (!ms) return '—'; var d = new Date(ms); return d.toLocaleDateString() === new Date().toLocaleDateString() ? time(ms) : d.toLocaleString([], { hour12: false }); }
  function pct(x) { return x == null ? '—' : (100 * x).toFixed(2) + ' %'; }
  function setConn(on, text) { var c = $('conn'); c.className = 'conn ' + (on ? 'on' : 'off'); c.textContent = text; }

  function feedRow(e, fresh) {
    var tr = document.createElement('tr');
    tr.className = 'feed-row' + (fresh ? ' fresh' : '');
    tr.setAttribute('data-path', e.path);
    tr.setAttribute('data-state', e.state);
    var detail = esc(e.detail);
    if (e.link) detail += ' <a href="/out/' + e.link.split('/').map(encodeURIComponent).join('/') + '">reason</a>';
    tr.innerHTML = '<td>' + time(e.time) + '</td><td><span class="state state-' + esc(e.state) + '">' + esc(e.state) + '</span></td><td class="path">' + esc(e.path) + '</td><td>' + esc(e.cell || '') + '</td><td class="detail">' + detail + '</td>';
    return tr;
  }
  function renderFeed() {
    var body = $('feed').tBodies[0];
    body.textContent = '';
    state.feed.forEach(function (e) { body.appendChild(feedRow(e, false)); });
  }
  function addFeed(e) {
    state.feed.unshift(e);
    if (state.feed.length > 500) state.feed.length = 500;
    var body = $('feed').tBodies[0];
    body.insertBefore(feedRow(e, true), body.firstChild);
    while (body.rows.length > 500) body.deleteRow(body.rows.length - 1);
  }
  function renderCards() {
    var el = $('cards');
    if (!state.cards.length) { el.innerHTML = '<p class="empty">No cell has data yet.</p>'; return; }
    el.innerHTML = state.cards.map(function (c) {
      return '<div class="card' + (c.flags.length ? ' flagged' : '') + '" data-cell="' + esc(c.id) + '" data-files="' + c.files + '">' +
        '<h3>' + esc(c.id) + (c.group ? ' <small>' + esc(c.group) + '</small>' : '') + '</h3><dl>' +
        '<dt>files</dt><dd class="files">' + c.files + (c.failed ? ' (' + c.failed + ' failed)' : '') + '</dd>' +
        '<dt>last data</dt><dd>' + when(c.lastDataMs) + '</dd>' +
        '<dt>cycles</dt><dd class="cycles">' + (c.cycles == null ? '—' : c.cycles) + '</dd>' +
        '<dt>CE mean</dt><dd>' + pct(c.ceMean) + '</dd>' +
        '<dt>CE last</dt><dd>' + pct(c.ceLast) + '</dd></dl>' +
        c.flags.map(function (f) { return '<p class="flag">⚠ ' + esc(f) + '</p>'; }).join('') + '</div>';
    }).join('');
  }
  function renderPlots() {
    var el = $('plots');
    if (!state.plots.length) { el.innerHTML = '<p class="empty">Plots appear once data is parsed.</p>'; return; }
    // The SVG is rendered by the server from our own plot specs (Vega-Lite → SVG); labels are escaped there.
    el.innerHTML = state.plots.map(function (p) { return '<figure class="plot"><h3>' + esc(p.title) + '</h3>' + p.svg + '</figure>'; }).join('');
  }
  function renderHypotheses() {
    var body = $('hypotheses').tBodies[0];
    body.innerHTML = state.hypotheses.map(function (h) {
      var add = h.toAdd && h.toAdd.length ? '<ul class="toadd">' + h.toAdd.map(function (a) { return '<li>add: ' + esc(a) + '</li>'; }).join('') + '</ul>' : '';
      var reason = h.toAdd && h.toAdd.length ? h.reason.replace(/; add to the experiment: .*$/, '') : h.reason;
      return '<tr data-id="' + esc(h.id) + '"><td>' + esc(h.id) + '</td><td>' + esc(h.claim) + '</td><td class="v-' + esc(h.verdict).replace(/ /g, '-') + '">' + esc(h.verdict) + '</td><td>' + esc(reason) + add + '</td></tr>';
    }).join('');
  }
  function renderStatus() {
    var s = state.status;
    $('campaign').textContent = s.campaign;
    $('where').textContent = (s.ready ? 'watching ' : 'catching up on ') + s.folder;
    $('report-at').textContent = s.reportAt ? '(built ' + time(Date.parse(s.reportAt)) + ')' : '';
    $('problems').innerHTML = (s.problems || []).map(function (p) { return '<li>' + esc(p) + '</li>'; }).join('');
  }
  function renderAll() { renderStatus(); renderFeed(); renderCards(); renderPlots(); renderHypotheses(); }
  function apply(m) {
    state.seq = m.seq;
    if (m.type === 'feed') addFeed(m.data);
    else if (m.type === 'cards') { state.cards = m.data; renderCards(); }
    else if (m.type === 'plots') { state.plots = m.data; renderPlots(); }
    else if (m.type === 'hypotheses') { state.hypotheses = m.data; renderHypotheses(); }
    else if (m.type === 'status') { state.status = m.data; renderStatus(); }
  }
  function onMessage(ev) {
    var m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (loading || !state) { pending.push(m); return; }
    if (m.boot !== state.boot) { pending.push(m); catchUp(); return; }
    if (m.seq > state.seq) apply(m);
  }
  function catchUp() {
    if (loading) return;
    loading = true;
    fetch('/api/snapshot', { cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error('snapshot: HTTP ' + r.status);
      return r.json();
    }).then(function (s) {
      state = s;
      loading = false;
      renderAll();
      var queued = pending; pending = [];
      queued.forEach(function (m) { if (m.boot === state.boot && m.seq > state.seq) apply(m); });
      document.body.setAttribute('data-seq', String(state.seq));
    }).catch(function () { loading = false; setTimeout(catchUp, 1000); });
  }
  function connect() {
    es = new EventSource('/api/events');
    es.onopen = function () { setConn(true, 'live'); catchUp(); };
    es.onerror = function () {
      setConn(false, 'reconnecting…');
      if (es.readyState === 2) { es.close(); setTimeout(connect, 1000); }
    };
    TYPES.forEach(function (t) { es.addEventListener(t, onMessage); });
  }
  connect();
})();
`;
