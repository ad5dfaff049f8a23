// The wallboard's team view (?view=teams): for the vendor manager comparing in-house and
// outsourced teams. One table, grouped by the teams' `vendor` label, then `market` (teams
// without one under "no vendor" / "no market", listed last); each group's row adds up its
// teams' counts before dividing (never an average of ratios). Per row: CSAT (red below
// 70 %), NPS, quality score, AHT m:ss, handled, escalation rate, agents on contact (BUSY)
// and available, in the chosen window. Rows carry data-row (vendor, market, team) and data-id;
// numbers data-team (a team) or data-group (vendor, or vendor/market), and data-f.
#include "render/wallboard_views.h"

namespace floorwatch::wallboard {
namespace {

constexpr std::string_view kStyle = R"html(
  .team-table { flex:1 1 auto; padding:0 0.8vh; overflow:hidden; }
  table.wide tr.vendor td { background:var(--tile); }
  table.wide tr.market td:first-child { padding-left:1.6vw; color:var(--dim); }
  table.wide tr.team td:first-child { padding-left:3.2vw; font-weight:normal; }
)html";

constexpr std::string_view kScript = R"html(
const NO_VENDOR = "no vendor", NO_MARKET = "no market";
// The "no ..." group sorts last, the rest by name.
function groupOrder(none) { return (a, b) => (a === none) - (b === none) || a.localeCompare(b); }

// A group's figures from its teams' counts: sums first, then the ratios and means.
function addUp(teams, label) {
  const s = {handled: 0, aht: 0, csat_n: 0, csat_ok: 0, nps_n: 0, nps_net: 0, evaluated: 0, score: 0,
             escalated: 0, on_contact: 0, available: 0};
  for (const t of teams) {
    const w = t.windows[label] || {};
    s.handled += w.handled || 0;
    s.aht += w.handled ? w.aht_seconds * w.handled : 0;
    s.csat_n += w.csat_responses || 0; s.csat_ok += w.csat_satisfied || 0;
    s.nps_n += w.nps_responses || 0; s.nps_net += (w.nps_promoters || 0) - (w.nps_detractors || 0);
    s.evaluated += w.evaluated || 0;
    s.score += w.evaluated ? w.quality_score * w.evaluated : 0;
    s.escalated += w.escalated || 0;
    s.on_contact += t.agents.on_contact; s.available += t.agents.available;
  }
  const ratio = (a, b) => b ? a / b : null;
  return {csat_ratio: ratio(s.csat_ok, s.csat_n), nps: ratio(100 * s.nps_net, s.nps_n),
          quality_score: ratio(s.score, s.evaluated), aht_seconds: ratio(s.aht, s.handled),
          handled: s.handled, escalation_ratio: ratio(s.escalated, s.handled),
          on_contact: s.on_contact, available: s.available};
}
function teamFigures(t, label) {
  const w = t.windows[label] || {};
  return {csat_ratio: w.csat_ratio, nps: w.nps, quality_score: w.quality_score, aht_seconds: w.aht_seconds,
          handled: w.handled, escalation_ratio: w.escalation_ratio,
          on_contact: t.agents.on_contact, available: t.agents.available};
}
const round = v => v === null || v === undefined ? "–" : v.toFixed(0);

// kind: vendor, market or team; data: the data-* of its numbers.
function teamRow(table, kind, id, name, f, data) {
  const row = table.insertRow();
  row.className = kind;
  row.dataset.row = kind; row.dataset.id = id;
  row.insertCell().textContent = name;
  const low = f.csat_ratio !== null && f.csat_ratio !== undefined && f.csat_ratio < 0.7;
  row.append(figure("td", data, "csat", pct(f.csat_ratio), low ? "bad" : ""),
             figure("td", data, "nps", round(f.nps)),
             figure("td", data, "quality", round(f.quality_score)),
             figure("td", data, "aht", mmss(f.aht_seconds)),
             figure("td", data, "handled", num(f.handled)),
             figure("td", data, "escalation", pct(f.escalation_ratio)),
             figure("td", data, "on_contact", num(f.on_contact)),
             figure("td", data, "available", num(f.available)));
}

// vendor -> market -> teams, each level sorted.
function groupTeams(teams) {
  const vendors = new Map();
  for (const t of teams) {
    const v = t.labels.vendor || NO_VENDOR, m = t.labels.market || NO_MARKET;
    if (!vendors.has(v)) vendors.set(v, new Map());
    const markets = vendors.get(v);
    if (!markets.has(m)) markets.set(m, []);
    markets.get(m).push(t);
  }
  return [...vendors.keys()].sort(groupOrder(NO_VENDOR)).map(v => {
    const markets = vendors.get(v);
    return [v, [...markets.keys()].sort(groupOrder(NO_MARKET)).map(m =>
      [m, markets.get(m).sort((a, b) => a.team.localeCompare(b.team))])];
  });
}

function renderTeams(data) {
  const board = document.getElementById("board");
  const teams = data.teams.filter(t => labelsMatch(t.labels));
  const label = windowLabel(teams.length ? teams[0].windows : null);
  VIEWS.teams.caption = label ? "window " + label : "";
  if (!teams.length) {
    board.replaceChildren(Object.assign(document.createElement("div"), {className: "empty", textContent: "No teams"}));
    return;
  }
  const groups = groupTeams(teams);
  const rows = teams.length + groups.reduce((n, [, markets]) => n + 1 + markets.length, 0);
  const table = wideTable(["Team", "CSAT", "NPS", "Quality", "AHT", "Handled", "Esc", "Busy", "Avail"], rows, 90);
  for (const [vendor, markets] of groups) {
    teamRow(table, "vendor", vendor, vendor, addUp(markets.flatMap(([, ts]) => ts), label), {group: vendor});
    for (const [market, members] of markets) {
      const id = vendor + "/" + market;
      teamRow(table, "market", id, market, addUp(members, label), {group: id});
      for (const t of members) teamRow(table, "team", t.team, t.team, teamFigures(t, label), {team: t.team});
    }
  }
  const box = document.createElement("div");
  box.className = "team-table";
  box.append(table);
  board.replaceChildren(box);
}
VIEWS.teams = {title: "teams", urls: ["api/v1/teams"], render: renderTeams};
)html";

}  // namespace

ViewPart TeamsView() { return {kStyle, kScript}; }

}  // namespace floorwatch::wallboard
