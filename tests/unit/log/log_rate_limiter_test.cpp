#include <doctest/doctest.h>

#include "floorwatch/log/log.h"

using floorwatch::LogRateLimiter;

TEST_CASE("the first line is allowed whatever the clock says") {
  LogRateLimiter limiter(2, 1000);
  uint64_t suppressed = 99;
  CHECK(limiter.Allow(1'795'428'000'000, &suppressed));  // a wall-clock time (once overflowed)
  CHECK(suppressed == 0);
}

TEST_CASE("at most N lines per interval, then a count of those held back") {
  LogRateLimiter limiter(2, 1000);
  uint64_t suppressed = 0;
  CHECK(limiter.Allow(0, &suppressed));
  CHECK(limiter.Allow(10, &suppressed));
  CHECK_FALSE(limiter.Allow(20, &suppressed));
  CHECK_FALSE(limiter.Allow(999, &suppressed));
  CHECK(limiter.Allow(1000, &suppressed));
  CHECK(suppressed == 2);
}
