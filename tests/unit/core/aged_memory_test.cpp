#include "floorwatch/core/aged_memory.h"

#include <doctest/doctest.h>

using namespace floorwatch;

namespace {
struct Entry {
  int value = 0;
  int64_t stamp = 0;
};
}  // namespace

TEST_CASE("past its limit the memory forgets the entry touched longest ago, and counts it") {
  AgedMemory<Entry> m;
  m.Touch(1, 100, 2).value = 1;
  m.Touch(2, 200, 2).value = 2;
  m.Touch(1, 300, 2);  // 1 is now the newest
  m.Touch(3, 400, 2);  // so 2 goes
  CHECK(m.Find(2) == nullptr);
  CHECK(m.Find(1)->value == 1);
  CHECK(m.forgotten() == 1);
  CHECK(m.size() == 2);
}

TEST_CASE("entries older than a horizon are dropped without counting them as forgotten") {
  AgedMemory<Entry> m;
  m.Touch(1, 100, 10);
  m.Touch(2, 200, 10);
  m.Touch(1, 300, 10);
  m.DropOlderThan(250);
  CHECK(m.Find(2) == nullptr);
  CHECK(m.Find(1) != nullptr);  // touched again at 300: its old place in line was stale
  CHECK(m.forgotten() == 0);
}

TEST_CASE("entries touched over and over are each listed once, oldest touch first") {
  AgedMemory<Entry> m;
  for (int64_t t = 0; t < 100'000; ++t) m.Touch(1 + t % 10, t, 100);
  CHECK(m.size() == 10);
  int oldest_first = 0;
  int64_t last = -1;
  m.ForEachOldestFirst([&](uint64_t, const Entry& e) {
    CHECK(e.stamp > last);
    last = e.stamp;
    ++oldest_first;
  });
  CHECK(oldest_first == 10);
}
