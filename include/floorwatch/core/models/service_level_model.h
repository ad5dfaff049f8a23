// Service level and windows: per queue/channel, the outcome counters since start (offered,
// answered, answered in SL, abandoned, short abandoned, transferred out, handled, talk and
// after-contact work), the wait histogram, and the rolling windows plus `today` from which
// the windowed figures come (service level by the queue's formula, abandon ratio, ASA, AHT).
//
// Observes the contacts model's lifecycle changes (model.h, ContactChange) and records each
// outcome at its own event's ts. Memory per queue/channel: one bucket per second that saw
// an outcome within the longest rolling window (rolling_windows.h). Core thread only.
#pragma once

#include <vector>

#include "floorwatch/core/figures.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/rolling_windows.h"
#include "floorwatch/core/tally.h"

namespace floorwatch {

class ServiceLevelModel final : public Model {
 public:
  ServiceLevelModel(const Config& config, const QueueDirectory& directory);

  std::string_view name() const override { return "service_level"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
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
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view. `window` indexes Config::windows; call Tick(now) first.
  const Tally& WindowTally(uint32_t queue_channel, size_t window) const;
  const Tally& Totals(uint32_t queue_channel) const { return per_qc_[queue_channel].totals; }
  int64_t TransferredOut(uint32_t queue_channel) const {
    return per_qc_[queue_channel].transferred_out;
  }
  // The wait histogram: counts per bucket (not cumulative; the last is +Inf) and their sum.
  const std::vector<uint64_t>& WaitBuckets(uint32_t queue_channel) const {
    return per_qc_[queue_channel].wait_buckets;
  }
  int64_t WaitSumMs(uint32_t queue_channel) const {
    return per_qc_[queue_channel].wait_bucket_sum_ms;
  }

 private:
  struct Traffic {
    explicit Traffic(const std::vector<int64_t>& rolling_seconds) : windows(rolling_seconds) {}
    Tally totals;  // monotonic counters since start
    int64_t transferred_out = 0;
    std::vector<uint64_t> wait_buckets;  // per histogram bucket (not cumulative); last = +Inf
    int64_t wait_bucket_sum_ms = 0;      // restarts with the buckets if wait_buckets changes
    RollingWindows windows;
  };

  void Record(uint32_t queue_channel, int64_t ts, int64_t now, const Tally& delta);
  void CountWait(Traffic& traffic, int64_t wait_ms);
  std::vector<int64_t> RollingSeconds() const;
  void RenderCounters(MetricWriter& w) const;
  void RenderHistogram(MetricWriter& w) const;
  void RenderWindowRatios(MetricWriter& w, const std::vector<std::string>& window_labels) const;
  bool LoadTraffic(BinaryReader& r, Traffic& t, bool same_windows, bool same_buckets);

  const Config& config_;
  const QueueDirectory& directory_;
  std::vector<Traffic> per_qc_;
  Tally zero_tally_;
};

}  // namespace floorwatch
