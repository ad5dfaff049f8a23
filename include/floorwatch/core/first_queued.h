// FirstQueuedTimes: the ts of the contact.queued that started each contact's conversation,
// by contact slot, kept once for the two models that need it (resolution: until the
// conversation ends; replies: until the slot is freed) instead of one 8-byte vector each.
// Each reader holds a slot's ts or not, by its own bit; the ts is one value per slot, which
// both set from the same contact.queued (and a snapshot holds the same value in both
// sections: they were written from the same event), so sharing it changes no figure.
//
// Memory: 8 bytes and 2 bits per contact slot ever used (slots are dense and reused, so it
// stops growing at the peak of live contacts). Owned by the Models (registry.h), written by
// the resolution and replies models only, on the core thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace floorwatch {

class FirstQueuedTimes {
 public:
  enum Reader { kResolution = 0, kReplies = 1 };

  std::optional<int64_t> Get(uint32_t slot, Reader reader) const {
    if (slot >= ms_.size() || !held_[reader][slot]) return std::nullopt;
    return ms_[slot];
  }
  void Set(uint32_t slot, Reader reader, int64_t ms) {
    if (slot >= ms_.size()) {
      ms_.resize(slot + 1, 0);
      for (std::vector<bool>& h : held_) h.resize(slot + 1, false);
    }
    ms_[slot] = ms;
    held_[reader][slot] = true;
  }
  void Clear(uint32_t slot, Reader reader) {
    if (slot < ms_.size()) held_[reader][slot] = false;
  }
  size_t slot_count() const { return ms_.size(); }

 private:
  std::vector<int64_t> ms_;    // by slot; meaningful while a reader holds it
  std::vector<bool> held_[2];  // by reader, by slot
};

}  // namespace floorwatch
