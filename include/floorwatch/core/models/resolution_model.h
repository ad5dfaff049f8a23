// Resolution: how contacts end. Per queue/channel, the abandons since start split by the
// reason the source gave (customer, timeout, no_agents, key), and in the rolling windows
// plus `today` the transfers in, the resolved contacts (their conversation ended by
// contact.ended, not by a transfer) and the mean resolution time: end ts - the ts of the
// contact.queued that started the conversation, across transfers.
//
// Observes the contacts model's lifecycle changes (model.h, ContactChange) and records each
// outcome at its own event's ts. Per contact it keeps only the first queued ts of the
// current conversation, by the contacts model's slot (in FirstQueuedTimes, shared with the
// replies model), dropped when the conversation ends or the slot is freed. Figures:
// floorwatch_queue_abandoned_by_reason_total{reason}, floorwatch_queue_resolution_seconds{window},
// and the outcomes transferred_in and resolved of floorwatch_queue_window_contacts. Memory: per
// queue/channel one bucket per second that saw an outcome within the longest rolling window;
// the per-contact ts is FirstQueuedTimes' (8 bytes and 2 bits a slot, for both models). Core
// thread only.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "floorwatch/core/first_queued.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/rolling_windows.h"

namespace floorwatch {

// The windowed counters of one queue/channel (the T of Windows<T>, rolling_windows.h).
struct ResolutionCounts {
  int64_t transferred_in = 0;
  int64_t resolved = 0;
  int64_t resolution_ms = 0;  // sum over resolved

  static constexpr size_t kBytes = 3 * 8;
  void Add(const ResolutionCounts& o, int64_t sign = 1) {
    transferred_in += sign * o.transferred_in;
    resolved += sign * o.resolved;
    resolution_ms += sign * o.resolution_ms;
  }
  void Put(BinaryWriter& w) const {
    w.I64(transferred_in);
    w.I64(resolved);
    w.I64(resolution_ms);
  }
  static ResolutionCounts Get(BinaryReader& r) {
    ResolutionCounts c;
    c.transferred_in = r.I64();
    c.resolved = r.I64();
    c.resolution_ms = r.I64();
    return c;
  }
  // Mean resolution in seconds; NaN when nothing was resolved.
  double MeanResolutionSeconds() const;
};

class ResolutionModel final : public Model {
 public:
  using ReasonCounts = std::array<int64_t, kAbandonReasonCount>;

  ResolutionModel(const Config& config, const QueueDirectory& directory,
                  const ContactsModel& contacts, FirstQueuedTimes& first_queued);

  std::string_view name() const override { return "resolution"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
  void OnQueueChannelAdded(uint32_t queue_channel) override;
  void OnContactClosed(uint32_t contact, int64_t now_ms) override;
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
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view. `window` indexes Config::windows; call Tick(now) first.
  const ResolutionCounts& WindowCounts(uint32_t queue_channel, size_t window) const;
  const ReasonCounts& AbandonedByReason(uint32_t queue_channel) const {
    return per_qc_[queue_channel].abandoned_by_reason;
  }
  // The first queued ts of the conversation of the contact in `slot`, if one is kept.
  std::optional<int64_t> FirstQueuedMs(uint32_t slot) const {
    return first_queued_.Get(slot, FirstQueuedTimes::kResolution);
  }

 private:
  static constexpr int64_t kUnknown = INT64_MIN;
  struct Outcomes {
    explicit Outcomes(const std::vector<int64_t>& rolling_seconds) : windows(rolling_seconds) {}
    ReasonCounts abandoned_by_reason{};  // since start
    Windows<ResolutionCounts> windows;
  };

  void Record(uint32_t queue_channel, int64_t ts, int64_t now, const ResolutionCounts& delta);
  void StartConversation(uint32_t slot, int64_t ts);
  int64_t EndConversation(uint32_t slot, int64_t ts);  // its resolution ms; forgets it
  std::vector<int64_t> RollingSeconds() const;
  bool LoadOutcomes(BinaryReader& r, Outcomes& o, bool same_windows);

  const Config& config_;
  const QueueDirectory& directory_;
  const ContactsModel& contacts_;
  std::vector<Outcomes> per_qc_;
  FirstQueuedTimes& first_queued_;  // this model's part: the open conversations' starts
  ResolutionCounts zero_;
};

}  // namespace floorwatch
