// --speed (bridge/core/pacer.cpp), with the wall clock passed in.
#include <doctest/doctest.h>

#include "floorwatch/bridge/core/pacer.h"

using namespace floorwatch::bridge;

TEST_CASE("the first record is due at once and fixes the shift to now") {
  Pacer p(60);
  CHECK(p.DueAt(1'543'602'677'000, 2'000'000'000'000) == 2'000'000'000'000);
  CHECK(p.shift_ms() == 2'000'000'000'000 - 1'543'602'677'000);
}

TEST_CASE("later records come N times faster than their timestamps") {
  Pacer p(60);
  const int64_t start = 1'000'000;
  p.DueAt(0, start);
  CHECK(p.DueAt(60'000, start) == start + 1'000);  // a minute of the file in a second
  CHECK(p.DueAt(90'000, start) == start + 1'500);
  CHECK(p.DueAt(90'000, start) == start + 1'500);  // same second: no wait
}

TEST_CASE("a quiet stretch waits at most max_idle") {
  Pacer p(60, 2'000);
  p.DueAt(0, 0);
  CHECK(p.DueAt(8 * 3'600'000, 0) == 2'000);  // a night of the file in two seconds
  CHECK(p.DueAt(8 * 3'600'000 + 6'000, 0) == 2'100);
}

TEST_CASE("a timestamp going back is due at once and does not move the pace back") {
  Pacer p(10);
  p.DueAt(10'000, 0);
  CHECK(p.DueAt(5'000, 0) == 0);
  CHECK(p.DueAt(20'000, 0) == 1'000);
}

TEST_CASE("the shift stays the same for every record") {
  Pacer p(5);
  p.DueAt(1'000, 50'000);
  p.DueAt(100'000, 50'000);
  CHECK(p.shift_ms() == 49'000);
}
