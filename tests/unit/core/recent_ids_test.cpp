#include "floorwatch/core/recent_ids.h"

#include <doctest/doctest.h>

#include <string>

using namespace floorwatch;

TEST_CASE("an id is a duplicate only the second time") {
  RecentIds ids(1024);
  CHECK_FALSE(ids.SeenBefore("a"));
  CHECK(ids.SeenBefore("a"));
  CHECK_FALSE(ids.SeenBefore("b"));
}

TEST_CASE("capacity is rounded up to whole buckets of eight") {
  CHECK(RecentIds(1000).capacity() == 1024);
  CHECK(RecentIds(1).capacity() == 8);
}

TEST_CASE("the last capacity/4 ids are all still remembered") {
  RecentIds ids(65536);
  for (int i = 0; i < 200'000; ++i) ids.SeenBefore("old" + std::to_string(i));
  for (int i = 0; i < 16384; ++i) REQUIRE_FALSE(ids.SeenBefore("id" + std::to_string(i)));
  int remembered = 0;
  for (int i = 0; i < 16384; ++i) remembered += ids.SeenBefore("id" + std::to_string(i));
  // Poisson tail: an id is lost within capacity/4 inserts with p ~ 0.001 per id.
  CHECK(remembered >= 16384 - 60);
}

TEST_CASE("old ids are forgotten: memory stays fixed") {
  RecentIds ids(64);
  CHECK_FALSE(ids.SeenBefore("first"));
  for (int i = 0; i < 10'000; ++i) ids.SeenBefore("id" + std::to_string(i));
  CHECK_FALSE(ids.SeenBefore("first"));
}

TEST_CASE("distinct ids are never taken for duplicates") {
  RecentIds ids(4096);
  int false_duplicates = 0;
  for (int i = 0; i < 1'000'000; ++i)
    false_duplicates += ids.SeenBefore("distinct-" + std::to_string(i));
  CHECK(false_duplicates == 0);
}
