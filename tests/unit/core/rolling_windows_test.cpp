#include "floorwatch/core/rolling_windows.h"

#include <doctest/doctest.h>

using namespace floorwatch;

namespace {
const TimeZone kUtc("UTC");
constexpr int64_t kNow = 1'795'428'000'000;
Tally One() { return Tally{.offered = 1}; }
}  // namespace

TEST_CASE("each window sums only the seconds inside it") {
  RollingWindows w({60, 600});
  w.Record(kNow - 30'000, kNow, kUtc, One());
  w.Record(kNow - 120'000, kNow, kUtc, One());
  w.Advance(kNow, kUtc);
  CHECK(w.Rolling(0).offered == 1);
  CHECK(w.Rolling(1).offered == 2);
}

TEST_CASE("buckets older than the longest window are dropped") {
  RollingWindows w({60});
  for (int i = 0; i < 1000; ++i) w.Record(kNow + i * 1000, kNow + i * 1000, kUtc, One());
  CHECK(w.bucket_count() <= 61);
  CHECK(w.Rolling(0).offered == 60);
}

TEST_CASE("outcomes older than every window are not stored") {
  RollingWindows w({60});
  w.Advance(kNow, kUtc);
  w.Record(kNow - 61'000, kNow, kUtc, One());
  CHECK(w.bucket_count() == 0);
  CHECK(w.Rolling(0).offered == 0);
}

TEST_CASE("an old outcome inserted before a window's first bucket is not counted in it") {
  RollingWindows w({10, 100});
  w.Record(kNow - 5000, kNow, kUtc, One());
  w.Record(kNow - 50'000, kNow, kUtc, One());  // inside 100 s only, inserted in front
  CHECK(w.Rolling(0).offered == 1);
  CHECK(w.Rolling(1).offered == 2);
  w.Advance(kNow + 6000, kUtc);
  CHECK(w.Rolling(0).offered == 0);
  CHECK(w.Rolling(1).offered == 2);
  w.Advance(kNow + 51'000, kUtc);
  CHECK(w.Rolling(1).offered == 1);
}

TEST_CASE("sums return exactly to zero once everything expires") {
  RollingWindows w({30});
  for (int i = 0; i < 100; ++i) {
    w.Record(kNow + i * 250, kNow + i * 250, kUtc, Tally{.answered = 1, .wait_ms = 1234 + i});
  }
  w.Advance(kNow + 100'000, kUtc);
  CHECK(w.Rolling(0).answered == 0);
  CHECK(w.Rolling(0).wait_ms == 0);
  CHECK(w.bucket_count() == 0);
}
