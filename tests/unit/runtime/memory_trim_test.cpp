#include "floorwatch/runtime/memory_trim.h"

#include <doctest/doctest.h>

using floorwatch::TrimPolicy;

TEST_CASE("no trim before any input") {
  TrimPolicy p(1000, 60000);
  CHECK_FALSE(p.Due(0, 1000));
  CHECK_FALSE(p.Due(0, 100000));
}

TEST_CASE("a trim once input has stopped for the idle time") {
  TrimPolicy p(1000, 60000);
  CHECK_FALSE(p.Due(5, 1000));  // input just arrived
  CHECK_FALSE(p.Due(5, 1999));
  CHECK(p.Due(5, 2000));
}

TEST_CASE("one trim per burst: none again until new input") {
  TrimPolicy p(1000, 60000);
  CHECK_FALSE(p.Due(5, 1000));
  CHECK(p.Due(5, 2000));
  CHECK_FALSE(p.Due(5, 3000));
  CHECK_FALSE(p.Due(5, 90000));
  CHECK_FALSE(p.Due(6, 91000));
  CHECK(p.Due(6, 92000));
}

TEST_CASE("under steady input a trim every busy interval") {
  TrimPolicy p(1000, 60000);
  uint64_t received = 0;
  int trims = 0;
  for (int64_t t = 1000; t <= 180000; t += 1000) trims += p.Due(++received, t) ? 1 : 0;
  CHECK(trims == 2);  // at 61 s and 122 s (the third would be at 182 s)
}
