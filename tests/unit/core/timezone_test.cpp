#include "floorwatch/core/timezone.h"

#include <doctest/doctest.h>

#include "floorwatch/core/timestamp.h"

using namespace floorwatch;

TEST_CASE("known and unknown zone names") {
  CHECK(IsValidTimeZone("UTC"));
  CHECK(IsValidTimeZone("Europe/Berlin"));
  CHECK(IsValidTimeZone("America/Sao_Paulo"));
  CHECK_FALSE(IsValidTimeZone("Europe/Atlantis"));
}

TEST_CASE("offsets follow DST in Europe/Berlin") {
  TimeZone berlin("Europe/Berlin");
  CHECK(berlin.OffsetSeconds(DaysFromCivil(2026, 1, 15) * 86'400'000) == 3600);
  CHECK(berlin.OffsetSeconds(DaysFromCivil(2026, 7, 15) * 86'400'000) == 7200);
  CHECK(berlin.OffsetSeconds(DaysFromCivil(2026, 1, 15) * 86'400'000) == 3600);  // cache miss back
}

TEST_CASE("the local day flips at local midnight") {
  TimeZone tokyo("Asia/Tokyo");  // UTC+9, no DST
  const int64_t day = DaysFromCivil(2026, 11, 23);
  CHECK(tokyo.LocalDay((day * 86400 + 14 * 3600 + 59 * 60) * 1000) == day);  // 23:59 JST
  CHECK(tokyo.LocalDay((day * 86400 + 15 * 3600) * 1000) == day + 1);        // 00:00 JST
}

TEST_CASE("FloorDiv rounds towards minus infinity, unlike C++ division") {
  CHECK(FloorDiv(7, 2) == 3);
  CHECK(FloorDiv(-7, 2) == -4);
  CHECK(FloorDiv(-8, 2) == -4);
  CHECK(FloorDiv(7, -2) == -4);
  CHECK(FloorDiv(-1, 86'400'000) == -1);
}
