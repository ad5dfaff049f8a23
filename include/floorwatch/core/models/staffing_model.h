// Staffing: per queue/channel, the agents Erlang C says the demand of the staffing window
// needs (required agents), the agents on the floor for it (staffed agents, their slots and
// the slots in use), the gap between the two, and the estimated wait of a contact joining
// now (docs/staffing.md, docs/metrics.md).
//
// Keeps no state of its own beyond a cache: every figure is derived when read from the
// service-level model's staffing window (offered, AHT), the agents model (states,
// memberships, capacities), the contacts model (waiting contacts, connected contacts per
// agent) and the queue/channel's settings. One pass computes the figures of every
// queue/channel; it is kept until the state it was computed from may have changed (an
// applied event, a Tick, a reconfiguration), so a scrape or an alert evaluation pays for it
// at most once however many families, rules or queue/channels read it, and nothing is
// computed per event. No snapshot section is needed (an empty one is written).
//
// Figures: floorwatch_queue_{required_agents, staffed_agents, staffing_gap_agents,
// estimated_wait_seconds, agent_slots{state}}; the same as alert measures (agent_slots as
// agent_slots_total and agent_slots_used) and in /api/v1/queues ("staffing").
// The forecast figures of STAFFING.md (forecast required agents, schedule gap) are meant for
// a model of their own that reads this one: Figures() for the staffed agents, GoalOf() and
// erlang_c::RequiredAgents for required agents from a forecast's λ and AHT.
// Core thread only (the cache is `mutable`: reading it from two threads would race).
#pragma once

#include <vector>

#include "floorwatch/core/erlang_c.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/models/agents_model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/models/intake_model.h"
#include "floorwatch/core/models/service_level_model.h"

namespace floorwatch {

// One queue/channel's staffing figures, and the inputs they come from (for prediction).
struct StaffingFigures {
  int64_t offered = 0;             // in the staffing window: what λ rests on
  double arrivals_per_second = 0;  // λ; NaN when no rolling window is configured
  double aht_seconds = 0;          // the window's AHT; NaN when none (or 0)
  double load_erlangs = 0;         // A = λ x AHT
  double required_agents = 0;      // erlang_c::RequiredAgents
  int64_t staffed_agents = 0;      // available, on_contact or acw, with slots here
  int64_t slots = 0;               // S: their slots on this channel
  int64_t used_slots = 0;          // their connected contacts on this channel, any queue
  int64_t free_slots = 0;          // F: unused slots of the available and on_contact ones
  int64_t waiting = 0;             // W
  double gap_agents = 0;           // required - staffed
  double estimated_wait_seconds = 0;
};

class StaffingModel final : public Model {
 public:
  StaffingModel(const Config& config, const QueueDirectory& directory, const IntakeModel& intake,
                const ContactsModel& contacts, const ServiceLevelModel& service_level,
                const AgentsModel& agents);

  std::string_view name() const override { return "staffing"; }
  void Reconfigure(const Config& old) override { ++generation_; }
  void Tick(int64_t now_ms) override { ++generation_; }  // the windows moved
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view: the figures of one queue/channel from the state as it is now.
  const StaffingFigures& Figures(uint32_t queue_channel) const;
  // The service-level goal and occupancy cap a queue/channel's settings set for Erlang C.
  static erlang_c::Goal GoalOf(const ChannelSettings& s) {
    return {s.sl_threshold_seconds, s.sl_target, s.max_occupancy, s.concurrency};
  }

 private:
  // The inputs of one required-agents computation and its result: most queue/channels'
  // inputs do not change between two passes, and then the O(S) search is not repeated.
  struct Memo {
    double arrivals_per_second = -1;
    double aht_seconds = 0;
    erlang_c::Goal goal;
    double required_agents = 0;
  };
  void Refresh() const;
  void CountAgents() const;
  void ComputeDemand(uint32_t queue_channel, StaffingFigures& f) const;
  double Required(uint32_t queue_channel, double arrivals, double aht,
                  const erlang_c::Goal& goal) const;

  const QueueDirectory& directory_;
  const IntakeModel& intake_;
  const ContactsModel& contacts_;
  const ServiceLevelModel& service_level_;
  const AgentsModel& agents_;
  uint64_t generation_ = 0;
  // The cache: figures per queue/channel, valid while none of these changed.
  mutable std::vector<StaffingFigures> figures_;
  mutable std::vector<Memo> memo_;
  mutable bool cached_ = false;
  mutable uint64_t cached_generation_ = 0;
  mutable uint64_t cached_applied_ = 0;
};

}  // namespace floorwatch
