// RepliesModel: its part of /metrics, /api/v1/queues and the alert measures.
#include <limits>
#include <string>

#include "floorwatch/core/models/replies_model.h"

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr MeasureDef kMeasures[] = {
    {"awaiting_reply_contacts", false, MeasureUnit::kCount},
    {"oldest_awaiting_reply_seconds", false, MeasureUnit::kSeconds},
    {"reply_seconds", true, MeasureUnit::kSeconds},
    {"first_response_seconds", true, MeasureUnit::kSeconds},
};

// A mean of milliseconds in seconds; NaN when it rests on nothing.
double MeanSeconds(int64_t sum_ms, int64_t count) {
  return count == 0 ? kNaN : double(sum_ms) / 1000.0 / double(count);
}
double ReplySeconds(const ReplyTally& t) { return MeanSeconds(t.reply_ms, t.replied); }
double FirstResponseSeconds(const ReplyTally& t) {
  return MeanSeconds(t.first_response_ms, t.first_responded);
}

struct MeanFamily {
  const char* name;
  const char* help;
  double (*value)(const ReplyTally& t);
};
constexpr MeanFamily kMeans[] = {
    {"floorwatch_queue_reply_seconds",
     "Mean time from a customer message to the agent reply that answered it, of replies in the "
     "window.",
     &ReplySeconds},
    {"floorwatch_queue_first_response_seconds",
     "Mean time from a contact's first queueing to its first agent message, of first responses "
     "in the window.",
     &FirstResponseSeconds},
};

}  // namespace

const ReplyTally& RepliesModel::WindowTally(uint32_t qc, size_t window) const {
  return WindowOf(per_qc_[qc].windows, config_.windows, window, zero_tally_);
}

void RepliesModel::RenderInstant(MetricWriter& w, int64_t now_ms) const {
  const auto& labels = directory_.labels();
  w.Family("floorwatch_queue_awaiting_reply_contacts", "gauge",
           "Contacts here with a customer message awaiting an agent's reply.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_awaiting_reply_contacts", labels[i], double(per_qc_[i].open));
  }
  w.Family("floorwatch_queue_oldest_awaiting_reply_seconds", "gauge",
           "Age of the oldest customer message here still awaiting an agent's reply (0 when "
           "none).");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_oldest_awaiting_reply_seconds", labels[i],
             OldestAwaitingSeconds(i, now_ms));
  }
}

void RepliesModel::RenderMeans(MetricWriter& w) const {
  for (const MeanFamily& m : kMeans) {
    directory_.RenderPerWindow(
        w, m.name, m.help, [&](uint32_t qc, size_t win) { return m.value(WindowTally(qc, win)); });
  }
}

void RepliesModel::RenderMetrics(MetricWriter& w, int64_t now_ms) const {
  RenderInstant(w, now_ms);
  RenderMeans(w);
}

void RepliesModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t now_ms) const {
  o.Number("awaiting_reply_contacts", double(per_qc_[qc].open));
  o.Number("oldest_awaiting_reply_seconds", OldestAwaitingSeconds(qc, now_ms));
}

void RepliesModel::WindowOutcomes(uint32_t qc, size_t window,
                                  std::vector<OutcomeCount>& out) const {
  const ReplyTally& t = WindowTally(qc, window);
  out.push_back({"replied", double(t.replied)});
  out.push_back({"first_responded", double(t.first_responded)});
}

void RepliesModel::RenderWindowJson(JsonObject& o, uint32_t qc, size_t window) const {
  const ReplyTally& t = WindowTally(qc, window);
  o.Number("reply_seconds", ReplySeconds(t));
  o.Number("first_response_seconds", FirstResponseSeconds(t));
}

std::span<const MeasureDef> RepliesModel::MeasureDefs() { return kMeasures; }

Reading RepliesModel::Measure(size_t measure, uint32_t qc, size_t window, int64_t now_ms) const {
  const int64_t open = per_qc_[qc].open;
  switch (measure) {
    case 0:
      return {double(open), open};
    case 1:
      return {OldestAwaitingSeconds(qc, now_ms), open};
    default:
      break;
  }
  if (window >= config_.windows.size()) return {kNaN, 0};
  const ReplyTally& t = WindowTally(qc, window);
  if (measure == 2) return {ReplySeconds(t), t.replied};
  return {FirstResponseSeconds(t), t.first_responded};
}

}  // namespace floorwatch
