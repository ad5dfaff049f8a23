// Intake accounting: every message taken off the inputs and what became of it (applied,
// duplicate, rejected or ignored by reason), the lag of the last applied event, refused
// CURVE clients, and the memory of recent event ids that spots duplicates.
//
// Invariant: received = applied + duplicate + rejected + ignored + events held for replay
// (SourcesModel). Not an event-type subscriber: the Core counts every outcome here.
// Figures: floorwatch_events_{received,applied,rejected,duplicate,ignored}_total,
// floorwatch_event_lag_seconds, floorwatch_input_auth_denied_total. Core thread only.
#pragma once

#include <array>

#include "floorwatch/core/model.h"
#include "floorwatch/core/models/sources_model.h"
#include "floorwatch/core/recent_ids.h"

namespace floorwatch {

struct IntakeStats {
  uint64_t received = 0;
  uint64_t applied = 0;
  uint64_t duplicate = 0;
  std::array<uint64_t, kRejectReasonCount> rejected{};
  std::array<uint64_t, kIgnoreReasonCount> ignored{};
  uint64_t input_auth_denied = 0;  // CURVE clients refused by an input's allow-list
  int64_t last_event_lag_ms = 0;   // now - ts of the last applied event
};

class IntakeModel final : public Model {
 public:
  IntakeModel(const Config& config, const SourcesModel& sources);

  std::string_view name() const override { return "intake"; }
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  IntakeStats& stats() { return stats_; }
  const IntakeStats& stats() const { return stats_; }
  RecentIds& recent_ids() { return recent_ids_; }

 private:
  const SourcesModel& sources_;
  IntakeStats stats_;
  RecentIds recent_ids_;
};

}  // namespace floorwatch
