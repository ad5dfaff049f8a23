// SlotTable<V>: per-contact-slot state that only some contacts have (an open escalation, an
// answered segment's team, a chat's awaiting reply), kept in a HashTable keyed by slot
// instead of a vector over every slot: a contact without such state (every waiting voice
// contact, say) costs nothing here. Memory: (8 + sizeof(V)) x 1.25 - 1.56 per entry.
// An absent entry reads as V{}; callers Erase an entry that returns to V{}.
// Single-threaded (the core thread, like the models that own one).
#pragma once

#include <cstdint>

#include "floorwatch/core/hash_table.h"

namespace floorwatch {

template <typename V>
class SlotTable {
 public:
  V* Find(uint32_t slot) { return table_.Find(Key(slot)); }
  const V* Find(uint32_t slot) const { return table_.Find(Key(slot)); }
  // The entry of `slot`, V{} if new.
  V& Get(uint32_t slot) { return table_[Key(slot)]; }
  void Erase(uint32_t slot) { table_.Erase(Key(slot)); }
  size_t size() const { return table_.size(); }

 private:
  static uint64_t Key(uint32_t slot) { return uint64_t{slot} + 1; }  // never 0
  HashTable<V> table_;
};

}  // namespace floorwatch
