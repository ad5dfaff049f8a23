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

// Snapshot section "feedback", version 2: u64 n + n x i64 rolling window seconds; u64 q
// queue/channels in the "queues" order, each: u64 surveys, u64 evaluations, its windows.
// Version 1 also held the remembered closed contacts (now the closed_contacts section's):
// not read, a snapshot holding it is refused (they were never released).
void FeedbackModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(per_qc_.size());
  for (const PerQc& q : per_qc_) {
    w.U64(q.surveys);
    w.U64(q.evaluations);
    q.windows.Save(w);
  }
}

bool FeedbackModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
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
