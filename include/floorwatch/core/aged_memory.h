// A bounded memory of entries by 64-bit key, oldest forgotten first: what the outcome models
// remember about customers and closed contacts. Each entry carries `stamp`, the second of
// daemon time (rounded up) it was last touched in; the age order is (stamp, key). Past the
// limit the entry touched in the earliest second is forgotten (counted; entries of the same
// second go by key), and entries touched before a horizon are dropped (not counted: they
// expired). Rounding up keeps an entry up to a second longer, never shorter: the core
// expires at its Tick, about once a second, anyway.
//
// Memory: only the HashTable of the entries (8 bytes of key + sizeof(V) per slot, capacity
// 1.25x the entries at the limit). The age order costs nothing per entry: a sorted list of
// the oldest candidates, every entry at or below `bound_` in the age order, is refilled by
// one pass over the table (picking the next kMaxCandidates at most) when it runs dry. An
// entry touched again leaves a stale candidate, skipped when reached. Amortised cost of a
// forget or an expiry: a pass over capacity / candidates slots (20 at the limit).
// The order depends on the entries alone, so a snapshot holds only the entries and a
// restored memory forgets in the same order.
// V: trivially copyable, default-constructible, with a `uint32_t stamp` member.
// Single-threaded (the core thread).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "floorwatch/core/hash_table.h"

namespace floorwatch {

template <typename V>
class AgedMemory {
 public:
  static constexpr size_t kMaxCandidates = 131072;  // 16 bytes each, twice as many gathered

  // The stamp of daemon time `now_ms`: seconds since the epoch, rounded up.
  static uint32_t StampOf(int64_t now_ms) {
    if (now_ms <= 0) return 0;
    return static_cast<uint32_t>(std::min<int64_t>((now_ms + 999) / 1000, UINT32_MAX));
  }

  V* Find(uint64_t key) { return table_.Find(key); }
  const V* Find(uint64_t key) const { return table_.Find(key); }

  // What Touch and DropOlderThan call by default for an entry they remove: nothing.
  struct IgnoreErase {
    void operator()(uint64_t, const V&) const {}
  };

  // The entry for `key` (inserted, forgetting the oldest first while at `limit`), stamped now.
  // `on_erase(key, entry)` is called for each entry forgotten, before it goes (for what a
  // caller keeps about it elsewhere).
  template <typename OnErase = IgnoreErase>
  V& Touch(uint64_t key, int64_t now_ms, int64_t limit, OnErase&& on_erase = OnErase{}) {
    const uint32_t stamp = StampOf(now_ms);
    V* entry = table_.Find(key);
    if (entry == nullptr) {
      table_.set_max_entries(static_cast<size_t>(std::max<int64_t>(limit, 0)));
      while (static_cast<int64_t>(table_.size()) >= limit && PopOldest(kAny, on_erase))
        ++forgotten_;
      entry = &table_[key];
    } else if (entry->stamp == stamp) {
      return *entry;  // its place in the age order is unchanged
    }
    entry->stamp = stamp;
    Candidate(stamp, key);
    return *entry;
  }

  // Drops entries last touched before daemon time `horizon_ms` (expired, not forgotten),
  // calling `on_erase(key, entry)` for each before it goes.
  template <typename OnErase = IgnoreErase>
  void DropOlderThan(int64_t horizon_ms, OnErase&& on_erase = OnErase{}) {
    const uint64_t before = horizon_ms <= 0 ? 0 : (static_cast<uint64_t>(horizon_ms) + 999) / 1000;
    while (PopOldest(before, on_erase)) {
    }
  }

  size_t size() const { return table_.size(); }
  size_t capacity() const { return table_.capacity(); }  // slots of the table
  uint64_t forgotten() const { return forgotten_; }
  void set_forgotten(uint64_t n) { forgotten_ = n; }

  // Every entry, in no particular order (for snapshots: the order is in the stamps).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    table_.ForEach(fn);
  }
  // Before restoring `n` entries: room for them at once.
  void Reserve(size_t n) { table_.Reserve(n); }
  // Adds an entry read back from a snapshot.
  void Restore(uint64_t key, const V& entry) {
    table_[key] = entry;
    Candidate(entry.stamp, key);
  }

