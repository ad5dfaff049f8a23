// TeamsModel: its part of /metrics and /api/v1/teams, and its snapshot section.
#include <cmath>
#include <limits>
#include <map>

#include "floorwatch/core/models/teams_model.h"

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double Ratio(double num, double den) { return den == 0 ? kNaN : num / den; }

struct TeamOutcome {
  std::string_view name;
  int64_t TeamTally::*field;
};
constexpr TeamOutcome kOutcomes[] = {
    {"handled", &TeamTally::handled},
    {"escalated", &TeamTally::escalated},
    {"surveyed", &TeamTally::surveyed},
    {"csat_responses", &TeamTally::csat_responses},
    {"csat_satisfied", &TeamTally::csat_satisfied},
    {"nps_responses", &TeamTally::nps_responses},
    {"nps_promoters", &TeamTally::nps_promoters},
    {"nps_detractors", &TeamTally::nps_detractors},
    {"evaluated", &TeamTally::evaluated},
    {"quality_passed", &TeamTally::quality_passed},
};

struct Figure {
  const char* name;
  const char* help;
  double (*value)(const TeamTally&);
};
constexpr Figure kFigures[] = {
    {"floorwatch_team_aht_seconds", "Mean (talk + after-contact work) of the team's segments.",
     [](const TeamTally& t) { return Ratio((t.talk_ms + t.acw_ms) / 1000.0, t.handled); }},
    {"floorwatch_team_csat_ratio", "Satisfied (CSAT 4 or 5) / CSAT answers for the team.",
     [](const TeamTally& t) { return Ratio(t.csat_satisfied, t.csat_responses); }},
    {"floorwatch_team_nps", "100 x (promoters - detractors) / NPS answers for the team.",
     [](const TeamTally& t) {
       return Ratio(100.0 * double(t.nps_promoters - t.nps_detractors), t.nps_responses);
     }},
    {"floorwatch_team_quality_score", "Mean score (0..100) of the team's evaluations.",
     [](const TeamTally& t) { return Ratio(t.score_milli / 1000.0, t.evaluated); }},
    {"floorwatch_team_escalation_ratio", "Escalations opened on the team's contacts / handled.",
     [](const TeamTally& t) { return Ratio(t.escalated, t.handled); }},
};

}  // namespace

void TeamsModel::RenderInfo(MetricWriter& w) const {
  std::string l;
  w.Family("floorwatch_team_info", "gauge", "The team's configured labels, for PromQL joins.");
  for (const TeamConfig& t : config_.teams) {
    l.assign("team=\"");
    AppendLabelValue(l, t.id);
    l += '"';
    for (const auto& [k, v] : t.labels) {
      l.append(",").append(k).append("=\"");
      AppendLabelValue(l, v);
      l += '"';
    }
    w.Sample("floorwatch_team_info", l, 1);
  }
  const std::vector<AgentsModel::StateCounts> agents = AgentsByTeam();
  w.Family("floorwatch_team_agents", "gauge", "Logged-in agents of the team, by state.");
  for (size_t t = 0; t < teams_.size(); ++t) {
    for (int s = 0; s < kAgentStateCount; ++s) {
      l.assign("team=\"");
      AppendLabelValue(l, teams_[t].id);
      l.append("\",state=\"").append(kAgentStateNames[s]) += '"';
      w.Sample("floorwatch_team_agents", l, double(agents[t][s]));
    }
  }
}

std::vector<AgentsModel::StateCounts> TeamsModel::AgentsByTeam() const {
  std::vector<AgentsModel::StateCounts> agents(teams_.size());
  agents_.agents().ForEach([&](uint32_t, const Agent& a) {
    const uint32_t team = FindTeam(a.team);
    if (team != kNoTeam) ++agents[team][static_cast<int>(a.state)];
  });
  return agents;
}

