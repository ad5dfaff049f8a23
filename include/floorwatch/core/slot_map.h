// Slot storage with a string-id index: items live in a vector (stable indices, reused after
// Erase), the index is open addressing over those indices, keyed by each item's `id` member.
// Memory per item: sizeof(T) plus 8-16 bytes of index. No allocation per lookup.
// Single-threaded (owned by the core thread).
#pragma once

#include <cassert>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace floorwatch {

inline uint64_t HashId(std::string_view id) { return std::hash<std::string_view>{}(id); }

template <typename T>
class SlotMap {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  uint32_t Find(std::string_view id) const {
    if (table_.empty()) return kNone;
    const uint32_t tag = Tag(HashId(id));
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      const Entry& e = table_[i];
      if (e.slot == kNone) return kNone;
      if (e.tag == tag && items_[e.slot].id == id) return e.slot;
    }
  }

  // Adds a new item with this id (which must not be present); returns its slot.
  uint32_t Insert(std::string_view id) {
    if ((live_ + 1) * 2 > table_.size()) Grow();
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<uint32_t>(items_.size());
      items_.emplace_back();
      in_use_.push_back(false);
    }
    items_[slot].id.assign(id.data(), id.size());
    in_use_[slot] = true;
    Place(slot, Tag(HashId(id)));
    ++live_;
    return slot;
  }

  void Erase(uint32_t slot) {
    assert(in_use_[slot]);
    const uint32_t tag = Tag(HashId(items_[slot].id));
    size_t i = tag & mask_;
    while (table_[i].slot != slot) i = (i + 1) & mask_;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    size_t hole = i;
    for (size_t j = (hole + 1) & mask_; table_[j].slot != kNone; j = (j + 1) & mask_) {
      const size_t home = table_[j].tag & mask_;
      const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        table_[hole] = table_[j];
        hole = j;
      }
    }
    table_[hole] = Entry{};
    in_use_[slot] = false;
    items_[slot] = T{};  // releases the id's heap memory, if any
    free_.push_back(slot);
    --live_;
  }

  T& operator[](uint32_t slot) { return items_[slot]; }
  const T& operator[](uint32_t slot) const { return items_[slot]; }
  bool InUse(uint32_t slot) const { return slot < items_.size() && in_use_[slot]; }
  size_t size() const { return live_; }
  size_t slot_count() const { return items_.size(); }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (uint32_t s = 0; s < items_.size(); ++s) {
      if (in_use_[s]) fn(s, items_[s]);
    }
  }

 private:
  struct Entry {
    uint32_t slot = kNone;
    uint32_t tag = 0;
  };
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash ^ (hash >> 32)); }

  void Place(uint32_t slot, uint32_t tag) {
    size_t i = tag & mask_;
    while (table_[i].slot != kNone) i = (i + 1) & mask_;
    table_[i] = Entry{slot, tag};
  }

  void Grow() {
    std::vector<Entry> old = std::move(table_);
    table_.assign(old.empty() ? 16 : old.size() * 2, Entry{});
    mask_ = table_.size() - 1;
    for (const Entry& e : old) {
      if (e.slot != kNone) Place(e.slot, e.tag);
    }
  }

  std::vector<T> items_;
  std::vector<bool> in_use_;
  std::vector<uint32_t> free_;
  std::vector<Entry> table_;
  size_t mask_ = 0;
  size_t live_ = 0;
};

}  // namespace floorwatch
