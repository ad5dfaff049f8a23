// The wallboard's queue view (the default): a tile per queue and channel, for the floor
// reading it from across the room. Largest: WAITING and OLDEST; then the staffing line,
// STAFFED / NEED (staffed agents against the agents Erlang C requires, the staffed number
// and the shortfall red when short, docs/staffing.md) and EST. WAIT (the estimated wait of
// a contact joining now, m:ss, coloured like OLDEST) and BREACH AHEAD (contacts that will pass
// the SL threshold and when the first does, docs/prediction.md); then service level (15m,
// today and projected at the staffing now), abandons, ASA and
// the agents by state; the alerts firing. Numbers carry data-q, data-ch and data-f.
#include "render/wallboard_views.h"

namespace floorwatch::wallboard {
namespace {

// The tile is a column of rows sharing its height: the type of each row is a share of it
// (cqh), capped by the width (cqw) so that four-digit figures still fit.
constexpr std::string_view kStyle = R"html(
  .view-queues .big .v { font-size:min(24cqh, 17cqw); }
  .view-queues .staff { display:grid; grid-template-columns:minmax(0, 1.5fr) minmax(0, 1fr) minmax(0, 1.2fr); gap:3cqw; }
  .view-queues .staff .v { font-size:min(15cqh, 10cqw); font-weight:bold; line-height:1.05; font-variant-numeric:tabular-nums; white-space:nowrap; overflow:hidden; }
  .view-queues .staff .of { color:var(--dim); font-weight:normal; }
  .view-queues .staff .gap { margin-left:0.35em; font-size:0.8em; }
  .view-queues .staff .v .bad { color:var(--bad); }
  .view-queues .row .v { font-size:min(9.5cqh, 7cqw); line-height:1.1; }
  .view-queues .label { font-size:min(4.4cqh, 3.6cqw); }
  .view-queues .name { font-size:min(10cqh, 9cqw); }
)html";

constexpr std::string_view kScript = R"html(
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
  abandon_1h:"Aband 1h", asa_15m:"ASA 15m", available:"Avail", on_contact:"Busy", acw:"ACW", not_ready:"Not ready",
  estimated_wait_seconds:"Est. wait", projected_breaches:"Breach ahead", projected_service_level:"SL proj" };

// "3 in 0:09": the waiting contacts that will pass the SL threshold unless more agents free
// up, and the time before the first of them does (docs/prediction.md); red while any will.
function breachCell(q) {
  const p = q.prediction || {};
  const data = {q: q.queue, ch: q.channel};
  const n = p.projected_breaches;
  const ahead = n !== null && n !== undefined && n > 0;
  const el = document.createElement("div");
  const v = Object.assign(document.createElement("div"), {className: "v"});
  v.append(figure("span", data, "projected_breaches", num(n), ahead ? "bad" : ""),
           figure("span", data, "seconds_to_breach",
                  ahead && p.seconds_to_breach !== null ? " in " + mmss(p.seconds_to_breach) : "", "gap bad"));
  el.append(Object.assign(document.createElement("div"), {className: "label", textContent: cell.labels.projected_breaches}), v);
  return el;
}

// "12 / 14 −2": staffed agents, the agents required, and when short the shortfall, in red
// with the staffed number. No shortfall shown when staffed >= required or required is
// unknown (no AHT yet: "12 / –").
function staffingLine(q) {
  const s = q.staffing || {};
  const data = {q: q.queue, ch: q.channel};
  const gap = s.staffing_gap_agents;
  const short = gap !== null && gap !== undefined && gap > 0;
  const need = document.createElement("div");
  const v = Object.assign(document.createElement("div"), {className: "v"});
  v.append(figure("span", data, "staffed_agents", num(s.staffed_agents), short ? "bad" : ""),
           Object.assign(document.createElement("span"), {className: "of", textContent: " / "}),
           figure("span", data, "required_agents", num(s.required_agents)),
           figure("span", data, "staffing_gap_agents", short ? "−" + gap : "", "gap bad"));
  need.append(Object.assign(document.createElement("div"), {className: "label", textContent: "Staffed / need"}), v);
  const line = document.createElement("div");
  line.className = "staff";
  line.append(need, cell("div", "", q, "estimated_wait_seconds", mmss(s.estimated_wait_seconds),
                         waitClass(s.estimated_wait_seconds, q.service_level_threshold_seconds)),
              breachCell(q));
  return line;
}

function queueTile(q, alerts) {
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
              cell("div", "", q, "projected_service_level", pct((q.prediction || {}).projected_service_level),
                   slClass((q.prediction || {}).projected_service_level, q.service_level_target)),
              cell("div", "", q, "abandon_1h", pct(w1h.abandon_ratio)),
              cell("div", "", q, "asa_15m", mmss(w15.asa_seconds)));
  const row2 = document.createElement("div");
  row2.className = "row";
  for (const s of ["available", "on_contact", "acw", "not_ready"]) row2.append(cell("div", "", q, s, num(q.agents[s])));
  const al = document.createElement("div");
  al.className = "alerts";
  al.dataset.q = q.queue; al.dataset.ch = q.channel; al.dataset.f = "alerts";
  al.textContent = firing.map(a => "▲ " + a.alertname + " (" + a.severity + ")").join("  ");
  tile.append(name, big, staffingLine(q), row1, row2, al);
  return tile;
}

function render(data, alerts) {
  const queues = data.queues.filter(q =>
    (!queueFilter || queueFilter.test(q.queue)) && (!channelFilter || q.channel === channelFilter) &&
    labelsMatch(q.labels));
  const tiles = queues.map(q => queueTile(q, alerts));
  document.getElementById("board").replaceChildren(...tiles);
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
VIEWS.queues = {title: "queues", urls: ["api/v1/queues", "api/v1/alerts"], render};
)html";

}  // namespace

ViewPart QueuesView() { return {kStyle, kScript}; }

}  // namespace floorwatch::wallboard
