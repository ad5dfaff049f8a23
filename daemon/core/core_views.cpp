// The JSON of the wallboard's views (/api/v1/teams, /api/v1/escalations): the Core puts the
// models' parts together, as RenderQueuesJson does for /api/v1/queues. Core thread.
#include <algorithm>
#include <array>

#include "floorwatch/core/core.h"

namespace floorwatch {
namespace {

// The window counts the desk reads, of those the models render for /api/v1/queues: what
// its escalation figures rest on. The rest of a window's counts are for the queue view.
constexpr std::array<std::string_view, 4> kDeskOutcomes = {
    "handled", "escalated", "repeat_escalated", "escalation_resolved"};

void OpenDocument(std::string& out, int64_t now_ms) {
  out.clear();  // keeps the capacity of a reused buffer
  out += "{\"time\":";
  AppendValue(out, double(now_ms) / 1000.0);
}

// Ends an array whose elements each ended with ','.
void CloseArray(std::string& out) {
  if (out.back() == ',') out.pop_back();
  out += ']';
}

}  // namespace

void Core::RenderQueueIdentity(JsonObject& o, uint32_t qc) const {
  const Queue& q = directory_.QueueOf(qc);
  o.String("queue", q.id);
  o.String("channel", ChannelName(directory_[qc].channel));
  JsonObject labels(o.out(), "labels");
  for (const auto& [k, v] : q.labels) labels.String(k, v);
  labels.Close();
}

void Core::RenderTeamsJson(std::string& out, int64_t now_ms) const {
  OpenDocument(out, now_ms);
  out += ",\"teams\":[";
  models_.teams.RenderTeamsJson(out, now_ms);
  CloseArray(out);
  out += '}';
}

void Core::RenderDeskQueueJson(std::string& out, uint32_t qc, int64_t now_ms) const {
  JsonObject o(out);
  RenderQueueIdentity(o, qc);
  models_.escalations.RenderQueueJson(o, qc, now_ms);
  JsonObject windows(out, "windows");
  std::vector<OutcomeCount> outcomes;
  for (size_t win = 0; win < config_.windows.size(); ++win) {
    JsonObject one(out, config_.windows[win].label);
    outcomes.clear();
    for (const Model* m : models_.all()) m->WindowOutcomes(qc, win, outcomes);
    for (std::string_view name : kDeskOutcomes) {
      const auto it = std::find_if(outcomes.begin(), outcomes.end(),
                                   [&](const OutcomeCount& c) { return c.outcome == name; });
      if (it != outcomes.end()) one.Number(name, it->value);
    }
    models_.escalations.RenderWindowJson(one, qc, win);
    one.Close();
  }
  windows.Close();
  o.Close();
}

void Core::RenderEscalationsJson(std::string& out, int64_t now_ms) const {
  OpenDocument(out, now_ms);
  out += ",\"teams\":[";
  models_.escalations.RenderEscalationTeamsJson(out, now_ms);
  CloseArray(out);
  out += ",\"queues\":[";
  for (uint32_t i = 0; i < directory_.size(); ++i) {
    if (models_.escalations.HasEscalations(i)) RenderDeskQueueJson(out, i, now_ms);
  }
  CloseArray(out);
  out += '}';
}

}  // namespace floorwatch
