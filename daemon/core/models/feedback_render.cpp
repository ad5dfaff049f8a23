// FeedbackModel: its part of /metrics and /api/v1/queues, and its snapshot section.
#include "floorwatch/core/models/feedback_model.h"

namespace floorwatch {
namespace {

constexpr std::string_view kOutcomes[] = {
    "surveyed",       "csat_responses",     "csat_satisfied", "nps_responses", "nps_promoters",
    "nps_detractors", "resolved_responses", "resolved_yes",   "evaluated",     "quality_passed"};

struct Family {
  const char* name;
  const char* json;
  const char* help;
};
constexpr Family kFamilies[] = {
    // in MeasureDefs() order
    {"floorwatch_queue_feedback_ratio", "feedback_ratio",
     "Surveys / resolved contacts in the window (the share of finished contacts that gave "
     "feedback)."},
    {"floorwatch_queue_csat_ratio", "csat_ratio",
     "Satisfied (CSAT 4 or 5) / CSAT answers in the window."},
    {"floorwatch_queue_nps", "nps", "100 x (promoters - detractors) / NPS answers in the window."},
    {"floorwatch_queue_survey_resolved_ratio", "survey_resolved_ratio",
     "Customers who said their issue was resolved / those who answered, in the window."},
    {"floorwatch_queue_quality_score", "quality_score",
     "Mean score (0..100) of quality evaluations in the window."},
    {"floorwatch_queue_quality_pass_ratio", "quality_pass_ratio",
     "Evaluations passed / evaluations in the window."},
};

}  // namespace

void FeedbackModel::RenderMetrics(MetricWriter& w, int64_t) const {
  const auto& labels = directory_.labels();
  w.Family("floorwatch_queue_surveys_total", "counter", "Surveys attributed here.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_surveys_total", labels[i], double(per_qc_[i].surveys));
  }
  w.Family("floorwatch_queue_evaluations_total", "counter", "Quality evaluations attributed here.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_evaluations_total", labels[i], double(per_qc_[i].evaluations));
  }
  for (size_t f = 0; f < std::size(kFamilies); ++f) {
    directory_.RenderPerWindow(
        w, kFamilies[f].name, kFamilies[f].help,
        [&](uint32_t qc, size_t win) { return Measure(f, qc, win, 0).value; });
  }
}

void FeedbackModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t) const {
  o.Number("surveys_total", double(per_qc_[qc].surveys));
  o.Number("evaluations_total", double(per_qc_[qc].evaluations));
}

void FeedbackModel::WindowOutcomes(uint32_t qc, size_t window,
                                   std::vector<OutcomeCount>& out) const {
  const FeedbackTally& t = WindowTally(qc, window);
  for (size_t k = 0; k < std::size(kOutcomes); ++k)
    out.push_back({kOutcomes[k], double(t.begin()[k])});
}

void FeedbackModel::RenderWindowJson(JsonObject& o, uint32_t qc, size_t window) const {
  for (size_t f = 0; f < std::size(kFamilies); ++f) {
    o.Number(kFamilies[f].json, Measure(f, qc, window, 0).value);
  }
}

void FeedbackModel::ForgottenCounts(std::vector<OutcomeCount>& out) const {
  out.push_back({"closed_contact", double(closed_.forgotten())});
}

// Snapshot section "feedback", version 1: u64 n + n x i64 rolling window seconds; u64
// forgotten; u64 c + c x (u64 contact hash, u32 queue/channel, i64 closed), oldest first; u64
// q queue/channels in the "queues" order, each: u64 surveys, u64 evaluations, its windows.
void FeedbackModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(closed_.forgotten());
  w.U64(closed_.size());
  closed_.ForEachOldestFirst([&](uint64_t contact, const Closed& c) {
    w.U64(contact);
    w.U32(c.queue_channel);
    w.I64(c.stamp);
  });
  w.U64(per_qc_.size());
  for (const PerQc& q : per_qc_) {
    w.U64(q.surveys);
    w.U64(q.evaluations);
    q.windows.Save(w);
  }
}

bool FeedbackModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
  closed_.set_forgotten(r.U64());
  const uint64_t n = r.Count(8 + 4 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const uint64_t contact = r.U64();
    const Closed c{context.Map(r.U32()), r.I64()};
    if (c.queue_channel == kNoSlot || contact == 0) continue;  // a queue this config refuses
    closed_.Restore(contact, c);
  }
  const uint64_t q = r.Count(16);
  for (uint64_t i = 0; i < q && !r.failed(); ++i) {
    const uint32_t index = context.Map(static_cast<uint32_t>(i));
    PerQc scratch(RollingSeconds());
    PerQc& per = index == kNoSlot ? scratch : per_qc_[index];
    per.surveys = r.U64();
    per.evaluations = r.U64();
    if (!per.windows.Load(r, same_windows)) return false;
  }
  return !r.failed();
}

}  // namespace floorwatch
