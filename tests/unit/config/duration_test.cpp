#include "floorwatch/config/duration.h"

#include <doctest/doctest.h>

using namespace floorwatch;

TEST_CASE("durations parse with every unit and as plain seconds") {
  CHECK(*ParseDurationMs("500ms") == 500);
  CHECK(*ParseDurationMs("30s") == 30'000);
  CHECK(*ParseDurationMs("5m") == 300'000);
  CHECK(*ParseDurationMs("1h") == 3'600'000);
  CHECK(*ParseDurationMs("1d") == 86'400'000);
  CHECK(*ParseDurationMs("90") == 90'000);
  CHECK(*ParseDurationMs("1.5") == 1500);
}

TEST_CASE("malformed durations are refused") {
  for (const char* bad : {"", "s", "5 m", "-5s", "5x", "1e3s", "ms5", "400d"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseDurationMs(bad).has_value());
  }
}

TEST_CASE("durations format in the largest whole unit") {
  CHECK(FormatDurationMs(900'000) == "15m");
  CHECK(FormatDurationMs(3'600'000) == "1h");
  CHECK(FormatDurationMs(5'400'000) == "90m");
  CHECK(FormatDurationMs(45'000) == "45s");
  CHECK(FormatDurationMs(86'400'000) == "1d");
}
