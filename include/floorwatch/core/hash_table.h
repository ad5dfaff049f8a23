// An open-addressing hash table keyed by 64-bit hashes (never 0): for memories of millions of
// entries (remembered customers, closed contacts) without a heap node per entry. The key is
// the caller's hash (HashId of an id, made non-zero), so two ids that collide in 64 bits
// share an entry: harmless for these memories.
//
// Linear probing over a capacity that need not be a power of two: a key's home slot is its
// Fibonacci hash scaled to the capacity (multiply-shift), so the table can be sized to what
// it holds. At most 4/5 full; grown by a quarter (16/25 full just after),
// but never past what `set_max_entries` (the caller's limit) needs, so a memory at its limit
// is 4/5 full; shrunk when under 1/8 full. Erase by backward shift (no tombstones).
// Memory: sizeof(Slot) x capacity (8 + sizeof(V) rounded up to V's alignment, at least 4);
// capacity 1.25x the entries at the limit, at most ~1.56x while growing towards it. Single-threaded
// (the core thread).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace floorwatch {

template <typename V>
class HashTable {
 public:
  V* Find(uint64_t key) {
    if (slots_.empty()) return nullptr;
    for (size_t i = Home(key);; i = Next(i)) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == 0) return nullptr;
    }
  }
  const V* Find(uint64_t key) const { return const_cast<HashTable*>(this)->Find(key); }

  // The entry for `key`, default-constructed if new.
  V& operator[](uint64_t key) {
    if (V* found = Find(key)) return *found;
    if ((size_ + 1) * 5 > slots_.size() * 4) Rehash(GrownCapacity());
    ++size_;
    return Place(key, V{});
  }

  void Erase(uint64_t key) {
    if (V* found = Find(key)) EraseFound(found);
  }
  // Erases the entry `found` points to (from Find), without looking for it again.
  void EraseFound(V* found) {
    size_t hole = static_cast<size_t>(reinterpret_cast<const char*>(found) -
                                      reinterpret_cast<const char*>(slots_.data())) /
                  sizeof(Slot);
    // Backward shift: move later entries of the probe chain into the hole.
    for (size_t j = Next(hole); slots_[j].key != 0; j = Next(j)) {
      const size_t home = Home(slots_[j].key);
      const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = Slot{};
    --size_;
    if (slots_.size() > kMinCapacity && size_ * 8 < slots_.size()) {
      Rehash(CapacityFor(2 * size_));  // two fifths full again
    }
  }
  // Starts loading the slot where `key`'s probe begins (for a lookup soon after).
  void Prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(key)]);
  }

  // Growth stops at the capacity `n` entries need (0: no limit). Memories pass their limit.
  void set_max_entries(size_t n) { max_entries_ = n; }
  // Makes room for `n` entries at once (a snapshot being restored).
  void Reserve(size_t n) {
    if (CapacityFor(n) > slots_.size()) Rehash(CapacityFor(n));
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
  struct PlainSlot {
    uint64_t key = 0;
    V value{};
  };
  // Where V needs at most 4-byte alignment the slot is not padded to 8 (a 12-byte V takes a
  // 20-byte slot, not 24): the key is then only 4-byte aligned, which x86-64 loads as fast
  // unless it straddles a cache line. V itself keeps its alignment.
#pragma pack(push, 4)
  struct PackedSlot {
    uint64_t key = 0;
    V value{};
  };
#pragma pack(pop)
  using Slot = std::conditional_t<(alignof(V) <= 4), PackedSlot, PlainSlot>;
  static constexpr size_t kMinCapacity = 64;

  // At most 4/5 full with `n` entries (and at least one slot empty, which ends every probe).
  static size_t CapacityFor(size_t n) { return std::max(kMinCapacity, n + n / 4 + 1); }

  size_t GrownCapacity() const {
    size_t grown = std::max(kMinCapacity, slots_.size() + slots_.size() / 4);
    if (max_entries_ > 0) grown = std::min(grown, CapacityFor(max_entries_));
    return std::max(grown, CapacityFor(size_ + 1));
  }

  // Fibonacci hashing first spreads every bit of the key into the high ones, which the
  // scaling keeps: keys that differ only in low bits (small integers) still spread out.
  size_t Home(uint64_t key) const {
    __extension__ using Wide = unsigned __int128;
    const uint64_t spread = key * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>((static_cast<Wide>(spread) * slots_.size()) >> 64);
  }
  size_t Next(size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }

  V& Place(uint64_t key, const V& value) {
    size_t i = Home(key);
    while (slots_[i].key != 0) i = Next(i);
    slots_[i] = Slot{key, value};
    return slots_[i].value;
  }

  void Rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    for (const Slot& s : old) {
      if (s.key != 0) Place(s.key, s.value);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  size_t max_entries_ = 0;
};

// A 64-bit key for an id: never 0 (0 marks an empty slot).
inline uint64_t MemoryKey(uint64_t hash) { return hash == 0 ? 1 : hash; }

}  // namespace floorwatch
