#include "floorwatch/core/wait_heap.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

using namespace floorwatch;

namespace {

// The heap with the positions its callback reports, as the contacts model keeps them.
struct Tracked {
  WaitHeap heap;
  std::map<uint32_t, size_t> pos;
  auto Mover() {
    return [this](uint32_t id, size_t p) { pos[id] = p; };
  }
  void Push(int64_t ms, uint32_t id) { heap.Push(ms, id, Mover()); }
  void Erase(uint32_t id) {
    heap.Erase(pos.at(id), Mover());
    pos.erase(id);
  }
};

}  // namespace

TEST_CASE("the top is the oldest entry, and an erased entry is gone at once") {
  Tracked t;
  t.Push(3000, 1);
  t.Push(1000, 2);
  t.Push(2000, 3);
  CHECK(t.heap.top().ms() == 1000);
  t.Erase(2);
  CHECK(t.heap.size() == 2);
  CHECK(t.heap.top().ms() == 2000);
  CHECK(t.heap.top().id == 3);
}

TEST_CASE("ms keeps all 64 bits, negative ones included") {
  Tracked t;
  t.Push(INT64_MAX, 1);
  t.Push(-5, 2);
  t.Push(INT64_MIN + 1, 3);
  CHECK(t.heap.top().ms() == INT64_MIN + 1);
  t.Erase(3);
  CHECK(t.heap.top().ms() == -5);
  t.Erase(2);
  CHECK(t.heap.top().ms() == INT64_MAX);
}

TEST_CASE("agrees with a multiset over random pushes and erases across page boundaries") {
  Tracked t;
  std::multiset<int64_t> model;
  std::map<uint32_t, int64_t> ms_of;
  std::mt19937 rng(11);
  uint32_t next_id = 0;
  for (int step = 0; step < 60'000; ++step) {
    // Grow to a few pages, then shrink back, so pages are both added and freed.
    const bool grow = (step / 15'000) % 2 == 0;
    if (ms_of.empty() || rng() % 10 < (grow ? 7u : 3u)) {
      const int64_t ms = static_cast<int64_t>(rng() % 5000) - 1000;
      t.Push(ms, next_id);
      ms_of[next_id++] = ms;
      model.insert(ms);
    } else {
      auto it = ms_of.begin();
      std::advance(it, rng() % ms_of.size());
      t.Erase(it->first);
      model.erase(model.find(it->second));
      ms_of.erase(it);
    }
    REQUIRE(t.heap.size() == model.size());
    if (!model.empty()) REQUIRE(t.heap.top().ms() == *model.begin());
  }
  // Every position reported is where that entry is.
  for (const auto& [id, p] : t.pos) REQUIRE(t.heap.at(p).id == id);
}
