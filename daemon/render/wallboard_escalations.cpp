// The wallboard's escalation desk (?view=escalations): what a desk lead reads from across
// the room. Escalation teams as tiles (open escalations, by tier, the oldest as h:mm: amber
// past 1 h, red past 2 h), then a row per queue/channel with escalations: open, oldest,
// escalation rate, repeat escalations, escalated, resolved and the mean time to resolve in
// the chosen window. Numbers carry data-eteam (escalation team) or data-q/data-ch, and data-f.
#include "render/wallboard_views.h"

namespace floorwatch::wallboard {
namespace {

constexpr std::string_view kStyle = R"html(
  .desk-teams { flex:0 0 30vh; display:grid; grid-template-columns:repeat(var(--dcols), minmax(0, 1fr)); grid-auto-rows:minmax(0, 1fr); gap:0.8vh; padding:0 0.8vh; }
  .desk-teams .tiers { font-size:min(10cqh, 6cqw); color:var(--dim); white-space:nowrap; overflow:hidden; }
  .desk-teams .tiers b { color:var(--text); margin:0 0.9em 0 0.25em; }
  .desk-queues { flex:1 1 auto; padding:0 0.8vh; overflow:hidden; }
)html";

constexpr std::string_view kScript = R"html(
// Ages: amber past 1 h, red past 2 h.
function ageClass(s) { return s > 7200 ? "bad" : s > 3600 ? "warn" : ""; }
function openTotal(byTier) { return Object.values(byTier || {}).reduce((a, b) => a + b, 0); }
function labelled(label, el) {
  const box = document.createElement("div");
  box.append(Object.assign(document.createElement("div"), {className: "label", textContent: label}), el);
  return box;
}

function deskTeamTile(t) {
  const open = openTotal(t.escalations_open);
  const age = open > 0 ? t.oldest_escalation_seconds : null;
  const data = {eteam: t.team};
  const tile = document.createElement("section");
  tile.className = "tile " + (open > 0 ? ageClass(age) || "ok" : "");
  tile.dataset.eteam = t.team;
  const name = Object.assign(document.createElement("div"), {className: "name"});
  name.textContent = t.team === "none" ? "no team named" : t.team;
  const big = document.createElement("div");
  big.className = "big";
  big.append(labelled("Open", figure("div", data, "open", num(open), "v")),
             labelled("Oldest", figure("div", data, "oldest", hmm(age), "v " + ageClass(age))));
  const tiers = document.createElement("div");
  tiers.className = "tiers";
  for (const [tier, n] of Object.entries(t.escalations_open)) {
    tiers.append("T" + tier, figure("b", data, "tier_" + tier, num(n)));
  }
  tile.append(name, big, tiers);
  return tile;
}

function deskQueueRow(table, q, w) {
  const open = openTotal(q.escalations_open);
  const age = open > 0 ? q.oldest_escalation_seconds : null;
  const data = {q: q.queue, ch: q.channel};
  const row = table.insertRow();
  row.dataset.q = q.queue; row.dataset.ch = q.channel;
  const name = row.insertCell();
  name.textContent = q.queue;
  name.append(Object.assign(document.createElement("span"), {className: "chan", textContent: q.channel}));
  row.append(figure("td", data, "open", num(open)),
             figure("td", data, "oldest", hmm(age), ageClass(age)),
             figure("td", data, "escalation_ratio", pct(w.escalation_ratio)),
             figure("td", data, "repeat_escalated", num(w.repeat_escalated)),
             figure("td", data, "escalated", num(w.escalated)),
             figure("td", data, "escalation_resolved", num(w.escalation_resolved)),
             figure("td", data, "resolution", hmm(w.escalation_resolution_seconds)));
}

function renderDesk(data) {
  const board = document.getElementById("board");
  const byOpen = (a, b) => openTotal(b.escalations_open) - openTotal(a.escalations_open) ||
      b.oldest_escalation_seconds - a.oldest_escalation_seconds;
  const teams = [...data.teams].sort((a, b) => byOpen(a, b) || a.team.localeCompare(b.team));
  const queues = data.queues.filter(q =>
    (!queueFilter || queueFilter.test(q.queue)) && (!channelFilter || q.channel === channelFilter) &&
    labelsMatch(q.labels)).sort(byOpen);
  const label = windowLabel(queues.length ? queues[0].windows : null);
  VIEWS.escalations.caption = label ? "window " + label : "";
  const parts = [];
  if (teams.length) {
    const tiles = document.createElement("div");
    tiles.className = "desk-teams";
    tiles.style.setProperty("--dcols", Math.min(teams.length, 5));
    tiles.append(...teams.map(deskTeamTile));
    parts.push(tiles);
  }
  const box = document.createElement("div");
  box.className = "desk-queues";
  if (queues.length) {
    const table = wideTable(["Queue", "Open", "Oldest", "Esc rate", "Repeat", "Escalated", "Resolved",
                             "Res time"], queues.length, teams.length ? 58 : 90);
    for (const q of queues) deskQueueRow(table, q, q.windows[label] || {});
    box.append(table);
  } else {
    box.append(Object.assign(document.createElement("div"), {className: "empty", textContent: "No escalations"}));
  }
  parts.push(box);
  board.replaceChildren(...parts);
}
VIEWS.escalations = {title: "escalation desk", urls: ["api/v1/escalations"], render: renderDesk};
)html";

}  // namespace

ViewPart EscalationsView() { return {kStyle, kScript}; }

}  // namespace floorwatch::wallboard
