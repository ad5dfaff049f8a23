#include "floorwatch/core/models/service_level_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace floorwatch {
namespace {

using Kind = ContactChange::Kind;

constexpr MeasureDef kMeasures[] = {
    {"service_level_ratio", true, MeasureUnit::kRatio},
    {"abandon_ratio", true, MeasureUnit::kRatio},
    {"asa_seconds", true, MeasureUnit::kSeconds},
    {"aht_seconds", true, MeasureUnit::kSeconds},
    {"offered_contacts", true, MeasureUnit::kCount},
    {"answered_contacts", true, MeasureUnit::kCount},
    {"abandoned_contacts", true, MeasureUnit::kCount},
};

}  // namespace

ServiceLevelModel::ServiceLevelModel(const Config& config, const QueueDirectory& directory)
    : config_(config), directory_(directory) {}

void ServiceLevelModel::Subscribe(Subscriptions& s) {
  for (EventType t :
       {EventType::kContactQueued, EventType::kContactAnswered, EventType::kContactAbandoned,
        EventType::kContactTransferred, EventType::kContactEnded, EventType::kContactWrapped}) {
    s.Observe(t, this);
  }
}

std::vector<int64_t> ServiceLevelModel::RollingSeconds() const {
  return floorwatch::RollingSeconds(config_.windows);
}

void ServiceLevelModel::OnQueueChannelAdded(uint32_t) {
  per_qc_.emplace_back(RollingSeconds()).wait_buckets.assign(config_.wait_buckets.size() + 1, 0);
}

void ServiceLevelModel::Reconfigure(const Config& old) {
  const bool windows_changed = WindowListChanged(config_.windows, old.windows);
  // Windows restart only if the window list changed; the histogram if its buckets did.
  if (windows_changed) {
    const std::vector<int64_t> seconds = RollingSeconds();
    for (Traffic& t : per_qc_) t.windows = RollingWindows(seconds);
  }
  if (config_.wait_buckets != old.wait_buckets) {
    for (Traffic& t : per_qc_) {
      t.wait_buckets.assign(config_.wait_buckets.size() + 1, 0);
      t.wait_bucket_sum_ms = 0;
    }
  }
}

void ServiceLevelModel::Tick(int64_t now_ms) {
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    per_qc_[i].windows.Advance(now_ms, *directory_.QueueOf(i).zone);
  }
}

void ServiceLevelModel::Record(uint32_t qc, int64_t ts, int64_t now, const Tally& delta) {
  Traffic& t = per_qc_[qc];
  t.totals.Add(delta);
  t.windows.Record(ts, now, *directory_.QueueOf(qc).zone, delta);
}

void ServiceLevelModel::CountWait(Traffic& t, int64_t wait_ms) {
  const double wait_s = static_cast<double>(wait_ms) / 1000.0;
  const auto& bounds = config_.wait_buckets;
  ++t.wait_buckets[std::lower_bound(bounds.begin(), bounds.end(), wait_s) - bounds.begin()];
  t.wait_bucket_sum_ms += wait_ms;
}

void ServiceLevelModel::Observe(const EventContext& c) {
  const ContactChange& change = c.contact;
  const int64_t ts = c.event.ts_ms;
  const uint32_t qc = change.queue_channel;
  switch (change.kind) {
    case Kind::kQueued:
      return Record(qc, ts, c.now_ms, Tally{.offered = 1});
    case Kind::kAnswered: {
      CountWait(per_qc_[qc], change.wait_ms);
      const bool in_sl = change.wait_ms <= directory_[qc].settings.sl_threshold_ms;
      return Record(qc, ts, c.now_ms,
                    Tally{.answered = 1, .answered_in_sl = in_sl, .wait_ms = change.wait_ms});
    }
    case Kind::kAbandoned: {
      const ChannelSettings& s = directory_[qc].settings;
      const bool is_short = change.wait_ms < s.short_abandon_ms;
      return Record(qc, ts, c.now_ms,
                    Tally{.abandoned = 1,
                          .short_abandoned = is_short,
                          .abandoned_in_sl = !is_short && change.wait_ms <= s.sl_threshold_ms});
    }
    case Kind::kTransferred:
      if (change.segment_ended) {
        Record(change.from_queue_channel, ts, c.now_ms,
               Tally{.handled = 1, .talk_ms = change.talk_ms});
      }
      ++per_qc_[change.from_queue_channel].transferred_out;
      return Record(qc, ts, c.now_ms, Tally{.offered = 1});
    case Kind::kEnded:
      return Record(qc, ts, c.now_ms, Tally{.handled = 1, .talk_ms = change.talk_ms});
    case Kind::kWrapped:
      return Record(qc, ts, c.now_ms, Tally{.acw_ms = change.acw_ms});
    case Kind::kNone:
      return;
  }
}

