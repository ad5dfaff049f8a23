#include "floorwatch/core/hash_table.h"

#include <doctest/doctest.h>

#include <map>
#include <random>

using namespace floorwatch;

TEST_CASE("a hash table finds what was put in and forgets what was erased") {
  HashTable<int> t;
  // Two keys whose Fibonacci hashes share the top 6 bits: one home slot at capacity 64.
  const auto home = [](uint64_t k) { return (k * 0x9E3779B97F4A7C15ULL) >> 58; };
  const uint64_t a = 5;
  uint64_t b = a + 1;
  while (home(b) != home(a)) ++b;
  t[a] = 50;
  t[b] = 690;
  CHECK(*t.Find(a) == 50);
  CHECK(*t.Find(b) == 690);
  t.Erase(a);
  CHECK(t.Find(a) == nullptr);
  CHECK(*t.Find(b) == 690);  // moved back into the hole, still found
  CHECK(t.size() == 1);
}

TEST_CASE("a hash table agrees with std::map over random inserts and erases") {
  HashTable<uint64_t> t;
  std::map<uint64_t, uint64_t> reference;
  std::mt19937_64 random(7);
  for (int i = 0; i < 200'000; ++i) {
    // Few distinct keys, with the home slots of a small table crowded at its end (wrapping).
    const uint64_t key = MemoryKey(random() % 5000 | (i % 2 ? ~uint64_t{0} << 60 : 0));
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

TEST_CASE("a hash table grows no further than its max entries need: 4/5 full there") {
  HashTable<uint64_t> t;
  t.set_max_entries(1'000'000);
  std::mt19937_64 random(3);
  while (t.size() < 1'000'000) t[MemoryKey(random())] = 1;
  CHECK(t.capacity() == 1'250'001);
}

TEST_CASE("a hash table shrinks when mostly emptied, and still finds the rest") {
  HashTable<uint64_t> t;
  for (uint64_t k = 1; k <= 100'000; ++k) t[k * 0x9E3779B97F4A7C15ULL] = k;
  const size_t full = t.capacity();
  for (uint64_t k = 1; k <= 99'000; ++k) t.Erase(k * 0x9E3779B97F4A7C15ULL);
  CHECK(t.capacity() < full / 8);
  for (uint64_t k = 99'001; k <= 100'000; ++k) CHECK(*t.Find(k * 0x9E3779B97F4A7C15ULL) == k);
}
