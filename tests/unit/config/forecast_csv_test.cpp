// The forecast file: header, rows, local interval starts, and errors naming line and column.
#include "floorwatch/config/forecast_csv.h"

#include <doctest/doctest.h>

using namespace floorwatch;

namespace {

constexpr int64_t k30m = 30 * 60'000;
// 2026-12-01T00:00Z in ms.
constexpr int64_t kDec1 = 1'796'083'200'000;

std::string Zone(const std::string& queue) { return queue == "berlin" ? "Europe/Berlin" : "UTC"; }

Forecast Parsed(const std::string& text, int64_t interval_ms = k30m) {
  auto r = ParseForecastCsv(text, interval_ms, Zone);
  if (auto* e = std::get_if<ForecastError>(&r)) FAIL(e->ToString());
  return std::get<Forecast>(std::move(r));
}

std::string ErrorOf(const std::string& text, int64_t interval_ms = k30m) {
  auto r = ParseForecastCsv(text, interval_ms, Zone);
  auto* e = std::get_if<ForecastError>(&r);
  return e ? e->ToString() : "";
}

const std::string kHeader = "queue,channel,interval_start,offered,aht_seconds\n";

}  // namespace

TEST_CASE("a row gives the interval's offered and AHT at its UTC start") {
  const Forecast f = Parsed(kHeader + "sales,voice,2026-12-01T09:30,120,240.5\n");
  const ForecastInterval* row = f.At("sales", Channel::kVoice, kDec1 + 9 * 3'600'000 + 30 * 60'000);
  REQUIRE(row != nullptr);
  CHECK(row->offered == 120);
  CHECK(row->aht_seconds == 240.5);
  CHECK_FALSE(f.has_scheduled);
}

TEST_CASE("an interval covers its start up to, not including, the next boundary") {
  const Forecast f = Parsed(kHeader + "sales,voice,2026-12-01T09:30,120,240\n");
  const int64_t start = kDec1 + 9 * 3'600'000 + 30 * 60'000;
  CHECK(f.At("sales", Channel::kVoice, start + k30m - 1) != nullptr);
  CHECK(f.At("sales", Channel::kVoice, start + k30m) == nullptr);
  CHECK(f.At("sales", Channel::kVoice, start - 1) == nullptr);
  CHECK(f.At("sales", Channel::kChat, start) == nullptr);
}

TEST_CASE("the optional scheduled_agents column is read") {
  const Forecast f = Parsed(
      "queue,channel,interval_start,offered,aht_seconds,scheduled_agents\n"
      "sales,chat,2026-12-01T10:00,40,300,7\n");
  CHECK(f.has_scheduled);
  CHECK(f.At("sales", Channel::kChat, kDec1 + 10 * 3'600'000)->scheduled_agents == 7);
}

TEST_CASE("interval starts are local time in the queue's time zone") {
  // Berlin is UTC+1 in December: 09:00 local is 08:00Z.
  const Forecast f = Parsed(kHeader + "berlin,voice,2026-12-01T09:00,10,200\n");
  CHECK(f.At("berlin", Channel::kVoice, kDec1 + 8 * 3'600'000) != nullptr);
  CHECK(f.At("berlin", Channel::kVoice, kDec1 + 9 * 3'600'000) == nullptr);
}

TEST_CASE("rows out of order are sorted by start") {
  const Forecast f = Parsed(kHeader +
                            "sales,voice,2026-12-01T10:00,2,100\n"
                            "sales,voice,2026-12-01T09:30,1,100\n");
  CHECK(f.At("sales", Channel::kVoice, kDec1 + 9 * 3'600'000 + 30 * 60'000)->offered == 1);
  CHECK(f.At("sales", Channel::kVoice, kDec1 + 10 * 3'600'000)->offered == 2);
  CHECK(f.rows() == 2);
}

TEST_CASE("a spreadsheet's byte-order mark and CRLF line ends are accepted") {
  const Forecast f = Parsed(
      "\xEF\xBB\xBFqueue,channel,interval_start,offered,aht_seconds\r\n"
      "sales,voice,2026-12-01T09:00,5,100\r\n");
  CHECK(f.rows() == 1);
}

TEST_CASE("a wrong header names its column") {
  CHECK(ErrorOf("queue,channel,start,offered,aht_seconds\n") ==
        "line 1, column 3: expected 'interval_start', got 'start'");
}

TEST_CASE("an empty file is refused") {
  CHECK(ErrorOf("") == "line 1: the file is empty: it needs the header");
}

TEST_CASE("a bad number names its line and column") {
  CHECK(ErrorOf(kHeader + "sales,voice,2026-12-01T09:00,5,100\nsales,voice,2026-12-01T09:30,"
                          "many,100\n") ==
        "line 3, column 4: (offered) must be a number >= 0, got 'many'");
}

TEST_CASE("a negative AHT is refused") {
  CHECK(ErrorOf(kHeader + "sales,voice,2026-12-01T09:00,5,-1\n") ==
        "line 2, column 5: (aht_seconds) must be a number >= 0, got '-1'");
}

TEST_CASE("an unknown channel is refused") {
  CHECK(ErrorOf(kHeader + "sales,fax,2026-12-01T09:00,5,100\n") ==
        "line 2, column 2: (channel) must be a channel name, got 'fax'");
}

TEST_CASE("a start off the interval boundary is refused") {
  CHECK(ErrorOf(kHeader + "sales,voice,2026-12-01T09:15,5,100\n") ==
        "line 2, column 3: (interval_start) must start an interval of 30 minutes, got "
        "'2026-12-01T09:15'");
}

TEST_CASE("15-minute intervals accept quarter hours") {
  CHECK(Parsed(kHeader + "sales,voice,2026-12-01T09:15,5,100\n", 15 * 60'000).rows() == 1);
}

TEST_CASE("an impossible date is refused") {
  CHECK(ErrorOf(kHeader + "sales,voice,2026-02-29T09:00,5,100\n") ==
        "line 2, column 3: (interval_start) must be a local time YYYY-MM-DDTHH:MM, got "
        "'2026-02-29T09:00'");
  CHECK(ErrorOf(kHeader + "sales,voice,2028-02-29T09:00,5,100\n").empty());
}

TEST_CASE("a row with too few fields is refused") {
  CHECK(ErrorOf(kHeader + "sales,voice,2026-12-01T09:00,5\n") ==
        "line 2: has 4 fields, the header 5");
}

TEST_CASE("the same interval twice for a queue and channel is refused") {
  CHECK(ErrorOf(kHeader + "sales,voice,2026-12-01T09:00,5,100\n"
                          "sales,voice,2026-12-01T09:00,6,100\n") ==
        "line 3, column 3: (interval_start) is listed twice for this queue and channel, got "
        "'2026-12-01T09:00'");
}

TEST_CASE("a local time skipped by the clocks going forward is refused") {
  // Berlin 2026-03-29: 02:00 local jumps to 03:00.
  CHECK(ErrorOf(kHeader + "berlin,voice,2026-03-29T02:30,5,100\n") ==
        "line 2, column 3: (interval_start) does not exist in Europe/Berlin (DST gap), got "
        "'2026-03-29T02:30'");
}

TEST_CASE("a local time repeated by the clocks going back names both instants in order") {
  // Berlin 2026-10-25: 02:30 local happens at 00:30Z (summer time) and again at 01:30Z.
  const Forecast f = Parsed(kHeader +
                            "berlin,voice,2026-10-25T02:30,1,100\n"
                            "berlin,voice,2026-10-25T02:30,2,100\n");
  const int64_t oct25 = kDec1 - 37LL * 86'400'000;
  CHECK(f.At("berlin", Channel::kVoice, oct25 + 30 * 60'000)->offered == 1);
  CHECK(f.At("berlin", Channel::kVoice, oct25 + 90 * 60'000)->offered == 2);
}

TEST_CASE("an unclosed quote is refused as invalid CSV") {
  CHECK(ErrorOf(kHeader + "\"sales,voice,2026-12-01T09:00,5,100\n").find("not valid CSV") !=
        std::string::npos);
}

TEST_CASE("a quoted field is read without its quotes") {
  CHECK(Parsed(kHeader + "\"sales, east\",voice,2026-12-01T09:00,5,100\n")
            .At("sales, east", Channel::kVoice, kDec1 + 9 * 3'600'000) != nullptr);
}
