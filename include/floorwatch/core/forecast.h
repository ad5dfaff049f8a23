// The intraday forecast and schedule (docs/staffing.md, "Forecast"): for each queue and
// channel, what the workforce plan expected per interval (offered contacts, AHT) and the
// head count it scheduled. Plain data read from the forecast file by the config loader
// (config/forecast_csv.h), so a reload replaces it whole; the core only reads it.
//
// Invariants: each series is sorted by start, without duplicate starts; every start lies
// on a local interval boundary of its queue's time zone; an interval covers
// [start, start + interval_ms).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "floorwatch/core/event.h"

namespace floorwatch {

struct ForecastInterval {
  int64_t start_ms = 0;  // UTC
  double offered = 0;
  double aht_seconds = 0;
  double scheduled_agents = 0;  // meaningful only when Forecast::has_scheduled
};

struct Forecast {
  int64_t interval_ms = 30 * 60'000;
  bool has_scheduled = false;  // the file has the scheduled_agents column
  std::map<std::pair<std::string, Channel>, std::vector<ForecastInterval>> series;

  // The interval in force at `now_ms` for a queue/channel, or nullptr without a row for it.
  const ForecastInterval* At(const std::string& queue, Channel channel, int64_t now_ms) const;
  size_t rows() const;
};

}  // namespace floorwatch
