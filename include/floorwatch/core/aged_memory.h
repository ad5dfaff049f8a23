// A bounded memory of entries by 64-bit key, oldest forgotten first: what the outcome models
// remember about customers and closed contacts. Each entry has a `stamp` (the daemon time it
// was last touched); past the limit the entry touched longest ago is forgotten (counted),
// and entries older than a horizon can be dropped (not counted: they expired).
//
// A HashTable of the entries plus a queue of (key, stamp) in touch order; touching an entry
// again leaves its old queue item stale (skipped when reached), and the queue is rebuilt
// when stale items outnumber live ones, so it stays within about twice the entries.
// V: a struct with `int64_t stamp`. Single-threaded (the core thread).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "floorwatch/core/hash_table.h"

namespace floorwatch {

template <typename V>
class AgedMemory {
 public:
  V* Find(uint64_t key) { return table_.Find(key); }
  const V* Find(uint64_t key) const { return table_.Find(key); }

  // The entry for `key` (inserted, forgetting the oldest first while at `limit`), stamped now.
  V& Touch(uint64_t key, int64_t now, int64_t limit) {
    if (table_.Find(key) == nullptr) {
      while (static_cast<int64_t>(table_.size()) >= limit && PopOldest(/*forget=*/true)) {
      }
    }
    V& entry = table_[key];
    entry.stamp = now;
    order_.emplace_back(key, now);
    if (order_.size() > 2 * table_.size() + 1024) Compact();
    return *table_.Find(key);
  }

  // Drops entries stamped before `horizon` (expired, not forgotten).
  void DropOlderThan(int64_t horizon) {
    while (!order_.empty() && order_.front().second < horizon && PopOldest(/*forget=*/false)) {
    }
  }

  size_t size() const { return table_.size(); }
  uint64_t forgotten() const { return forgotten_; }
  void set_forgotten(uint64_t n) { forgotten_ = n; }

  // Live entries, oldest stamp first (for snapshots).
  template <typename Fn>
  void ForEachOldestFirst(Fn&& fn) const {
    for (const auto& [stamp, key] : Sorted()) fn(key, *table_.Find(key));
  }
  // Adds an entry read back from a snapshot, in oldest-first order.
  void Restore(uint64_t key, const V& entry) {
    table_[key] = entry;
    order_.emplace_back(key, entry.stamp);
  }

 private:
  // Removes the queue's front item; if it is live, its entry too. False when empty.
  bool PopOldest(bool forget) {
    if (order_.empty()) return false;
    const auto [key, stamp] = order_.front();
    order_.pop_front();
    const V* entry = table_.Find(key);
    if (entry != nullptr && entry->stamp == stamp) {
      table_.Erase(key);
      forgotten_ += forget;
    }
    return true;
  }

  std::vector<std::pair<int64_t, uint64_t>> Sorted() const {
    std::vector<std::pair<int64_t, uint64_t>> live;
    live.reserve(table_.size());
    table_.ForEach([&](uint64_t key, const V& e) { live.emplace_back(e.stamp, key); });
    std::sort(live.begin(), live.end());
    return live;
  }

  void Compact() {
    order_.clear();
    for (const auto& [stamp, key] : Sorted()) order_.emplace_back(key, stamp);
  }

  HashTable<V> table_;
  std::deque<std::pair<uint64_t, int64_t>> order_;  // (key, stamp), oldest first
  uint64_t forgotten_ = 0;
};

}  // namespace floorwatch
