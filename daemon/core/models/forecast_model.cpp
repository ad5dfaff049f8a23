#include "floorwatch/core/models/forecast_model.h"

#include <cmath>
#include <limits>

#include "floorwatch/core/erlang_c.h"
#include "floorwatch/core/timezone.h"

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr MeasureDef kMeasures[] = {
    {"forecast_offered", false, MeasureUnit::kCount},
    {"forecast_aht_seconds", false, MeasureUnit::kSeconds},
    {"forecast_required_agents", false, MeasureUnit::kCount},
    {"interval_offered", false, MeasureUnit::kCount},
    {"forecast_deviation_ratio", false, MeasureUnit::kRatio},
    {"scheduled_agents", false, MeasureUnit::kCount},
    {"schedule_gap_agents", false, MeasureUnit::kCount},
};

}  // namespace

ForecastModel::ForecastModel(const Config& config, const QueueDirectory& directory,
                             const StaffingModel& staffing)
    : config_(config), directory_(directory), staffing_(staffing) {}

void ForecastModel::Subscribe(Subscriptions& s) {
  s.Observe(EventType::kContactQueued, this);
  s.Observe(EventType::kContactTransferred, this);
}

void ForecastModel::OnQueueChannelAdded(uint32_t qc) {
  if (counts_.size() <= qc) counts_.resize(qc + 1);
  if (rows_.size() <= qc) rows_.resize(qc + 1);
}

void ForecastModel::Observe(const EventContext& c) {
  const ContactChange::Kind kind = c.contact.kind;
  if (kind == ContactChange::Kind::kQueued || kind == ContactChange::Kind::kTransferred)
    CountOffered(c.contact.queue_channel, c.event.ts_ms);
}

int64_t ForecastModel::IntervalStart(uint32_t qc, int64_t ts_ms) const {
  // Boundaries are local: an hour's interval starts at a local full hour also in a zone
  // offset by 5:30 from UTC.
  const int64_t offset_ms = directory_.QueueOf(qc).zone->OffsetSeconds(ts_ms) * 1000;
  const int64_t length = config_.forecast.interval_ms;
  return FloorDiv(ts_ms + offset_ms, length) * length - offset_ms;
}

void ForecastModel::CountOffered(uint32_t qc, int64_t ts_ms) {
  Count& count = counts_[qc];
  const int64_t start = IntervalStart(qc, ts_ms);
  if (start < count.interval_start_ms) return;  // that interval is over
  if (start > count.interval_start_ms) count = Count{start, 0};
  ++count.offered;
}

const ForecastModel::RowCache& ForecastModel::RowAt(uint32_t qc, int64_t interval_start_ms,
                                                    int64_t now_ms) const {
  RowCache& c = rows_[qc];
  if (c.generation == generation_ && c.interval_start_ms == interval_start_ms) return c;
  c = RowCache{interval_start_ms, generation_};
  const Forecast* table = config_.forecast.table.get();
  const QueueChannel& where = directory_[qc];
  c.row = table ? table->At(directory_.QueueOf(qc).id, where.channel, now_ms) : nullptr;
  if (c.row != nullptr) {
    const double interval_seconds = double(config_.forecast.interval_ms) / 1000;
    c.required_agents =
        erlang_c::RequiredAgents(c.row->offered / interval_seconds, c.row->aht_seconds,
                                 StaffingModel::GoalOf(where.settings));
  }
  return c;
}

ForecastFigures ForecastModel::Figures(uint32_t qc, int64_t now_ms) const {
  ForecastFigures f;
  const int64_t start = IntervalStart(qc, now_ms);
  if (counts_[qc].interval_start_ms == start) f.interval_offered = counts_[qc].offered;
  f.deviation_ratio = kNaN;
  const RowCache& cached = RowAt(qc, start, now_ms);
  const ForecastInterval* row = cached.row;
  if (row == nullptr) return f;
  f.has_row = true;
  f.has_scheduled = config_.forecast.table->has_scheduled;
  f.offered = row->offered;
  f.aht_seconds = row->aht_seconds;
  f.required_agents = cached.required_agents;
  f.scheduled_agents = row->scheduled_agents;
  f.schedule_gap_agents = row->scheduled_agents - double(staffing_.Figures(qc).staffed_agents);
  const double elapsed_share = double(now_ms - row->start_ms) / config_.forecast.interval_ms;
  const double expected = row->offered * elapsed_share;
  if (expected > 0) f.deviation_ratio = double(f.interval_offered) / expected - 1;
  return f;
}

std::span<const MeasureDef> ForecastModel::MeasureDefs() { return kMeasures; }

Reading ForecastModel::Measure(size_t measure, uint32_t qc, size_t, int64_t now_ms) const {
  const ForecastFigures f = Figures(qc, now_ms);
  const int64_t n = f.interval_offered;
  const bool row = f.has_row, scheduled = f.has_row && f.has_scheduled;
  switch (measure) {
    case 0:
      return {row ? f.offered : kNaN, n};
    case 1:
      return {row ? f.aht_seconds : kNaN, n};
    case 2:
      return {row ? f.required_agents : kNaN, n};
    case 3:
      return {config_.forecast.table ? double(n) : kNaN, n};
    case 4:
      return {f.deviation_ratio, n};
    case 5:
      return {scheduled ? f.scheduled_agents : kNaN, n};
    default:
      return {scheduled ? f.schedule_gap_agents : kNaN, n};
  }
}

// Section "forecast" v1: u64 n + n x (i64 interval start, i64 offered), by queue/channel index.
void ForecastModel::Save(BinaryWriter& w) const {
  w.U64(counts_.size());
  for (const Count& c : counts_) {
    w.I64(c.interval_start_ms);
    w.I64(c.offered);
  }
}

bool ForecastModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  const uint64_t n = r.Count(16);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const Count c{r.I64(), r.I64()};
    const uint32_t qc = context.Map(static_cast<uint32_t>(i));
    if (qc != kNoSlot && qc < counts_.size()) counts_[qc] = c;
  }
  return !r.failed();
}

}  // namespace floorwatch
