// StaffingModel: its part of /metrics and /api/v1/queues.
#include <string>

#include "floorwatch/core/models/staffing_model.h"

namespace floorwatch {
namespace {

struct Gauge {
  const char* name;
  const char* help;
  double (*value)(const StaffingFigures& f);
};

constexpr Gauge kGauges[] = {
    {"floorwatch_queue_required_agents",
     "Agents Erlang C needs to meet the service-level goal at the staffing window's demand.",
     [](const StaffingFigures& f) { return f.required_agents; }},
    {"floorwatch_queue_staffed_agents",
     "Member agents available, on a contact or in after-contact work, with slots on the channel.",
     [](const StaffingFigures& f) { return double(f.staffed_agents); }},
    {"floorwatch_queue_staffing_gap_agents",
     "Required minus staffed agents (positive: short of people).",
     [](const StaffingFigures& f) { return f.gap_agents; }},
    {"floorwatch_queue_estimated_wait_seconds",
     "Estimated wait of a contact joining the queue now.",
     [](const StaffingFigures& f) { return f.estimated_wait_seconds; }},
};

}  // namespace

void StaffingModel::RenderMetrics(MetricWriter& w, int64_t) const {
  const std::vector<std::string>& labels = directory_.labels();
  for (const Gauge& g : kGauges) {
    w.Family(g.name, "gauge", g.help);
    for (uint32_t qc = 0; qc < labels.size(); ++qc)
      w.Sample(g.name, labels[qc], g.value(Figures(qc)));
  }
  w.Family("floorwatch_queue_agent_slots", "gauge",
           "Slots of the staffed agents on the channel (total) and their connected contacts "
           "on it, in any queue (used).");
  std::string l;
  for (uint32_t qc = 0; qc < labels.size(); ++qc) {
    const StaffingFigures& f = Figures(qc);
    l.assign(labels[qc]).append(",state=\"total\"");
    w.Sample("floorwatch_queue_agent_slots", l, double(f.slots));
    l.assign(labels[qc]).append(",state=\"used\"");
    w.Sample("floorwatch_queue_agent_slots", l, double(f.used_slots));
  }
}

void StaffingModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t) const {
  const StaffingFigures& f = Figures(qc);
  JsonObject staffing(o.out(), "staffing");
  staffing.Number("required_agents", f.required_agents);
  staffing.Number("staffed_agents", double(f.staffed_agents));
  staffing.Number("staffing_gap_agents", f.gap_agents);
  staffing.Number("estimated_wait_seconds", f.estimated_wait_seconds);
  JsonObject slots(o.out(), "agent_slots");
  slots.Number("total", double(f.slots));
  slots.Number("used", double(f.used_slots));
  slots.Close();
  staffing.Close();
}

}  // namespace floorwatch
