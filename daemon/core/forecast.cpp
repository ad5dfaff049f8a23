#include "floorwatch/core/forecast.h"

#include <algorithm>

namespace floorwatch {

const ForecastInterval* Forecast::At(const std::string& queue, Channel channel,
                                     int64_t now_ms) const {
  const auto it = series.find({queue, channel});
  if (it == series.end()) return nullptr;
  const std::vector<ForecastInterval>& rows = it->second;
  // The last interval starting at or before now.
  auto after =
      std::upper_bound(rows.begin(), rows.end(), now_ms,
                       [](int64_t t, const ForecastInterval& r) { return t < r.start_ms; });
  if (after == rows.begin()) return nullptr;
  const ForecastInterval& row = *std::prev(after);
  return now_ms < row.start_ms + interval_ms ? &row : nullptr;
}

size_t Forecast::rows() const {
  size_t n = 0;
  for (const auto& [key, rows] : series) n += rows.size();
  return n;
}

}  // namespace floorwatch
