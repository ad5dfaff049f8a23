// Core: /metrics, whole or in parts (core.h says what a part is and why there are parts).
#include <algorithm>

#include "floorwatch/core/core.h"

namespace floorwatch {
namespace {

size_t WindowRanges(size_t queue_channels) {
  return (queue_channels + Core::kWindowRowsPerPart - 1) / Core::kWindowRowsPerPart;
}

}  // namespace

size_t Core::MetricParts() const {
  // The models, one range of window rows at least (its HELP and TYPE are always there), the
  // last families.
  return models_.all().size() + std::max<size_t>(1, WindowRanges(directory_.size())) + 1;
}

void Core::RenderMetricsPart(MetricWriter& w, size_t part, int64_t now_ms) const {
  const auto models = models_.all();
  if (part < models.size()) return models[part]->RenderMetrics(w, now_ms);
  part -= models.size();
  if (part + 1 == MetricParts() - models.size()) return RenderLastFamilies(w);
  const uint32_t first = static_cast<uint32_t>(part) * kWindowRowsPerPart;
  const uint32_t end =
      std::min<uint32_t>(first + kWindowRowsPerPart, static_cast<uint32_t>(directory_.size()));
  RenderWindowOutcomes(w, first, end);
}

void Core::RenderMetrics(MetricWriter& w, int64_t now_ms) const {
  for (size_t part = 0; part < MetricParts(); ++part) RenderMetricsPart(w, part, now_ms);
}

void Core::RenderLastFamilies(MetricWriter& w) const {
  std::vector<OutcomeCount> forgotten;
  for (const Model* m : models_.all()) m->ForgottenCounts(forgotten);
  w.Family("floorwatch_outcomes_forgotten_total", "counter",
           "Remembered entries forgotten because their limit was reached, oldest first, by kind.");
  std::string l;
  for (const OutcomeCount& f : forgotten) {
    l.assign("kind=\"").append(f.outcome) += '"';
    w.Sample("floorwatch_outcomes_forgotten_total", l, f.value);
  }
  w.Family("floorwatch_queue_info", "gauge", "The queue's configured labels, for PromQL joins.");
  directory_.queues().ForEach([&](uint32_t slot, const Queue& q) {
    l.assign(directory_.queue_label(slot));
    for (const auto& [k, v] : q.labels) {
      l.append(",").append(k).append("=\"");
      AppendLabelValue(l, v);
      l += '"';
    }
    w.Sample("floorwatch_queue_info", l, 1);
  });
}

// floorwatch_queue_window_contacts: one family, outcomes from every model that counts some.
void Core::RenderWindowOutcomes(MetricWriter& w, uint32_t first, uint32_t end) const {
  if (first == 0) {
    w.Family("floorwatch_queue_window_contacts", "gauge",
             "Contacts in the window, by outcome (each counted at its own event time).");
  }
  std::vector<std::string> window_labels;  // `,window="15m",outcome="` etc.
  for (const WindowSpec& spec : config_.windows) {
    std::string s = ",window=\"";
    AppendLabelValue(s, spec.label);
    window_labels.push_back(s + "\",outcome=\"");
  }
  std::vector<OutcomeCount> outcomes;
  std::string head;  // the line up to the outcome's value, shared by a row's outcomes
  for (uint32_t i = first; i < end; ++i) {
    for (size_t win = 0; win < window_labels.size(); ++win) {
      outcomes.clear();
      for (const Model* m : models_.all()) m->WindowOutcomes(i, win, outcomes);
      head.assign("floorwatch_queue_window_contacts{").append(directory_.labels()[i]);
      head.append(window_labels[win]);
      for (const OutcomeCount& o : outcomes) w.SampleWithHead(head, o.outcome, o.value);
    }
  }
}

}  // namespace floorwatch
