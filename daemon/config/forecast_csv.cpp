#include "floorwatch/config/forecast_csv.h"

#include <csv.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include "floorwatch/core/timezone.h"

namespace floorwatch {
namespace {

constexpr std::string_view kColumns[] = {"queue",   "channel",     "interval_start",
                                         "offered", "aht_seconds", "scheduled_agents"};
constexpr size_t kRequiredColumns = 5;

std::optional<double> NonNegativeNumber(const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v) || v < 0)
    return std::nullopt;
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "YYYY-MM-DDTHH:MM" as ms since 1970-01-01 00:00 local wall-clock time.
std::optional<int64_t> LocalMinute(const std::string& text) {
  if (text.size() != 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':')
    return std::nullopt;
  auto digits = [&](size_t at, size_t n) -> std::optional<int64_t> {
    int64_t v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2),
             mi = digits(14, 2);
  if (!y || !mo || !d || !h || !mi || *mo < 1 || *mo > 12 || *d < 1 || *h > 23 || *mi > 59)
    return std::nullopt;
  const bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*d > kDays[*mo - 1] + (*mo == 2 && leap)) return std::nullopt;
  const int64_t days = DaysFromCivil(*y, *mo, *d);
  return ((days * 24 + *h) * 60 + *mi) * 60'000;
}

struct Reader {
  int64_t interval_ms;
  const std::function<std::string(const std::string&)>& timezone_of;
  Forecast forecast;
  std::optional<ForecastError> error;
  int64_t line = 1;      // the line being fed to the parser
  int64_t row_line = 0;  // the line the current row started on
  size_t columns = 0;    // from the header
  std::vector<std::string> fields;
  std::map<std::string, TimeZone> zones;
  // Local starts already seen per queue/channel, and how often (a local time repeats once
  // when clocks go back: its second row is the later instant).
  std::map<std::pair<std::pair<std::string, Channel>, int64_t>, int> seen;

  void Fail(size_t column, std::string message) {
    if (!error) error = ForecastError{row_line, static_cast<int64_t>(column), std::move(message)};
  }
  void FailField(size_t i, const std::string& why) {
    Fail(i + 1, "(" + std::string(kColumns[i]) + ") " + why + ", got '" + fields[i] + "'");
  }

  void Header() {
    columns = fields.size();
    if (columns != kRequiredColumns && columns != kRequiredColumns + 1)
      return Fail(0,
                  "the header must be queue,channel,interval_start,offered,aht_seconds "
                  "optionally followed by ,scheduled_agents");
    for (size_t i = 0; i < columns; ++i) {
      if (fields[i] != kColumns[i])
        return Fail(i + 1, "expected '" + std::string(kColumns[i]) + "', got '" + fields[i] + "'");
    }
    forecast.has_scheduled = columns > kRequiredColumns;
  }

  void Row() {
    if (fields.size() != columns)
      return Fail(0, "has " + std::to_string(fields.size()) + " fields, the header " +
                         std::to_string(columns));
    if (fields[0].empty()) return FailField(0, "must not be empty");
    const auto channel = std::find(kChannelNames.begin(), kChannelNames.end(), fields[1]);
    if (channel == kChannelNames.end()) return FailField(1, "must be a channel name");
    const auto local = LocalMinute(fields[2]);
    if (!local) return FailField(2, "must be a local time YYYY-MM-DDTHH:MM");
    if (*local % interval_ms != 0)
      return FailField(
          2, "must start an interval of " + std::to_string(interval_ms / 60'000) + " minutes");
    ForecastInterval row;
    std::optional<double> v[3];
    for (size_t i = 3; i < columns; ++i) {
      v[i - 3] = NonNegativeNumber(fields[i]);
      if (!v[i - 3]) return FailField(i, "must be a number >= 0");
    }
    row.offered = *v[0];
    row.aht_seconds = *v[1];
    if (forecast.has_scheduled) row.scheduled_agents = *v[2];
    const auto key =
        std::make_pair(fields[0], static_cast<Channel>(channel - kChannelNames.begin()));
    auto zone = zones.try_emplace(fields[0], timezone_of(fields[0])).first;
    int64_t instants[2];
    const int found = zone->second.LocalToUtc(*local, instants);
    if (found == 0) return FailField(2, "does not exist in " + zone->second.name() + " (DST gap)");
    const int n = seen[{key, *local}]++;
    if (n >= found) return FailField(2, "is listed twice for this queue and channel");
    row.start_ms = instants[n];
    forecast.series[key].push_back(row);
  }

  static void OnField(void* data, size_t len, void* self) {
    auto* r = static_cast<Reader*>(self);
    if (r->fields.empty()) r->row_line = r->line;
    r->fields.emplace_back(static_cast<const char*>(data), len);
  }
  static void OnRow(int, void* self) {
    auto* r = static_cast<Reader*>(self);
    if (r->fields.empty()) r->row_line = r->line;
    if (r->error) return r->fields.clear();
    r->columns == 0 ? r->Header() : r->Row();
    r->fields.clear();
  }
};

std::optional<ForecastError> Feed(Reader& reader, std::string_view text) {
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
  size_t at = 0;
  while (at < text.size() && !reader.error) {
    const size_t end = std::min(text.find('\n', at), text.size() - 1) + 1;
    const std::string_view line = text.substr(at, end - at);
    const size_t used =
        csv_parse(&parser, line.data(), line.size(), Reader::OnField, Reader::OnRow, &reader);
    if (used != line.size()) {
      reader.row_line = reader.line;
      reader.Fail(0, "not valid CSV: " + std::string(csv_strerror(csv_error(&parser))) +
                         " (at character " + std::to_string(used + 1) + ")");
    }
    at = end;
    ++reader.line;
  }
  if (!reader.error && csv_fini(&parser, Reader::OnField, Reader::OnRow, &reader) != 0) {
    reader.row_line = reader.line - 1;
    reader.Fail(0, "not valid CSV: a quoted field is not closed");
  }
  csv_free(&parser);
  return reader.error;
}

}  // namespace

std::string ForecastError::ToString() const {
  std::string out = "line " + std::to_string(line);
  if (column > 0) out += ", column " + std::to_string(column);
  return out + ": " + message;
}

std::variant<Forecast, ForecastError> ParseForecastCsv(
    std::string_view text, int64_t interval_ms,
    const std::function<std::string(const std::string& queue)>& timezone_of) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a spreadsheet's BOM
  Reader reader{interval_ms, timezone_of};
  reader.forecast.interval_ms = interval_ms;
  if (auto error = Feed(reader, text)) return *error;
  if (reader.columns == 0) return ForecastError{1, 0, "the file is empty: it needs the header"};
  for (auto& [key, rows] : reader.forecast.series) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
  }
  return std::move(reader.forecast);
}

}  // namespace floorwatch
