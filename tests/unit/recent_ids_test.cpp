#include <doctest/doctest.h>

#include <string>

#include "floorwatch/recent_ids.h"

using namespace floorwatch;

TEST_CASE("an id is a duplicate only the second time") {
  RecentIds ids(10);
  CHECK_FALSE(ids.SeenBefore("a"));
  CHECK(ids.SeenBefore("a"));
  CHECK_FALSE(ids.SeenBefore("b"));
}

TEST_CASE("the oldest ids are forgotten at capacity, the newest kept") {
  RecentIds ids(100);
  for (int i = 0; i < 1000; ++i) ids.SeenBefore("id" + std::to_string(i));
  CHECK(ids.size() == 100);
  CHECK_FALSE(ids.SeenBefore("id0"));   // forgotten (and now remembered again)
  CHECK(ids.SeenBefore("id999"));
  CHECK(ids.SeenBefore("id901"));
}
