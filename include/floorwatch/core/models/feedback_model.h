// Feedback: post-contact surveys (CSAT 1..5, NPS 0..10, self-reported resolution) and
// quality evaluations (score 0..100, passed), per queue/channel (docs/metrics.md,
// "Surveys and quality").
//
// Owns contact.survey and contact.evaluated. Each is attributed to the contact it names
// while that contact is live (its current queue/channel), or closed within
// outcomes.closed_contact_memory (its last queue/channel, as the closed-contacts model
// remembers it), else to `queue` (+ `channel`, default voice); naming neither a remembered contact
// nor a queue rejects it as unknown_contact, and a queue the config refuses with the
// directory's reason. Counted at the event's ts. An evaluation without `passed` passes when
// its score >= outcomes.quality_pass_score.
// Figures: floorwatch_queue_surveys_total, _evaluations_total, outcomes surveyed,
// csat_responses, csat_satisfied (4, 5), nps_responses, nps_promoters (9, 10),
// nps_detractors (0..6), resolved_responses, resolved_yes, evaluated, quality_passed; the
// ratios _feedback_ratio (surveyed / resolved, from the resolution model), _csat_ratio,
// _nps, _survey_resolved_ratio, _quality_score, _quality_pass_ratio.
// Memory: per queue/channel only (closed contacts are the closed-contacts model's).
// Core thread only.
#pragma once

#include <vector>

#include "floorwatch/core/model.h"
#include "floorwatch/core/models/closed_contacts_model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/models/resolution_model.h"
#include "floorwatch/core/rolling_windows.h"

namespace floorwatch {

struct FeedbackTally {
  int64_t surveyed = 0, csat_responses = 0, csat_satisfied = 0, nps_responses = 0,
          nps_promoters = 0, nps_detractors = 0, resolved_responses = 0, resolved_yes = 0,
          evaluated = 0, quality_passed = 0;
  int64_t score_milli = 0;  // sum of evaluation scores x 1000 (integer: exact add/subtract)
  static constexpr size_t kFields = 11;
  static constexpr size_t kBytes = kFields * 8;
  int64_t* begin() { return &surveyed; }
  const int64_t* begin() const { return &surveyed; }
  void Add(const FeedbackTally& o, int64_t sign) {
    for (size_t i = 0; i < kFields; ++i) begin()[i] += sign * o.begin()[i];
  }
  void Put(BinaryWriter& w) const {
    for (size_t i = 0; i < kFields; ++i) w.I64(begin()[i]);
  }
  static FeedbackTally Get(BinaryReader& r) {
    FeedbackTally t;
    for (size_t i = 0; i < kFields; ++i) t.begin()[i] = r.I64();
    return t;
  }
};

class FeedbackModel final : public Model {
 public:
  FeedbackModel(const Config& config, QueueDirectory& directory, const ContactsModel& contacts,
                const ResolutionModel& resolution, const ClosedContactsModel& closed);

  std::string_view name() const override { return "feedback"; }
  void Subscribe(Subscriptions& subscriptions) override;
  ApplyResult Apply(EventContext& context) override;
  void OnQueueChannelAdded(uint32_t queue_channel) override;
  void Reconfigure(const Config& old) override;
  void Tick(int64_t now_ms) override;
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  void WindowOutcomes(uint32_t queue_channel, size_t window,
                      std::vector<OutcomeCount>& out) const override;
  void RenderWindowJson(JsonObject& object, uint32_t queue_channel, size_t window) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  // Version 1 also held the closed contacts, now in the closed_contacts section.
  uint32_t version() const override { return 2; }
  uint32_t first_version() const override { return 2; }
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view.
  const FeedbackTally& WindowTally(uint32_t queue_channel, size_t window) const;

 private:
  struct PerQc {
    explicit PerQc(const std::vector<int64_t>& rolling) : windows(rolling) {}
    uint64_t surveys = 0;
    uint64_t evaluations = 0;
    Windows<FeedbackTally> windows;
  };

  // The queue/channel an event is attributed to, or kNoSlot with *why set.
  uint32_t Attribute(EventContext& c, RejectReason* why);
  std::vector<int64_t> RollingSeconds() const;

  const Config& config_;
  QueueDirectory& directory_;
  const ContactsModel& contacts_;
  const ResolutionModel& resolution_;
  const ClosedContactsModel& closed_;
  std::vector<PerQc> per_qc_;
  FeedbackTally zero_;
};

}  // namespace floorwatch
