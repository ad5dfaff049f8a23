// Reads the forecast file (docs/staffing.md, "The forecast file"): CSV with the header
// `queue,channel,interval_start,offered,aht_seconds[,scheduled_agents]`, one row per queue,
// channel and interval, `interval_start` in the queue's local time on an interval boundary.
// Strict: any bad row refuses the whole file, and the error names its line and column, so
// a planner can fix the export. Pure: parses the text it is given (libcsv, strict mode).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "floorwatch/core/forecast.h"

namespace floorwatch {

struct ForecastError {
  int64_t line = 0;    // 1-based line of the file
  int64_t column = 0;  // 1-based field of the row (0: the whole row or file)
  std::string message;
  std::string ToString() const;  // "line 3, column 4 (offered): must be ..."
};

// `timezone_of(queue)`: the IANA time zone of a queue (its own, else the defaults').
std::variant<Forecast, ForecastError> ParseForecastCsv(
    std::string_view text, int64_t interval_ms,
    const std::function<std::string(const std::string& queue)>& timezone_of);

}  // namespace floorwatch
