// CompactId and SmallList: the compact members of a live contact (contacts_model.h).
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "floorwatch/core/compact_id.h"
#include "floorwatch/core/small_list.h"

using namespace floorwatch;

TEST_CASE("an id of up to 15 bytes reads back as it was written") {
  for (const std::string s : {"", "a", "c-000123456", "exactly15bytes!"}) {
    const CompactId id(s);
    CHECK(std::string_view(id) == s);
    CHECK(id.size() == s.size());
  }
}

TEST_CASE("an id longer than 15 bytes reads back as it was written") {
  const std::string uuid = "5c1e0f8a-9a4b-4c3e-8d2f-0123456789ab";
  const CompactId id(uuid);
  CHECK(std::string_view(id) == uuid);
  CHECK(id == uuid);
  CHECK_FALSE(id == "5c1e0f8a");
}

TEST_CASE("an id keeps embedded NUL bytes") {
  const std::string s("a\0b", 3);
  CHECK(std::string_view(CompactId(s)) == s);
}

TEST_CASE("copied and moved ids stay equal to the original and independent") {
  const std::string long_id(40, 'x');
  CompactId a(long_id);
  CompactId b = a;
  CompactId c = std::move(a);
  CHECK(b == long_id);
  CHECK(c == long_id);
  CHECK(a.empty());
  b = CompactId("short");
  CHECK(b == "short");
  CHECK(c == long_id);
  c = std::move(b);
  CHECK(c == "short");
}

TEST_CASE("ids survive the moves of a growing vector") {
  std::vector<CompactId> ids;
  for (int i = 0; i < 1000; ++i) ids.emplace_back(std::string(i % 40, 'a' + i % 26));
  for (int i = 0; i < 1000; ++i) CHECK(ids[i] == std::string(i % 40, 'a' + i % 26));
}

TEST_CASE("a small list keeps its items in order through pushes and erases") {
  SmallList<int> list;
  CHECK(list.empty());
  for (int i = 0; i < 5; ++i) list.push_back(i);
  CHECK(list.size() == 5);
  list.erase(list.begin() + 1);  // 0 2 3 4
  list.erase(list.end() - 1);    // 0 2 3
  CHECK(std::vector<int>(list.begin(), list.end()) == std::vector<int>{0, 2, 3});
}

TEST_CASE("a small list is empty again after its last item is erased") {
  SmallList<int> list;
  list.push_back(7);
  list.erase(list.begin());
  CHECK(list.empty());
  CHECK(list.begin() == list.end());
  list.push_back(8);
  CHECK(list[0] == 8);
}

TEST_CASE("a copied small list is independent of the original") {
  SmallList<int> a;
  a.push_back(1);
  a.push_back(2);
  SmallList<int> b = a;
  b.push_back(3);
  CHECK(a.size() == 2);
  CHECK(b.size() == 3);
  SmallList<int> c = std::move(b);
  CHECK(b.empty());
  CHECK(c.size() == 3);
}

#include "floorwatch/core/slot_table.h"

TEST_CASE("a slot table holds entries only for the slots given one") {
  SlotTable<int> t;
  CHECK(t.Find(0) == nullptr);
  t.Get(0) = 5;
  t.Get(1000000) = 6;
  CHECK(*t.Find(0) == 5);
  CHECK(*t.Find(1000000) == 6);
  CHECK(t.Find(1) == nullptr);
  CHECK(t.size() == 2);
  t.Erase(0);
  CHECK(t.Find(0) == nullptr);
  CHECK(t.size() == 1);
}