void TeamsModel::RenderWindows(MetricWriter& w) const {
  std::string l;
  w.Family("floorwatch_team_window_contacts", "gauge",
           "The team's outcomes in the window, each counted at its own event time.");
  for (size_t t = 0; t < teams_.size(); ++t) {
    for (size_t win = 0; win < config_.windows.size(); ++win) {
      const TeamTally& tally = WindowTally(static_cast<uint32_t>(t), win);
      l.assign("floorwatch_team_window_contacts{team=\"");  // the head the outcomes share
      AppendLabelValue(l, teams_[t].id);
      l.append("\",window=\"");
      AppendLabelValue(l, config_.windows[win].label);
      l.append("\",outcome=\"");
      for (const TeamOutcome& o : kOutcomes) w.SampleWithHead(l, o.name, double(tally.*o.field));
    }
  }
  for (const Figure& f : kFigures) {
    w.Family(f.name, "gauge", f.help);
    for (size_t t = 0; t < teams_.size(); ++t) {
      for (size_t win = 0; win < config_.windows.size(); ++win) {
        l.assign("team=\"");
        AppendLabelValue(l, teams_[t].id);
        l.append("\",window=\"");
        AppendLabelValue(l, config_.windows[win].label);
        l += '"';
        w.Sample(f.name, l, f.value(WindowTally(static_cast<uint32_t>(t), win)));
      }
    }
  }
}

void TeamsModel::RenderMetrics(MetricWriter& w, int64_t) const {
  RenderInfo(w);
  RenderWindows(w);
}

void TeamsModel::RenderTeamsJson(std::string& out, int64_t) const {
  std::map<std::string_view, const TeamConfig*> configured;
  for (const TeamConfig& t : config_.teams) configured.emplace(t.id, &t);
  const std::vector<AgentsModel::StateCounts> agents = AgentsByTeam();
  constexpr std::string_view kPrefix = "floorwatch_team_";  // the JSON name is the rest
  for (size_t t = 0; t < teams_.size(); ++t) {
    JsonObject o(out);
    o.String("team", teams_[t].id);
    JsonObject labels(out, "labels");
    const auto found = configured.find(teams_[t].id);
    if (found != configured.end()) {
      for (const auto& [k, v] : found->second->labels) labels.String(k, v);
    }
    labels.Close();
    JsonObject by_state(out, "agents");
    for (int s = 0; s < kAgentStateCount; ++s) by_state.Number(kAgentStateNames[s], agents[t][s]);
    by_state.Close();
    JsonObject windows(out, "windows");
    for (size_t win = 0; win < config_.windows.size(); ++win) {
      JsonObject one(out, config_.windows[win].label);
      const TeamTally& tally = WindowTally(static_cast<uint32_t>(t), win);
      for (const TeamOutcome& c : kOutcomes) one.Number(c.name, double(tally.*c.field));
      for (const Figure& f : kFigures) {
        one.Number(std::string_view(f.name).substr(kPrefix.size()), f.value(tally));
      }
      one.Close();
    }
    windows.Close();
    o.Close();
  }
}

// Snapshot section "teams", version 2: u64 n + n x i64 rolling window seconds; u64 t teams,
// each: str id, its windows; u64 k + k x (str contact id, u8 escalated). Version 1 also held
// each contact's segment teams and the teams of closed contacts (now the closed_contacts
// section's): not read, a snapshot holding it is refused (they were never released).
void TeamsModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(teams_.size());
  for (const Team& t : teams_) {
    w.Str(t.id);
    t.windows.Save(w);
  }
  uint64_t kept = 0;
  for (uint32_t s = 0; s < by_contact_.size(); ++s) kept += contacts_.contacts().InUse(s);
  w.U64(kept);
  for (uint32_t s = 0; s < by_contact_.size(); ++s) {
    if (!contacts_.contacts().InUse(s)) continue;
    w.Str(contacts_.contacts()[s].id);
    w.U8(by_contact_[s].escalated);
  }
}

bool TeamsModel::Load(BinaryReader& r, uint32_t, const LoadContext&) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
  const uint64_t teams = r.Count(4 + 8);
  for (uint64_t i = 0; i < teams && !r.failed(); ++i) {
    const uint32_t team = TeamOf(r.Str());
    Windows<TeamTally> scratch(RollingSeconds());
    if (!(team == kNoTeam ? scratch : teams_[team].windows).Load(r, same_windows)) return false;
  }
  const uint64_t k = r.Count(4 + 1);
  for (uint64_t i = 0; i < k && !r.failed(); ++i) {
    const uint32_t slot = contacts_.contacts().Find(r.Str());
    const PerContact c{r.U8() != 0};
    if (slot != kNoSlot) Slot(slot) = c;
  }
  return !r.failed();
}

}  // namespace floorwatch
