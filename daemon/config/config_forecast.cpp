// The config's `forecast:` key and the forecast file it names (docs/staffing.md).
#include <fstream>
#include <sstream>

#include "config/config_parse.h"
#include "floorwatch/config/forecast_csv.h"
#include "floorwatch/core/queue_match.h"

namespace floorwatch::config_internal {

void ParseForecast(const Node& n, const std::string& base_dir, Config& c) {
  n.ExpectMap({"file", "interval"});
  if (n.IsNull()) return;
  if (!n["interval"].IsNull()) {
    c.forecast.interval_ms = n["interval"].DurationMs();
    const int64_t minutes = c.forecast.interval_ms / 60'000;
    if (c.forecast.interval_ms % 60'000 != 0 || (minutes != 15 && minutes != 30 && minutes != 60))
      n["interval"].Fail("must be 15m, 30m or 1h");
  }
  if (n["file"].IsNull()) n.Fail("file is required");
  c.forecast.file = n["file"].Str();
  if (c.forecast.file.empty()) n["file"].Fail("must not be empty");
  const std::string path = c.forecast.file[0] == '/' ? c.forecast.file : base_dir + c.forecast.file;
  std::ifstream in(path);
  if (!in) n["file"].Fail(path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  const auto timezone_of = [&c](const std::string& queue) {
    const QueueConfig* q = FindQueueConfig(c.queues, queue);
    return q && q->timezone ? *q->timezone : c.defaults.timezone;
  };
  auto result = ParseForecastCsv(text.str(), c.forecast.interval_ms, timezone_of);
  if (auto* error = std::get_if<ForecastError>(&result))
    n["file"].Fail(path + " " + error->ToString());
  c.forecast.table = std::make_shared<const Forecast>(std::get<Forecast>(std::move(result)));
}

}  // namespace floorwatch::config_internal
