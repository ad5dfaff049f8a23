// Slot storage with a string-id index: items live in a vector (stable indices, reused after
// Erase), the index is open addressing over those indices, keyed by each item's `id` member.
// The index (8-byte entries: slot and a 32-bit tag of the id's hash) is at most 4/5 full and
// grows by a quarter, its capacity not a power of two (a tag's home is the tag scaled to the
// capacity, as HashTable does): 10-12.5 bytes an item instead of 16-32 at most half full in a
// power-of-two table. Memory per item: sizeof(T) plus that. No allocation per lookup.
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
    for (size_t i = Home(tag);; i = Next(i)) {
      const Entry& e = table_[i];
      if (e.slot == kNone) return kNone;
      if (e.tag == tag && items_[e.slot].id == id) return e.slot;
    }
  }

  // Adds a new item with this id (which must not be present); returns its slot.
  uint32_t Insert(std::string_view id) {
    if ((live_ + 1) * 5 > table_.size() * 4) Grow();
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
    size_t i = Home(tag);
    while (table_[i].slot != slot) i = Next(i);
    // Backward-shift deletion keeps probe chains intact without tombstones.
    size_t hole = i;
    for (size_t j = Next(hole); table_[j].slot != kNone; j = Next(j)) {
      const size_t home = Home(table_[j].tag);
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
  size_t index_capacity() const { return table_.size(); }  // entries of the index

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

  // The tag is already a hash: scaling it to the capacity spreads it over the table.
  size_t Home(uint32_t tag) const {
    return static_cast<size_t>((uint64_t{tag} * table_.size()) >> 32);
  }
  size_t Next(size_t i) const { return i + 1 == table_.size() ? 0 : i + 1; }

  void Place(uint32_t slot, uint32_t tag) {
    size_t i = Home(tag);
    while (table_[i].slot != kNone) i = Next(i);
    table_[i] = Entry{slot, tag};
  }

  void Grow() {
    std::vector<Entry> old = std::move(table_);
    table_.assign(old.empty() ? 16 : old.size() + old.size() / 4, Entry{});
    for (const Entry& e : old) {
      if (e.slot != kNone) Place(e.slot, e.tag);
    }
  }

  std::vector<T> items_;
  std::vector<bool> in_use_;
  std::vector<uint32_t> free_;
  std::vector<Entry> table_;  // at most 4/5 full, so every probe ends at an empty entry
  size_t live_ = 0;
};

}  // namespace floorwatch
