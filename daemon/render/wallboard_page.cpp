#include "floorwatch/render/wallboard_page.h"

namespace floorwatch {
namespace {

// Kept in one literal so the page ships inside the binary. Every number the page shows is
// an element with data-q (queue), data-ch (channel) and data-f (field), which the browser
// test reads back and compares with /api/v1/queues.
constexpr std::string_view kPage = R"html(<!doctype html>
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
</style>
</head>
<body>
<header><span><b>floorwatch</b> <span id="filter"></span></span><span id="status">connecting…</span></header>
<main id="board"></main>
<script>
"use strict";
const params = new URLSearchParams(location.search);
const glob = p => new RegExp("^" + p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
const queueFilter = params.has("queue") ? glob(params.get("queue")) : null;
const channelFilter = params.get("channel");
const labelFilters = [...params.entries()].filter(([k]) => !["queue", "channel"].includes(k));
document.getElementById("filter").textContent = [...params.entries()].map(([k, v]) => k + "=" + v).join(" ");

function mmss(s) {
  if (s === null || s === undefined) return "–";
  s = Math.max(0, Math.round(s));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}
function pct(r) { return r === null || r === undefined ? "–" : (r * 100).toFixed(0) + "%"; }
function num(n) { return n === null || n === undefined ? "–" : String(n); }
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

function cell(tag, cls, q, field, text, valueClass) {
  const el = document.createElement(tag);
  el.className = cls;
  const label = document.createElement("div");
  label.className = "label";
  label.textContent = cell.labels[field];
  const v = document.createElement("div");
  v.className = "v " + (valueClass || "");
  v.dataset.q = q.queue; v.dataset.ch = q.channel; v.dataset.f = field;
  v.textContent = text;
  el.append(label, v);
  return el;
}
cell.labels = { waiting_contacts:"Waiting", oldest_wait_seconds:"Oldest", sl_15m:"SL 15m", sl_today:"SL today",
  abandon_1h:"Aband 1h", asa_15m:"ASA 15m", available:"Avail", on_contact:"Busy", acw:"ACW", not_ready:"Not ready" };

function render(data, alerts) {
  const board = document.getElementById("board");
  const tiles = [];
  const queues = data.queues.filter(q =>
    (!queueFilter || queueFilter.test(q.queue)) && (!channelFilter || q.channel === channelFilter) &&
    labelFilters.every(([k, v]) => q.labels[k] === v));
  for (const q of queues) {
    const w15 = windowOf(q, "15m"), today = windowOf(q, "today"), w1h = windowOf(q, "1h");
    const firing = alerts.filter(a => a.state === "firing" && a.queue === q.queue && a.channel === q.channel);
    const tile = document.createElement("section");
    tile.className = "tile " + (slClass(w15.service_level_ratio, q.service_level_target)) + (firing.length ? " alerting" : "");
    tile.dataset.q = q.queue; tile.dataset.ch = q.channel;
    const name = document.createElement("div");
    name.className = "name";
    name.textContent = q.queue;
    const chan = document.createElement("span");
    chan.className = "chan";
    chan.textContent = q.channel;
    name.append(chan);
    const big = document.createElement("div");
    big.className = "big";
    big.append(cell("div", "", q, "waiting_contacts", num(q.waiting_contacts)),
               cell("div", "", q, "oldest_wait_seconds", mmss(q.oldest_wait_seconds),
                    waitClass(q.oldest_wait_seconds, q.service_level_threshold_seconds)));
    const row1 = document.createElement("div");
    row1.className = "row";
    row1.append(cell("div", "", q, "sl_15m", pct(w15.service_level_ratio), slClass(w15.service_level_ratio, q.service_level_target)),
                cell("div", "", q, "sl_today", pct(today.service_level_ratio), slClass(today.service_level_ratio, q.service_level_target)),
                cell("div", "", q, "abandon_1h", pct(w1h.abandon_ratio)),
                cell("div", "", q, "asa_15m", mmss(w15.asa_seconds)));
    const row2 = document.createElement("div");
    row2.className = "row";
    for (const s of ["available", "on_contact", "acw", "not_ready"]) row2.append(cell("div", "", q, s, num(q.agents[s])));
    const al = document.createElement("div");
    al.className = "alerts";
    al.dataset.q = q.queue; al.dataset.ch = q.channel; al.dataset.f = "alerts";
    al.textContent = firing.map(a => "▲ " + a.alertname + " (" + a.severity + ")").join("  ");
    tile.append(name, big, row1, row2, al);
    tiles.push(tile);
  }
  board.replaceChildren(...tiles);
  fitColumns(tiles.length);
}

// Chooses the column count that makes tiles largest while keeping them about 4:3.
function fitColumns(n) {
  const board = document.getElementById("board");
  const W = board.clientWidth, H = board.clientHeight;
  let best = 1, bestSize = 0;
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const rows = Math.ceil(n / cols);
    const size = Math.min(W / cols, (H / rows) * 4 / 3);
    if (size > bestSize) { best = cols; bestSize = size; }
  }
  board.style.setProperty("--cols", params.get("cols") || best);
}
window.addEventListener("resize", () => fitColumns(document.getElementById("board").children.length));

async function refresh() {
  const status = document.getElementById("status");
  try {
    const [qr, ar] = await Promise.all([fetch("api/v1/queues", {cache: "no-store"}), fetch("api/v1/alerts", {cache: "no-store"})]);
    if (!qr.ok || !ar.ok) throw new Error("HTTP " + qr.status + "/" + ar.status);
    const data = await qr.json(), alerts = await ar.json();
    render(data, alerts);
    status.className = "";
    status.textContent = "updated " + new Date(data.time * 1000).toLocaleTimeString();
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

}  // namespace

std::string_view WallboardHtml() { return kPage; }

}  // namespace floorwatch
