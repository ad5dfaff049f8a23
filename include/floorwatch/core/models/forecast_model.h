// Forecast: what the workforce plan expected for the current interval against what is
// happening (docs/staffing.md, "Forecast and schedule"): per queue/channel the forecast
// offered contacts and AHT, the agents Erlang C needs for them, the agents the schedule
// planned, how far the staffed agents fall short of that plan, and the contacts offered
// since the interval began with their deviation from the forecast's pace.
//
// The forecast itself is the config's (Config::forecast.table, read from the forecast file
// with the config; a reload swaps it whole). The model keeps one count per queue/channel:
// contacts offered (queued, or transferred in) whose `ts` falls in the interval that count
// belongs to, an interval being forecast.interval long on local boundaries of the queue's
// time zone. A contact whose `ts` lies in an earlier interval than the count's is not
// counted (that interval is over); one in a later interval starts a new count.
//
// Figures: floorwatch_queue_{forecast_offered, forecast_aht_seconds,
// forecast_required_agents, scheduled_agents, schedule_gap_agents} (only for a
// queue/channel with a forecast row for now; the scheduled ones only when the file has
// scheduled_agents), floorwatch_queue_{interval_offered, forecast_deviation_ratio} (every
// queue/channel while a forecast is configured). All are alert measures and in
// /api/v1/queues ("forecast"). Computed when read; nothing per event beyond the count.
// Core thread only.
#pragma once

#include <vector>

#include "floorwatch/core/model.h"
#include "floorwatch/core/models/staffing_model.h"

namespace floorwatch {

struct ForecastFigures {
  bool has_row = false;            // a forecast row covers now
  bool has_scheduled = false;      // ... and the file has scheduled_agents
  double offered = 0;              // forecast offered in the interval
  double aht_seconds = 0;          // forecast AHT
  double required_agents = 0;      // Erlang C at the forecast's λ and AHT
  double scheduled_agents = 0;     // the plan's head count
  double schedule_gap_agents = 0;  // scheduled - staffed
  int64_t interval_offered = 0;    // offered since the interval began
  double deviation_ratio = 0;      // interval_offered / (offered x elapsed share) - 1
};

class ForecastModel final : public Model {
 public:
  ForecastModel(const Config& config, const QueueDirectory& directory,
                const StaffingModel& staffing);

  std::string_view name() const override { return "forecast"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
  void OnQueueChannelAdded(uint32_t queue_channel) override;
  void Reconfigure(const Config& old) override { ++generation_; }  // the table may be another
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // The figures of one queue/channel at `now_ms`.
  ForecastFigures Figures(uint32_t queue_channel, int64_t now_ms) const;
  // The UTC start of the interval holding `ts_ms` in the queue/channel's time zone.
  int64_t IntervalStart(uint32_t queue_channel, int64_t ts_ms) const;

 private:
  struct Count {
    int64_t interval_start_ms = INT64_MIN;
    int64_t offered = 0;
  };
  // What only the interval and the config decide (the row, the Erlang C answer for it),
  // kept from one read to the next: scrapes and the 200 ms alert evaluations would
  // otherwise look the row up and search Erlang C again for every figure.
  struct RowCache {
    int64_t interval_start_ms = INT64_MIN;
    uint64_t generation = 0;
    const ForecastInterval* row = nullptr;
    double required_agents = 0;
  };
  void CountOffered(uint32_t queue_channel, int64_t ts_ms);
  const RowCache& RowAt(uint32_t queue_channel, int64_t interval_start_ms, int64_t now_ms) const;

  const Config& config_;
  const QueueDirectory& directory_;
  const StaffingModel& staffing_;
  std::vector<Count> counts_;           // by queue/channel
  uint64_t generation_ = 1;             // bumped when the config (and so the table) changes
  mutable std::vector<RowCache> rows_;  // by queue/channel; core thread only
};

}  // namespace floorwatch