 private:
  struct Item {
    uint32_t stamp;
    uint64_t key;
    bool operator<(const Item& o) const { return stamp != o.stamp ? stamp < o.stamp : key < o.key; }
  };
  static bool Later(const Item& a, const Item& b) { return b < a; }  // min-heap order
  static constexpr uint64_t kAny = uint64_t{UINT32_MAX} + 1;         // above every stamp
  static constexpr size_t kAhead = 16;                               // candidates prefetched

  // Keeps the candidates holding every entry at or below bound_.
  void Candidate(uint32_t stamp, uint64_t key) {
    const Item item{stamp, key};
    if (bound_ < item) return;
    extra_.push_back(item);
    std::push_heap(extra_.begin(), extra_.end(), Later);
  }

  // The oldest candidate, or nullptr when none is left.
  const Item* Front() const {
    const Item* sorted = next_ < sorted_.size() ? &sorted_[next_] : nullptr;
    if (extra_.empty()) return sorted;
    return sorted != nullptr && *sorted < extra_.front() ? sorted : &extra_.front();
  }
  void PopFront(const Item* front) {
    if (extra_.empty() || front != &extra_.front()) return void(++next_);
    std::pop_heap(extra_.begin(), extra_.end(), Later);
    extra_.pop_back();
  }

  // Erases the oldest entry if its stamp is below `before`; false when there is none.
  template <typename OnErase>
  bool PopOldest(uint64_t before, OnErase& on_erase) {
    for (;;) {
      const Item* front = Front();
      if (front == nullptr) {
        if (!Refill(before)) return false;
        continue;
      }
      const Item top = *front;
      V* entry = table_.Find(top.key);
      const bool live = entry != nullptr && entry->stamp == top.stamp;
      if (live && top.stamp >= before) return false;
      PopFront(front);
      // Forgets come one per new entry at the limit: start on the next ones' slots now.
      if (next_ + kAhead < sorted_.size()) table_.Prefetch(sorted_[next_ + kAhead].key);
      if (live) {
        on_erase(top.key, *entry);
        table_.EraseFound(entry);
        return true;
      }
    }
  }

  // With no candidate left, no entry is at or below bound_, so none is stamped below
  // bound_.stamp: a pass is needed only if `before` lies above that.
  bool Refill(uint64_t before) {
    if (table_.size() == 0 || before <= bound_.stamp) return false;
    const size_t want = std::clamp<size_t>(table_.size() / 16, 64, kMaxCandidates);
    // The `want` oldest in linear time: gather those below the running cut-off; when twice
    // `want` are gathered, keep the oldest `want` and lower the cut-off to the last kept.
    sorted_.clear();
    sorted_.reserve(2 * want);
    next_ = 0;
    Item cut{0, 0};
    bool cutting = false;
    const auto keep_oldest = [&] {
      std::nth_element(sorted_.begin(), sorted_.begin() + (want - 1), sorted_.end());
      sorted_.resize(want);
      cut = sorted_.back();  // the want-th oldest: nth_element put it there
      cutting = true;
    };
    table_.ForEach([&](uint64_t key, const V& entry) {
      const Item item{entry.stamp, key};
      if (cutting && !(item < cut)) return;
      sorted_.push_back(item);
      if (sorted_.size() == 2 * want) keep_oldest();
    });
    if (sorted_.size() > want) keep_oldest();
    std::sort(sorted_.begin(), sorted_.end());  // oldest first
    bound_ = sorted_.back();
    return true;
  }

  HashTable<V> table_;
  // The candidates: every entry at or below bound_ in the age order, and stale items of
  // entries touched since. sorted_[next_..] from the last pass, oldest first; extra_, a
  // min-heap of those touched into that range since (rare: a clock set back, or a key
  // below bound_'s in bound_'s second).
  std::vector<Item> sorted_;
  size_t next_ = 0;
  std::vector<Item> extra_;
  Item bound_{0, 0};
  uint64_t forgotten_ = 0;
};

}  // namespace floorwatch
