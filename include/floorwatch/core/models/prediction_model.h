// Prediction: what is about to be missed, per queue/channel (docs/prediction.md,
// docs/metrics.md "Prediction"): the waiting contacts that have not passed the service-level
// threshold T yet but will unless more agents become free (projected breaches), the seconds
// before the first of them passes T, and the Erlang C service level the queue/channel will
// run at if arrivals, AHT and the agents staffed now stay as they are.
//
// Reads the staffing model's figures (λ, AHT, A, S slots, F free slots) and the contacts
// model's waiting contacts (their queued times and priorities); keeps no state of its own
// beyond caches, so nothing is computed per event and no snapshot section is needed (an
// empty one is written). What is cached, and until when:
//  - per queue/channel, its waiting contacts' queued times in the order the queue answers
//    them (higher priority first, then longest waiting first), until the contacts model says
//    a contact started or stopped waiting there (ContactsModel::waiting_changes);
//  - per queue/channel, the projected service level's Erlang C result, until its inputs
//    (S, A, AHT, T) change;
//  - the figures of every queue/channel, computed in one pass when first read, until an
//    event is applied, the core ticks or is reconfigured, or they are read at another
//    `now_ms` (ages are taken at the moment of evaluation). A pass at a new `now` with
//    nothing else changed is one walk over the cached orders.
// So a scrape or an alert evaluation pays for it at most once however many families, rules
// or queue/channels read it.
//
// Figures: floorwatch_queue_{projected_service_level, projected_breaches,
// seconds_to_breach} (the last only where there is a projected breach); the same as alert
// measures and in /api/v1/queues ("prediction", NaN and "none" as null).
// Core thread only (the caches are `mutable`: reading them from two threads would race).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "floorwatch/core/model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/models/intake_model.h"
#include "floorwatch/core/models/staffing_model.h"

namespace floorwatch {

struct PredictionFigures {
  double projected_service_level = 0;  // NaN without demand (λ = 0) or without AHT
  double projected_breaches = 0;       // NaN: a contact beyond the free slots, and no AHT
  double seconds_to_breach = 0;        // NaN when there is no projected breach (no sample)
  int64_t waiting = 0;                 // W: what the breaches rest on
  int64_t offered = 0;                 // in the staffing window: what the service level rests on
};

class PredictionModel final : public Model {
 public:
  PredictionModel(const Config& config, const QueueDirectory& directory, const IntakeModel& intake,
                  const ContactsModel& contacts, const StaffingModel& staffing);

  std::string_view name() const override { return "prediction"; }
  void Reconfigure(const Config& old) override { ++generation_; }
  void Tick(int64_t now_ms) override { ++generation_; }
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only views (the wallboard, the accuracy bench). The figures of one queue/channel
  // from the state as it is now, ages taken at `now_ms`.
  const PredictionFigures& Figures(uint32_t queue_channel, int64_t now_ms) const;
  // Calls fn(queued_ms, projected_wait_seconds) for each contact waiting in the
  // queue/channel, in the order it will be answered; the projected wait is its age at
  // `now_ms` plus max(0, k - F) x AHT / S (infinite when S = 0, NaN without AHT where needed).
  template <typename Fn>
  void ForEachProjected(uint32_t queue_channel, int64_t now_ms, Fn&& fn) const;

 private:
  // The queued times in answer order, 4 bytes each: ms after the earliest of them (`base_ms`),
  // which covers 49 days of waiting; a queue/channel whose waits span more keeps them whole
  // in `wide` (then `offsets` is empty).
  struct Order {
    uint64_t changes = std::numeric_limits<uint64_t>::max();  // waiting_changes it was built at
    int64_t base_ms = 0;
    std::vector<uint32_t> offsets;
    std::vector<int64_t> wide;
    // Calls fn(position from 0, queued_ms) for each, in answer order.
    template <typename Fn>
    void ForEach(Fn&& fn) const {
      for (size_t i = 0; i < offsets.size(); ++i) fn(i, base_ms + int64_t{offsets[i]});
      for (size_t i = 0; i < wide.size(); ++i) fn(i, wide[i]);
    }
  };
  struct SlMemo {
    int64_t slots = -1;
    double load = 0, aht_seconds = 0, threshold_seconds = 0;
    double value = 0;
  };
  // How a queue/channel's waiting contacts are projected: the k-th (from 1) waits for
  // max(0, k - free) x per_position_ms more than its age.
  struct Projection {
    int64_t free = 0;
    double per_position_ms = 0;  // AHT / S in ms; +Inf when S = 0; NaN without AHT
    double ExtraMs(int64_t k) const {
      return k <= free ? 0.0 : static_cast<double>(k - free) * per_position_ms;
    }
  };
  static Projection ProjectionOf(const StaffingFigures& s);
  void Refresh(int64_t now_ms) const;
  const Order& OrderOf(uint32_t queue_channel) const;
  double ProjectedServiceLevel(uint32_t queue_channel, const StaffingFigures& s) const;
  void Breaches(uint32_t queue_channel, const StaffingFigures& s, int64_t now_ms,
                PredictionFigures& f) const;

  const QueueDirectory& directory_;
  const IntakeModel& intake_;
  const ContactsModel& contacts_;
  const StaffingModel& staffing_;
  uint64_t generation_ = 0;
  mutable std::vector<Order> orders_;
  mutable std::vector<SlMemo> sl_memo_;
  mutable std::vector<std::pair<int32_t, int64_t>> scratch_;  // (priority, queued) to sort
  // The figures of every queue/channel, valid while none of these changed.
  mutable std::vector<PredictionFigures> figures_;
  mutable bool cached_ = false;
  mutable uint64_t cached_generation_ = 0;
  mutable uint64_t cached_applied_ = 0;
  mutable int64_t cached_now_ms_ = 0;
};

template <typename Fn>
void PredictionModel::ForEachProjected(uint32_t queue_channel, int64_t now_ms, Fn&& fn) const {
  const Projection p = ProjectionOf(staffing_.Figures(queue_channel));
  OrderOf(queue_channel).ForEach([&](size_t i, int64_t queued_ms) {
    const int64_t age_ms = now_ms > queued_ms ? now_ms - queued_ms : 0;
    fn(queued_ms, (static_cast<double>(age_ms) + p.ExtraMs(static_cast<int64_t>(i) + 1)) / 1000.0);
  });
}

}  // namespace floorwatch
