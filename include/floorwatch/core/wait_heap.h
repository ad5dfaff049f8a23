// WaitHeap: an indexed min-heap of (ms, id) pairs, oldest ms on top, for a queue/channel's
// waiting contacts. Each id's position is reported to the caller (`moved(id, position)`) so
// that an entry is erased the moment its contact stops waiting: the heap holds exactly the
// waiting contacts, with no stale entries to skip or compact. Entries with equal ms are in
// no particular order.
//
// Memory: 12 bytes an entry (the ms in two 32-bit halves, so the entry needs no 8-byte
// alignment), in pages of kPageEntries allocated as the heap grows and freed as it shrinks
// (one spare page kept), instead of one vector that doubles: at most a page and a half of
// slack per heap. Single-threaded (the core thread, owned by the contacts model).
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace floorwatch {

class WaitHeap {
 public:
  struct Entry {
    uint32_t ms_lo;
    uint32_t ms_hi;
    uint32_t id;
    int64_t ms() const { return static_cast<int64_t>((uint64_t{ms_hi} << 32) | ms_lo); }
  };
  static_assert(sizeof(Entry) == 12, "a waiting contact's heap entry (docs/performance.md)");
  static constexpr size_t kPageBits = 9;  // 512 entries, 6 KiB a page
  static constexpr size_t kPageEntries = size_t{1} << kPageBits;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Entry& at(size_t i) const { return pages_[i >> kPageBits][i & (kPageEntries - 1)]; }
  const Entry& top() const { return at(0); }

  // Adds (ms, id); `moved(id, position)` is called for every entry that changes place,
  // this one included.
  template <typename Moved>
  void Push(int64_t ms, uint32_t id, Moved&& moved) {
    if ((size_ >> kPageBits) == pages_.size())
      pages_.push_back(std::make_unique<Entry[]>(kPageEntries));
    const uint64_t bits = static_cast<uint64_t>(ms);
    ++size_;
    SiftUp(size_ - 1, Entry{static_cast<uint32_t>(bits), static_cast<uint32_t>(bits >> 32), id},
           moved);
  }

  // Removes the entry at `position` (as last reported by `moved`).
  template <typename Moved>
  void Erase(size_t position, Moved&& moved) {
    assert(position < size_);
    const Entry last = at(size_ - 1);
    --size_;
    // Keep one spare page, so a heap that moves across a page boundary does not churn.
    if (pages_.size() > (size_ >> kPageBits) + 2) pages_.pop_back();
    if (position == size_) return;
    if (position > 0 && last.ms() < at(Parent(position)).ms()) {
      SiftUp(position, last, moved);
    } else {
      SiftDown(position, last, moved);
    }
  }

  // Every entry, in heap order (not sorted).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < size_; ++i) fn(at(i));
  }

 private:
  static size_t Parent(size_t i) { return (i - 1) / 2; }
  Entry& slot(size_t i) { return pages_[i >> kPageBits][i & (kPageEntries - 1)]; }

  // Moves `e` from the hole at `i` towards the root while it is older than its parent.
  template <typename Moved>
  void SiftUp(size_t i, const Entry& e, Moved& moved) {
    const int64_t ms = e.ms();
    while (i > 0) {
      const size_t parent = Parent(i);
      const Entry& p = at(parent);
      if (!(ms < p.ms())) break;
      slot(i) = p;
      moved(p.id, i);
      i = parent;
    }
    slot(i) = e;
    moved(e.id, i);
  }

  // Moves `e` from the hole at `i` towards the leaves while a child is older.
  template <typename Moved>
  void SiftDown(size_t i, const Entry& e, Moved& moved) {
    const int64_t ms = e.ms();
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= size_) break;
      if (child + 1 < size_ && at(child + 1).ms() < at(child).ms()) ++child;
      const Entry& c = at(child);
      if (!(c.ms() < ms)) break;
      slot(i) = c;
      moved(c.id, i);
      i = child;
    }
    slot(i) = e;
    moved(e.id, i);
  }

  std::vector<std::unique_ptr<Entry[]>> pages_;
  size_t size_ = 0;
};

}  // namespace floorwatch