const Tally& ServiceLevelModel::WindowTally(uint32_t qc, size_t window) const {
  return WindowOf(per_qc_[qc].windows, config_.windows, window, zero_tally_);
}

std::span<const MeasureDef> ServiceLevelModel::MeasureDefs() { return kMeasures; }

Reading ServiceLevelModel::Measure(size_t measure, uint32_t qc, size_t window, int64_t) const {
  if (window >= config_.windows.size()) return {std::numeric_limits<double>::quiet_NaN(), 0};
  const Tally& t = WindowTally(qc, window);
  const WindowFigures f = ComputeFigures(t, directory_[qc].settings.formula);
  const int64_t decided = t.answered + t.abandoned - t.short_abandoned;  // SL denominators
  switch (measure) {
    case 0:
      return {f.service_level_ratio, decided};
    case 1:
      return {f.abandon_ratio, decided};
    case 2:
      return {f.asa_seconds, t.answered};
    case 3:
      return {f.aht_seconds, t.handled};
    case 4:
      return {double(t.offered), t.offered};
    case 5:
      return {double(t.answered), t.answered};
    default:
      return {double(t.abandoned), t.abandoned};
  }
}

// Snapshot section "service_level", version 1: u64 n + n x i64 rolling window seconds,
// u64 k + k x f64 histogram bounds (the config it was taken under), u64 queue/channels,
// then per queue/channel in the "queues" section's order: totals (tally), i64 transferred
// out, u64 b + b x u64 bucket counts, i64 wait sum, its windows (RollingWindows::Save).
void ServiceLevelModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(config_.wait_buckets.size());
  for (double b : config_.wait_buckets) w.F64(b);
  w.U64(per_qc_.size());
  for (const Traffic& t : per_qc_) {
    PutTally(w, t.totals);
    w.I64(t.transferred_out);
    w.U64(t.wait_buckets.size());
    for (uint64_t b : t.wait_buckets) w.U64(b);
    w.I64(t.wait_bucket_sum_ms);
    t.windows.Save(w);
  }
}

bool ServiceLevelModel::LoadTraffic(BinaryReader& r, Traffic& t, bool same_windows,
                                    bool same_buckets) {
  t.totals = GetTally(r);
  t.transferred_out = r.I64();
  const uint64_t buckets = r.Count(8);
  std::vector<uint64_t> counts;
  for (uint64_t b = 0; b < buckets && !r.failed(); ++b) counts.push_back(r.U64());
  const int64_t sum = r.I64();
  if (same_buckets && counts.size() == t.wait_buckets.size()) {
    t.wait_buckets = std::move(counts);
    t.wait_bucket_sum_ms = sum;
  }
  return t.windows.Load(r, same_windows);
}

bool ServiceLevelModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
  std::vector<double> bounds(r.Count(8));
  for (double& b : bounds) b = r.F64();
  const bool same_buckets = bounds == config_.wait_buckets;
  const uint64_t n = r.Count(kTallyBytes);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const uint32_t index = context.Map(static_cast<uint32_t>(i));
    Traffic scratch(RollingSeconds());  // reads a queue this config refuses
    if (index == kNoSlot) scratch.wait_buckets.assign(config_.wait_buckets.size() + 1, 0);
    if (!LoadTraffic(r, index == kNoSlot ? scratch : per_qc_[index], same_windows, same_buckets))
      return false;
  }
  return !r.failed();
}

}  // namespace floorwatch
