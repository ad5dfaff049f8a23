// An open-addressing hash table keyed by 64-bit hashes (never 0): for memories of millions of
// entries (remembered customers, closed contacts) without a heap node per entry. Linear
// probing, grown by doubling at 1/2 load, erase by backward shift (no tombstones). The key
// is the caller's hash (HashId of an id, made non-zero), so two ids that collide in 64 bits
// share an entry: harmless for these memories.
// Memory: sizeof(Slot) x capacity, capacity a power of two between 2x and 4x the entries.
// Single-threaded (the core thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace floorwatch {

template <typename V>
class HashTable {
 public:
  V* Find(uint64_t key) {
    if (slots_.empty()) return nullptr;
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == 0) return nullptr;
    }
  }
  const V* Find(uint64_t key) const { return const_cast<HashTable*>(this)->Find(key); }

  // The entry for `key`, default-constructed if new.
  V& operator[](uint64_t key) {
    if (V* found = Find(key)) return *found;
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    ++size_;
    return Place(key, V{});
  }

  void Erase(uint64_t key) {
    if (slots_.empty()) return;
    size_t hole = key & mask_;
    while (slots_[hole].key != key) {
      if (slots_[hole].key == 0) return;
      hole = (hole + 1) & mask_;
    }
    // Backward shift: move later entries of the probe chain into the hole.
    for (size_t j = (hole + 1) & mask_; slots_[j].key != 0; j = (j + 1) & mask_) {
      const size_t home = slots_[j].key & mask_;
      const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = Slot{};
    --size_;
  }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Slot& s : slots_) {
      if (s.key != 0) fn(s.key, s.value);
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;
    V value{};
  };

  V& Place(uint64_t key, const V& value) {
    size_t i = key & mask_;
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{key, value};
    return slots_[i].value;
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.key != 0) Place(s.key, s.value);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  size_t mask_ = 0;
};

// A 64-bit key for an id: never 0 (0 marks an empty slot).
inline uint64_t MemoryKey(uint64_t hash) { return hash == 0 ? 1 : hash; }

}  // namespace floorwatch
