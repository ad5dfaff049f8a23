#include "floorwatch/core/timestamp.h"

#include <doctest/doctest.h>

using namespace floorwatch;

TEST_CASE("RFC 3339 times with Z, offsets and fractions") {
  CHECK(*ParseRfc3339Ms("1970-01-01T00:00:00Z") == 0);
  CHECK(*ParseRfc3339Ms("2026-11-23T10:00:00Z") == 1795428000000);
  CHECK(*ParseRfc3339Ms("2026-11-23t10:00:00z") == 1795428000000);
  CHECK(*ParseRfc3339Ms("2026-11-23 10:00:00Z") == 1795428000000);
  CHECK(*ParseRfc3339Ms("2026-11-23T11:30:00+01:30") == 1795428000000);
  CHECK(*ParseRfc3339Ms("2026-11-23T05:00:00-05:00") == 1795428000000);
  CHECK(*ParseRfc3339Ms("2026-11-23T10:00:00.5Z") == 1795428000500);
  CHECK(*ParseRfc3339Ms("2026-11-23T10:00:00.123456789Z") == 1795428000123);
  CHECK(*ParseRfc3339Ms("2024-02-29T00:00:00Z") == 1709164800000);
}

TEST_CASE("malformed or impossible times are refused") {
  for (const char* bad :
       {"2026-11-23", "2026-11-23T10:00:00", "2026-11-23T10:00Z", "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:00:00.Z",
        "2026-11-23T10:00:00+0100", "1969-12-31T23:59:59Z", "2026-11-23T10:00:00Zjunk",
        "１９７０-01-01T00:00:00Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseRfc3339Ms(bad).has_value());
  }
}
