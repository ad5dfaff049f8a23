// EscalationsModel: its part of /metrics, /api/v1/queues and /api/v1/escalations.
#include "floorwatch/core/models/escalations_model.h"

namespace floorwatch {
namespace {

// Scrape time - the earliest opening ts; 0 when none is open (or it lies ahead).
double OldestSeconds(const std::multiset<int64_t>& open, int64_t now_ms) {
  return open.empty() || now_ms <= *open.begin() ? 0 : double(now_ms - *open.begin()) / 1000.0;
}

}  // namespace

void EscalationsModel::RenderOpen(MetricWriter& w, int64_t now_ms) const {
  const auto& labels = directory_.labels();
  std::string l;
  w.Family("floorwatch_queue_escalations_open", "gauge",
           "Open escalations whose contact is in this queue/channel now, by tier.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    for (const auto& [tier, n] : per_qc_[i].open_by_tier) {
      l.assign(labels[i]).append(",tier=\"").append(std::to_string(tier)) += '"';
      w.Sample("floorwatch_queue_escalations_open", l, double(n));
    }
  }
  w.Family("floorwatch_queue_oldest_escalation_seconds", "gauge",
           "Age of the oldest open escalation here, from its opening ts (a raise keeps it); 0 "
           "when none.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_oldest_escalation_seconds", labels[i], OldestOpenSeconds(i, now_ms));
  }
  w.Family("floorwatch_queue_escalations_total", "counter",
           "Escalations opened or raised here, by tier and reason.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    for (const auto& [key, n] : per_qc_[i].total) {
      l.assign(labels[i]).append(",tier=\"").append(std::to_string(key.first));
      l.append("\",reason=\"");
      AppendLabelValue(l, key.second);
      l += '"';
      w.Sample("floorwatch_queue_escalations_total", l, double(n));
    }
  }
}

void EscalationsModel::RenderTeams(MetricWriter& w, int64_t now_ms) const {
  std::string l;
  w.Family("floorwatch_escalations_open", "gauge",
           "Open escalations by the team named when they opened (none when absent), by tier.");
  for (size_t t = 0; t < per_team_.size(); ++t) {
    for (const auto& [tier, n] : per_team_[t].open_by_tier) {
      l.assign("team=\"");
      AppendLabelValue(l, team_names_[t]);
      l.append("\",tier=\"").append(std::to_string(tier)) += '"';
      w.Sample("floorwatch_escalations_open", l, double(n));
    }
  }
  w.Family("floorwatch_escalations_oldest_open_seconds", "gauge",
           "Age of the team's oldest open escalation, from its opening ts; 0 when none.");
  for (size_t t = 0; t < per_team_.size(); ++t) {
    if (per_team_[t].open_by_tier.empty()) continue;  // a team never escalated to
    l.assign("team=\"");
    AppendLabelValue(l, team_names_[t]);
    l += '"';
    w.Sample("floorwatch_escalations_oldest_open_seconds", l,
             OldestSeconds(per_team_[t].open, now_ms));
  }
}

void EscalationsModel::RenderWindowFigures(MetricWriter& w) const {
  struct Family {
    const char* name;
    const char* help;
    size_t measure;
  };
  static constexpr Family kFamilies[] = {
      {"floorwatch_queue_escalation_ratio",
       "Contacts escalated in the window / contacts handled in it.", 2},
      {"floorwatch_queue_escalation_resolution_seconds",
       "Mean of (end ts - opening ts) of escalations closed resolved in the window.", 3}};
  for (const Family& f : kFamilies) {
    directory_.RenderPerWindow(w, f.name, f.help, [&](uint32_t qc, size_t win) {
      return Measure(f.measure, qc, win, 0).value;
    });
  }
}

void EscalationsModel::RenderMetrics(MetricWriter& w, int64_t now_ms) const {
  RenderOpen(w, now_ms);
  RenderTeams(w, now_ms);
  RenderWindowFigures(w);
}

void EscalationsModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t now_ms) const {
  JsonObject open(o.out(), "escalations_open");
  for (const auto& [tier, n] : per_qc_[qc].open_by_tier) open.Number(std::to_string(tier), n);
  open.Close();
  o.Number("oldest_escalation_seconds", OldestOpenSeconds(qc, now_ms));
}

void EscalationsModel::WindowOutcomes(uint32_t qc, size_t window,
                                      std::vector<OutcomeCount>& out) const {
  const EscalationTally& t = WindowTally(qc, window);
  out.push_back({"escalated", double(t.escalated)});
  out.push_back({"escalation_resolved", double(t.resolved)});
}

void EscalationsModel::RenderWindowJson(JsonObject& o, uint32_t qc, size_t window) const {
  o.Number("escalation_ratio", Measure(2, qc, window, 0).value);
  o.Number("escalation_resolution_seconds", Measure(3, qc, window, 0).value);
}

void EscalationsModel::RenderEscalationTeamsJson(std::string& out, int64_t now_ms) const {
  for (size_t t = 0; t < per_team_.size(); ++t) {
    if (per_team_[t].open_by_tier.empty()) continue;  // never escalated to, as in /metrics
    JsonObject o(out);
    o.String("team", team_names_[t]);
    JsonObject open(out, "escalations_open");
    for (const auto& [tier, n] : per_team_[t].open_by_tier) open.Number(std::to_string(tier), n);
    open.Close();
    o.Number("oldest_escalation_seconds", OldestSeconds(per_team_[t].open, now_ms));
    o.Close();
  }
}

bool EscalationsModel::HasEscalations(uint32_t qc) const {
  if (OpenIn(qc) > 0) return true;
  for (size_t win = 0; win < config_.windows.size(); ++win) {
    const EscalationTally& t = WindowTally(qc, win);
    if (t.escalated != 0 || t.resolved != 0) return true;
  }
  return false;
}

}  // namespace floorwatch
