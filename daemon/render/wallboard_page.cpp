#include "floorwatch/render/wallboard_page.h"

#include <string>

#include "render/wallboard_views.h"

namespace floorwatch {
namespace {

// Kept in literals so the page ships inside the binary: the head and the common style
// (tiles and tables), then each view's style, the body and the common script (filters,
// formatting), each view's script, the refresh loop. Every number the page shows is an element with
// data-f (field) and data-* naming what it belongs to (here data-q queue, data-ch channel), which
// the browser tests read back and compare with the JSON.
constexpr std::string_view kHead = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>floorwatch wallboard</title>
<style>
  :root { --bg:#0d1117; --tile:#161b22; --text:#e6edf3; --dim:#8b949e; --ok:#2ea043; --warn:#d29922; --bad:#f85149; --none:#30363d; --cols:4; }
  * { box-sizing: border-box; }
  html, body { margin:0; height:100%; overflow:hidden; background:var(--bg); color:var(--text); font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
  header { height:4vh; display:flex; justify-content:space-between; align-items:center; padding:0 1vw; font-size:2.2vh; color:var(--dim); }
  header b { color:var(--text); }
  #status.stale { color:var(--bad); font-weight:bold; }
  /* The page picks --cols so that every tile fits on the screen; type scales with the tile. */
  #board { height:96vh; display:grid; grid-template-columns:repeat(var(--cols), minmax(0, 1fr)); grid-auto-rows:minmax(0, 1fr); gap:0.8vh; padding:0 0.8vh 0.8vh; }
  .tile { container-type:size; background:var(--tile); border-radius:0.8vh; border-left:0.8vw solid var(--none); padding:1.2vh 1.2vw; display:flex; flex-direction:column; justify-content:space-between; overflow:hidden; }
  .tile.ok { border-left-color:var(--ok); } .tile.warn { border-left-color:var(--warn); } .tile.bad { border-left-color:var(--bad); }
  .tile.alerting { outline:0.6vh solid var(--bad); animation:pulse 1.5s infinite; }
  @keyframes pulse { 50% { outline-color:transparent; } }
  .name { font-size:min(11cqh, 9cqw); font-weight:bold; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
  .chan { font-size:0.6em; color:var(--dim); font-weight:normal; margin-left:0.4em; text-transform:uppercase; }
  .big, .row { display:grid; grid-auto-flow:column; grid-auto-columns:minmax(0, 1fr); gap:3cqw; }
  .big { grid-template-columns:minmax(0, 1fr) minmax(0, 1.5fr); }
  .label { font-size:min(4.8cqh, 3.8cqw); color:var(--dim); text-transform:uppercase; letter-spacing:0.04em; white-space:nowrap; overflow:hidden; }
  .big .v { font-size:min(28cqh, 18cqw); font-weight:bold; line-height:1; font-variant-numeric:tabular-nums; white-space:nowrap; }
  .row .v { font-size:min(11cqh, 7.5cqw); font-weight:bold; font-variant-numeric:tabular-nums; white-space:nowrap; }
  .v.warn { color:var(--warn); } .v.bad { color:var(--bad); } .v.ok { color:var(--ok); }
  .alerts { font-size:min(6cqh, 5cqw); color:var(--bad); font-weight:bold; min-height:1.2em; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
  header > span:first-child { display:flex; align-items:baseline; gap:1.4vw; white-space:nowrap; overflow:hidden; }
  nav { display:flex; gap:1.4vw; }
  nav a { color:var(--dim); text-decoration:none; padding-bottom:0.2vh; }
  nav a.on { color:var(--text); border-bottom:0.3vh solid var(--ok); }
  .empty { font-size:6vh; color:var(--dim); text-align:center; padding-top:20vh; }
  /* The desk's and the team view's tables: one row per queue or team, type sized to fit. */
  #board.view-escalations, #board.view-teams { display:flex; flex-direction:column; gap:1vh; }
  table.wide { width:100%; border-collapse:collapse; table-layout:fixed; font-size:var(--font, 4vh); font-variant-numeric:tabular-nums; }
  table.wide th { color:var(--dim); font-weight:normal; text-transform:uppercase; font-size:min(0.5em, 2.2vh); letter-spacing:0.04em; text-align:right; padding:0 0.6vw; white-space:nowrap; overflow:hidden; }
  table.wide td { text-align:right; padding:0.1em 0.6vw; font-weight:bold; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; border-top:0.15vh solid var(--none); }
  table.wide th:first-child, table.wide td:first-child { text-align:left; width:24%; }
  table.wide td.warn { color:var(--warn); } table.wide td.bad { color:var(--bad); } table.wide td.ok { color:var(--ok); }
)html";

constexpr std::string_view kBody = R"html(</style>
</head>
<body>
<header><span><b>floorwatch</b><nav id="nav"><a href="./" data-view="queues">Queues</a><a href="?view=escalations" data-view="escalations">Escalation desk</a><a href="?view=teams" data-view="teams">Teams</a></nav> <span id="filter"></span></span><span id="status">connecting…</span></header>
<main id="board"></main>
<script>
"use strict";
const params = new URLSearchParams(location.search);
const glob = p => new RegExp("^" + p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
const queueFilter = params.has("queue") ? glob(params.get("queue")) : null;
const channelFilter = params.get("channel");
// Every other parameter is an exact label value (of the queues; of the teams in ?view=teams).
const labelFilters = [...params.entries()].filter(([k]) => !["queue", "channel", "view", "window", "cols"].includes(k));
const labelsMatch = labels => labelFilters.every(([k, v]) => labels[k] === v);
document.getElementById("filter").textContent = [...params.entries()].filter(([k]) => k !== "view").map(([k, v]) => k + "=" + v).join(" ");
const VIEWS = {};  // name -> {title, urls, render(...the JSON of each url)}

function mmss(s) {
  if (s === null || s === undefined) return "–";
  s = Math.max(0, Math.round(s));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}
function pct(r) { return r === null || r === undefined ? "–" : (r * 100).toFixed(0) + "%"; }
function num(n) { return n === null || n === undefined ? "–" : String(n); }
// h:mm, for ages that run into hours (escalations).
function hmm(s) {
  if (s === null || s === undefined) return "–";
  const m = Math.floor(Math.max(0, s) / 60);
  return Math.floor(m / 60) + ":" + String(m % 60).padStart(2, "0");
}
// The window a desk or team figure is read from: ?window=, else today, else the first.
function windowLabel(windows) {
  const names = Object.keys(windows || {});
  const wanted = params.get("window");
  return names.includes(wanted) ? wanted : names.includes("today") ? "today" : names[0];
}
// A table with a header row; `columns` are the header texts.
function wideTable(columns, rowCount, height) {
  const table = document.createElement("table");
  table.className = "wide";
  // Each row gets an equal share of the height, the text about 60% of a row.
  table.style.setProperty("--font", Math.min(6, height / (rowCount + 1) * 0.6) + "vh");
  const head = table.createTHead().insertRow();
  for (const c of columns) head.append(Object.assign(document.createElement("th"), {textContent: c}));
  return table;
}
// An element showing one figure: its text, a class, and data-* naming what it belongs to.
function figure(tag, data, field, text, cls) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  Object.assign(el.dataset, data);
  el.dataset.f = field;
  el.textContent = text;
  return el;
}
function windowOf(q, preferred) {
  const names = Object.keys(q.windows);
  return q.windows[preferred] || q.windows[names[0]] || {};
}
// Green at or above target, amber within 10 points under it, red below; grey: no contacts.
function slClass(r, target) {
  if (r === null || r === undefined) return "";
  return r >= target ? "ok" : r >= target - 0.1 ? "warn" : "bad";
}
function waitClass(s, threshold) { return s > 2 * threshold ? "bad" : s > threshold ? "warn" : ""; }

)html";

constexpr std::string_view kTail = R"html(
const viewName = VIEWS[params.get("view")] ? params.get("view") : "queues";
const view = VIEWS[viewName];
document.title = "floorwatch " + view.title;
document.getElementById("board").classList.add("view-" + viewName);
document.querySelector('#nav a[data-view="' + viewName + '"]').classList.add("on");
if (viewName === "queues") window.addEventListener("resize", () => fitColumns(document.getElementById("board").children.length));

async function refresh() {
  const status = document.getElementById("status");
  try {
    const responses = await Promise.all(view.urls.map(u => fetch(u, {cache: "no-store"})));
    if (!responses.every(r => r.ok)) throw new Error("HTTP " + responses.map(r => r.status).join("/"));
    const bodies = await Promise.all(responses.map(r => r.json()));
    const data = bodies[0];
    view.render(...bodies);
    status.className = "";
    status.textContent = "updated " + new Date(data.time * 1000).toLocaleTimeString() + (view.caption ? " · " + view.caption : "");
    document.body.dataset.updated = String(data.time);
  } catch (e) {
    // A wallboard must never show old numbers as if they were live.
    status.className = "stale";
    status.textContent = "NO DATA since " + (document.body.dataset.updated ? new Date(document.body.dataset.updated * 1000).toLocaleTimeString() : "start") + " (" + e.message + ")";
    document.getElementById("board").style.opacity = 0.35;
    return;
  }
  document.getElementById("board").style.opacity = 1;
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
)html";

std::string Assemble() {
  const wallboard::ViewPart views[] = {wallboard::QueuesView(), wallboard::EscalationsView(),
                                       wallboard::TeamsView()};
  std::string page(kHead);
  for (const wallboard::ViewPart& v : views) page += v.style;
  page += kBody;
  for (const wallboard::ViewPart& v : views) page += v.script;
  page += kTail;
  return page;
}

}  // namespace

std::string_view WallboardHtml() {
  static const std::string page = Assemble();  // built once, on first use (thread-safe)
  return page;
}

}  // namespace floorwatch
