// ResolutionModel: its part of /metrics and /api/v1/queues.
#include <string>
#include <vector>

#include "floorwatch/core/models/resolution_model.h"

namespace floorwatch {

void ResolutionModel::RenderMetrics(MetricWriter& w, int64_t) const {
  const auto& labels = directory_.labels();
  std::array<std::string, kAbandonReasonCount> reason_labels;  // `,reason="customer"` etc.
  for (size_t k = 0; k < reason_labels.size(); ++k) {
    reason_labels[k].assign(",reason=\"").append(kAbandonReasonNames[k]) += '"';
  }
  std::string l;
  w.Family("floorwatch_queue_abandoned_by_reason_total", "counter",
           "Contacts abandoned, by the reason the source gave (customer when it gave none).");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    // Every reason for every queue/channel, zeros included, so rates never start from a gap.
    for (size_t k = 0; k < reason_labels.size(); ++k) {
      l.assign(labels[i]).append(reason_labels[k]);
      w.Sample("floorwatch_queue_abandoned_by_reason_total", l,
               double(per_qc_[i].abandoned_by_reason[k]));
    }
  }
  directory_.RenderPerWindow(
      w, "floorwatch_queue_resolution_seconds",
      "Mean time from first queued to ended, across transfers, of contacts resolved in the "
      "window.",
      [&](uint32_t qc, size_t win) { return WindowCounts(qc, win).MeanResolutionSeconds(); });
}

void ResolutionModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t) const {
  JsonObject reasons(o.out(), "abandoned_by_reason");
  for (size_t k = 0; k < kAbandonReasonCount; ++k) {
    reasons.Number(kAbandonReasonNames[k], double(per_qc_[qc].abandoned_by_reason[k]));
  }
  reasons.Close();
}

void ResolutionModel::WindowOutcomes(uint32_t qc, size_t window,
                                     std::vector<OutcomeCount>& out) const {
  const ResolutionCounts& c = WindowCounts(qc, window);
  out.push_back({"transferred_in", double(c.transferred_in)});
  out.push_back({"resolved", double(c.resolved)});
}

void ResolutionModel::RenderWindowJson(JsonObject& o, uint32_t qc, size_t window) const {
  o.Number("resolution_seconds", WindowCounts(qc, window).MeanResolutionSeconds());
}

}  // namespace floorwatch
