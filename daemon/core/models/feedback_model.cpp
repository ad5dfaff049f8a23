#include "floorwatch/core/models/feedback_model.h"

#include <cmath>
#include <limits>

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Ratio(int64_t num, int64_t den) { return den == 0 ? kNaN : double(num) / double(den); }

}  // namespace

FeedbackModel::FeedbackModel(const Config& config, QueueDirectory& directory,
                             const ContactsModel& contacts, const ResolutionModel& resolution,
                             const ClosedContactsModel& closed)
    : config_(config),
      directory_(directory),
      contacts_(contacts),
      resolution_(resolution),
      closed_(closed) {}

void FeedbackModel::Subscribe(Subscriptions& s) {
  s.Own(EventType::kContactSurvey, this);
  s.Own(EventType::kContactEvaluated, this);
}

std::vector<int64_t> FeedbackModel::RollingSeconds() const {
  return floorwatch::RollingSeconds(config_.windows);
}

void FeedbackModel::OnQueueChannelAdded(uint32_t) { per_qc_.emplace_back(RollingSeconds()); }

void FeedbackModel::Reconfigure(const Config& old) {
  if (WindowListChanged(config_.windows, old.windows)) {
    for (PerQc& q : per_qc_) q.windows = Windows<FeedbackTally>(RollingSeconds());
  }
}

void FeedbackModel::Tick(int64_t now_ms) {
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    per_qc_[i].windows.Advance(now_ms, *directory_.QueueOf(i).zone);
  }
}

uint32_t FeedbackModel::Attribute(EventContext& c, RejectReason* why) {
  const Event& e = c.event;
  if (!e.contact.empty()) {
    const uint32_t live = contacts_.contacts().Find(e.contact);
    if (live != kNoSlot) {
      c.contact.contact = live;  // the contacts model touches it
      return contacts_.contacts()[live].queue_channel;
    }
    const ClosedContactsModel::Closed* closed = closed_.Find(e.contact);
    if (closed != nullptr && closed->queue_channel != kNoSlot) return closed->queue_channel;
  }
  *why = RejectReason::kUnknownContact;
  if (e.queue.empty()) return kNoSlot;
  const uint32_t q = directory_.FindOrCreateQueue(e.queue, why);
  return q == kNoSlot ? kNoSlot : directory_.QueueChannelOf(q, e.channel);
}

ApplyResult FeedbackModel::Apply(EventContext& c) {
  RejectReason why;
  const uint32_t qc = Attribute(c, &why);
  if (qc == kNoSlot) return ApplyResult::Rejected(why, EventTypeName(c.event.type));
  const Event& e = c.event;
  FeedbackTally t;
  if (e.type == EventType::kContactSurvey) {
    ++per_qc_[qc].surveys;
    t.surveyed = 1;
    if (e.csat) t.csat_responses = 1, t.csat_satisfied = *e.csat >= 4;
    if (e.nps) t.nps_responses = 1, t.nps_promoters = *e.nps >= 9, t.nps_detractors = *e.nps <= 6;
    if (e.resolved) t.resolved_responses = 1, t.resolved_yes = *e.resolved;
  } else {
    ++per_qc_[qc].evaluations;
    t.evaluated = 1;
    t.quality_passed = e.passed.value_or(e.score >= config_.outcomes.quality_pass_score);
    t.score_milli = std::llround(e.score * 1000);
  }
  per_qc_[qc].windows.Record(e.ts_ms, c.now_ms, *directory_.QueueOf(qc).zone, t);
  return ApplyResult::Applied();
}

const FeedbackTally& FeedbackModel::WindowTally(uint32_t qc, size_t window) const {
  return WindowOf(per_qc_[qc].windows, config_.windows, window, zero_);
}

namespace {
constexpr MeasureDef kMeasures[] = {
    {"feedback_ratio", true, MeasureUnit::kRatio},
    {"csat_ratio", true, MeasureUnit::kRatio},
    {"nps", true, MeasureUnit::kCount},
    {"survey_resolved_ratio", true, MeasureUnit::kRatio},
    {"quality_score", true, MeasureUnit::kCount},
    {"quality_pass_ratio", true, MeasureUnit::kRatio},
};
}  // namespace

std::span<const MeasureDef> FeedbackModel::MeasureDefs() { return kMeasures; }

Reading FeedbackModel::Measure(size_t measure, uint32_t qc, size_t window, int64_t) const {
  const FeedbackTally& t = WindowTally(qc, window);
  switch (measure) {
    case 0: {
      const int64_t resolved = resolution_.WindowCounts(qc, window).resolved;
      return {Ratio(t.surveyed, resolved), resolved};
    }
    case 1:
      return {Ratio(t.csat_satisfied, t.csat_responses), t.csat_responses};
    case 2:
      return {t.nps_responses == 0
                  ? kNaN
                  : 100.0 * double(t.nps_promoters - t.nps_detractors) / double(t.nps_responses),
              t.nps_responses};
    case 3:
      return {Ratio(t.resolved_yes, t.resolved_responses), t.resolved_responses};
    case 4:
      return {t.evaluated == 0 ? kNaN : double(t.score_milli) / 1000.0 / double(t.evaluated),
              t.evaluated};
    default:
      return {Ratio(t.quality_passed, t.evaluated), t.evaluated};
  }
}

}  // namespace floorwatch
