#include "floorwatch/core/slot_map.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>

using namespace floorwatch;

namespace {
struct Item {
  std::string id;
  int value = 0;
};
}  // namespace

TEST_CASE("insert, find and erase by id") {
  SlotMap<Item> m;
  const uint32_t a = m.Insert("a");
  m[a].value = 1;
  CHECK(m.Find("a") == a);
  CHECK(m.Find("b") == SlotMap<Item>::kNone);
  m.Erase(a);
  CHECK(m.Find("a") == SlotMap<Item>::kNone);
  CHECK(m.size() == 0);
}

TEST_CASE("freed slots are reused") {
  SlotMap<Item> m;
  const uint32_t a = m.Insert("a");
  m.Insert("b");
  m.Erase(a);
  CHECK(m.Insert("c") == a);
  CHECK(m.slot_count() == 2);
}

TEST_CASE("agrees with std::map over a random insert/erase workload") {
  SlotMap<Item> m;
  std::map<std::string, uint32_t> model;
  std::mt19937 rng(7);
  for (int step = 0; step < 200'000; ++step) {
    const std::string id = "k" + std::to_string(rng() % 5000);
    auto it = model.find(id);
    if (it == model.end()) {
      model[id] = m.Insert(id);
    } else if (rng() % 2) {
      m.Erase(it->second);
      model.erase(it);
    }
  }
  CHECK(m.size() == model.size());
  for (const auto& [id, slot] : model) REQUIRE(m.Find(id) == slot);
  for (int i = 0; i < 5000; ++i) {
    const std::string id = "k" + std::to_string(i);
    CHECK((m.Find(id) != SlotMap<Item>::kNone) == (model.count(id) == 1));
  }
}

TEST_CASE("the index is at most 4/5 full and at most 25/16 of its items after growing") {
  SlotMap<Item> m;
  for (int i = 0; i < 100'000; ++i) {
    m.Insert("k" + std::to_string(i));
    REQUIRE(m.size() * 5 <= m.index_capacity() * 4);
  }
  CHECK(m.index_capacity() * 16 <= 100'000 * 25 + 16 * 16);
}
