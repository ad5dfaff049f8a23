#include "floorwatch/core/aged_memory.h"

#include <doctest/doctest.h>

#include <map>
#include <random>

using namespace floorwatch;

namespace {

struct Entry {
  uint32_t stamp = 0;
  int value = 0;
};

constexpr int64_t kSecond = 1000;
constexpr int64_t kT = 1'700'000'000'000;  // daemon time, ms

}  // namespace

TEST_CASE("past its limit the memory forgets the entry touched longest ago, and counts it") {
  AgedMemory<Entry> m;
  m.Touch(1, kT + 1 * kSecond, 2).value = 1;
  m.Touch(2, kT + 2 * kSecond, 2).value = 2;
  m.Touch(1, kT + 3 * kSecond, 2);  // 1 is now the newest
  m.Touch(3, kT + 4 * kSecond, 2);  // so 2 goes
  CHECK(m.Find(2) == nullptr);
  CHECK(m.Find(1)->value == 1);
  CHECK(m.forgotten() == 1);
  CHECK(m.size() == 2);
}

TEST_CASE("entries touched in the same second are forgotten in the order of their keys") {
  AgedMemory<Entry> m;
  m.Touch(7, kT + 100, 3);
  m.Touch(5, kT + 200, 3);
  m.Touch(9, kT + 300, 3);
  m.Touch(4, kT + 2 * kSecond, 3);
  CHECK(m.Find(5) == nullptr);
  m.Touch(6, kT + 2 * kSecond, 3);
  CHECK(m.Find(7) == nullptr);
  CHECK(m.Find(9) != nullptr);
  CHECK(m.forgotten() == 2);
}

TEST_CASE("entries older than a horizon are dropped without counting them as forgotten") {
  AgedMemory<Entry> m;
  m.Touch(1, kT + 1 * kSecond, 10);
  m.Touch(2, kT + 2 * kSecond, 10);
  m.Touch(1, kT + 3 * kSecond, 10);
  m.DropOlderThan(kT + 2500);
  CHECK(m.Find(2) == nullptr);
  CHECK(m.Find(1) != nullptr);  // touched again at 3 s: its old place in line was stale
  CHECK(m.forgotten() == 0);
}

TEST_CASE("an entry is kept up to a second longer than its horizon, never dropped early") {
  AgedMemory<Entry> m;
  m.Touch(1, kT + 200, 10);  // stamped at the next whole second, kT + 1 s
  m.DropOlderThan(kT + 1000);
  CHECK(m.Find(1) != nullptr);
  m.DropOlderThan(kT + 1001);
  CHECK(m.Find(1) == nullptr);
}

TEST_CASE("an entry costs 8 bytes of key and its value, in a table 4/5 full at the limit") {
  AgedMemory<Entry> m;
  for (uint64_t k = 1; k <= 100'000; ++k) m.Touch(k, kT, 50'000);
  CHECK(m.size() == 50'000);
  CHECK(m.forgotten() == 50'000);
  CHECK(m.capacity() == 50'000 + 50'000 / 4 + 1);
}

TEST_CASE("the memory forgets exactly as a reference ordered by (second touched, key)") {
  // Many touches of a few thousand keys over a few hundred seconds, expiry now and then:
  // every entry forgotten or dropped is the one a sorted reference names.
  AgedMemory<Entry> m;
  std::map<uint64_t, uint32_t> stamp_of;
  std::map<std::pair<uint32_t, uint64_t>, bool> order;  // (stamp, key) of live entries
  std::mt19937_64 random(11);
  uint64_t forgotten = 0;
  for (int i = 0; i < 300'000; ++i) {
    const int64_t now = kT + i * 3;  // 300 events a second... 900 s in all
    const uint64_t key = 1 + random() % 4000;
    const uint32_t stamp = AgedMemory<Entry>::StampOf(now);
    if (auto it = stamp_of.find(key); it != stamp_of.end()) {
      order.erase({it->second, key});
    } else if (stamp_of.size() >= 1000) {
      const auto oldest = order.begin()->first;
      order.erase(order.begin());
      stamp_of.erase(oldest.second);
      ++forgotten;
    }
    stamp_of[key] = stamp;
    order[{stamp, key}] = true;
    m.Touch(key, now, 1000);
    if (i % 10'000 == 0) {
      const int64_t horizon = now - 60 * kSecond;
      m.DropOlderThan(horizon);
      while (!order.empty() && int64_t(order.begin()->first.first) * 1000 < horizon) {
        stamp_of.erase(order.begin()->first.second);
        order.erase(order.begin());
      }
    }
  }
  CHECK(m.forgotten() == forgotten);
  REQUIRE(m.size() == stamp_of.size());
  for (const auto& [key, stamp] : stamp_of) {
    REQUIRE(m.Find(key) != nullptr);
    CHECK(m.Find(key)->stamp == stamp);
  }
}

TEST_CASE("a memory restored from its entries forgets in the same order as the original") {
  AgedMemory<Entry> original;
  for (uint64_t k = 1; k <= 500; ++k) original.Touch(k * 7919 % 1009, kT + int64_t(k) * 400, 300);
  AgedMemory<Entry> restored;
  restored.set_forgotten(original.forgotten());
  restored.Reserve(original.size());
  original.ForEach([&](uint64_t key, const Entry& e) { restored.Restore(key, e); });
  for (uint64_t k = 2000; k < 2150; ++k) {  // half of the old entries make room
    original.Touch(k, kT + 300 * kSecond, 300);
    restored.Touch(k, kT + 300 * kSecond, 300);
  }
  CHECK(restored.forgotten() == original.forgotten());
  REQUIRE(restored.size() == original.size());
  size_t same = 0;
  original.ForEach([&](uint64_t key, const Entry&) { same += restored.Find(key) != nullptr; });
  CHECK(same == original.size());
}
