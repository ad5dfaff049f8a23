// ForecastModel: its part of /metrics and /api/v1/queues.
#include <string>

#include "floorwatch/core/models/forecast_model.h"

namespace floorwatch {
namespace {

enum class Shown { kWithRow, kWithSchedule, kWithForecast };

struct Gauge {
  const char* name;
  const char* help;
  Shown shown;
  double (*value)(const ForecastFigures& f);
};

constexpr Gauge kGauges[] = {
    {"floorwatch_queue_forecast_offered", "Contacts the forecast expects in the current interval.",
     Shown::kWithRow, [](const ForecastFigures& f) { return f.offered; }},
    {"floorwatch_queue_forecast_aht_seconds", "The forecast's AHT for the current interval.",
     Shown::kWithRow, [](const ForecastFigures& f) { return f.aht_seconds; }},
    {"floorwatch_queue_forecast_required_agents",
     "Agents Erlang C needs for the forecast's offered contacts and AHT in the current interval.",
     Shown::kWithRow, [](const ForecastFigures& f) { return f.required_agents; }},
    {"floorwatch_queue_scheduled_agents",
     "Agents the schedule plans for this queue and channel in the current interval.",
     Shown::kWithSchedule, [](const ForecastFigures& f) { return f.scheduled_agents; }},
    {"floorwatch_queue_schedule_gap_agents",
     "Scheduled minus staffed agents (positive: fewer people on the floor than planned).",
     Shown::kWithSchedule, [](const ForecastFigures& f) { return f.schedule_gap_agents; }},
    {"floorwatch_queue_interval_offered",
     "Contacts offered since the current forecast interval began.", Shown::kWithForecast,
     [](const ForecastFigures& f) { return double(f.interval_offered); }},
    {"floorwatch_queue_forecast_deviation_ratio",
     "Offered so far against the forecast's pace for the elapsed part of the interval, minus 1.",
     Shown::kWithForecast, [](const ForecastFigures& f) { return f.deviation_ratio; }},
};

bool IsShown(Shown shown, const ForecastFigures& f) {
  switch (shown) {
    case Shown::kWithRow:
      return f.has_row;
    case Shown::kWithSchedule:
      return f.has_row && f.has_scheduled;
    default:
      return true;
  }
}

}  // namespace

void ForecastModel::RenderMetrics(MetricWriter& w, int64_t now_ms) const {
  if (config_.forecast.table == nullptr) return;
  const std::vector<std::string>& labels = directory_.labels();
  std::vector<ForecastFigures> figures;
  figures.reserve(labels.size());
  for (uint32_t qc = 0; qc < labels.size(); ++qc) figures.push_back(Figures(qc, now_ms));
  for (const Gauge& g : kGauges) {
    w.Family(g.name, "gauge", g.help);
    for (uint32_t qc = 0; qc < labels.size(); ++qc) {
      if (IsShown(g.shown, figures[qc])) w.Sample(g.name, labels[qc], g.value(figures[qc]));
    }
  }
}

void ForecastModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t now_ms) const {
  if (config_.forecast.table == nullptr) return;
  const ForecastFigures f = Figures(qc, now_ms);
  JsonObject forecast(o.out(), "forecast");
  for (const Gauge& g : kGauges) {
    if (IsShown(g.shown, f))
      forecast.Number(std::string_view(g.name).substr(sizeof("floorwatch_queue_") - 1), g.value(f));
  }
  forecast.Close();
}

}  // namespace floorwatch
