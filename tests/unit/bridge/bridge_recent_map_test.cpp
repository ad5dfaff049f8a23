// RecentMap (bridge/core/recent_map.h): the mappers' memory of live contacts, calls and tasks.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "floorwatch/bridge/core/recent_map.h"

using namespace floorwatch::bridge;

namespace {
struct Entry {
  int64_t last_ts_ms = 0;
  int value = 0;
};

std::vector<std::string> Ids(const RecentMap<Entry>& map) {
  std::vector<std::string> ids;
  map.ForEachOldestFirst([&](const std::string& id, const Entry&) { ids.push_back(id); });
  return ids;
}
}  // namespace

TEST_CASE("past max_entries the oldest entry is forgotten first") {
  RecentMap<Entry> map;
  map.Add("a", 1, 2, 1'000);
  map.Add("b", 2, 2, 1'000);
  map.Add("c", 3, 2, 1'000);
  CHECK(Ids(map) == std::vector<std::string>{"b", "c"});
  CHECK(map.Find("a", 3) == nullptr);
}

TEST_CASE("an entry silent for forget_after_ms is forgotten when the next one is added") {
  RecentMap<Entry> map;
  map.Add("old", 0, 100, 1'000);
  map.Add("kept", 500, 100, 1'000);
  map.Add("new", 1'001, 100, 1'000);
  CHECK(Ids(map) == std::vector<std::string>{"kept", "new"});
}

TEST_CASE("a record for an entry keeps it from being forgotten as silent") {
  RecentMap<Entry> map;
  map.Add("a", 0, 100, 1'000);
  REQUIRE(map.Find("a", 900) != nullptr);
  map.Add("b", 1'500, 100, 1'000);
  CHECK(Ids(map) == std::vector<std::string>{"a", "b"});
  CHECK(map.Find("a", 10)->last_ts_ms == 900);  // an older record does not move it back
}

TEST_CASE("each forgotten entry is passed to on_forget before it goes") {
  RecentMap<Entry> map;
  map.Add("a", 1, 1, 1'000).value = 7;
  std::vector<int> forgotten;
  map.Add("b", 2, 1, 1'000, [&](Entry& e) { forgotten.push_back(e.value); });
  CHECK(forgotten == std::vector<int>{7});
  CHECK(map.size() == 1);
}

TEST_CASE("Append refuses an id it already holds") {
  RecentMap<Entry> map;
  CHECK(map.Append("a", Entry{1, 1}));
  CHECK_FALSE(map.Append("a", Entry{2, 2}));
  CHECK(map.Find("a", 0)->value == 1);
}
