#include "floorwatch/core/hash_table.h"

#include <doctest/doctest.h>

#include <map>
#include <random>

using namespace floorwatch;

TEST_CASE("a hash table finds what was put in and forgets what was erased") {
  HashTable<int> t;
  t[5] = 50;
  t[69] = 690;  // 69 & 63 == 5: the same home slot
  CHECK(*t.Find(5) == 50);
  CHECK(*t.Find(69) == 690);
  t.Erase(5);
  CHECK(t.Find(5) == nullptr);
  CHECK(*t.Find(69) == 690);  // moved back into the hole, still found
  CHECK(t.size() == 1);
}

TEST_CASE("a hash table agrees with std::map over random inserts and erases") {
  HashTable<uint64_t> t;
  std::map<uint64_t, uint64_t> reference;
  std::mt19937_64 random(7);
  for (int i = 0; i < 200'000; ++i) {
    const uint64_t key = MemoryKey(random() % 5000);  // many collisions of home slots
    if (random() % 3 == 0) {
      t.Erase(key);
      reference.erase(key);
    } else {
      t[key] = i;
      reference[key] = i;
    }
  }
  REQUIRE(t.size() == reference.size());
  for (const auto& [key, value] : reference) {
    REQUIRE(t.Find(key) != nullptr);
    CHECK(*t.Find(key) == value);
  }
  size_t seen = 0;
  t.ForEach([&](uint64_t, const uint64_t&) { ++seen; });
  CHECK(seen == reference.size());
}
