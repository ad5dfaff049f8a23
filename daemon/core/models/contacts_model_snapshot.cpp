// ContactsModel: its snapshot section "contacts".
//   version 1: i64 last expiry time, u64 expired count, u64 n, then n contacts: str id,
//   i64 queued, i64 answered, i64 touched, u64 agent hash, u32 queue/channel, u32 epoch
//   (what validated heap entries once: written 0 and ignored since the heap is indexed),
//   u8 state, u8 channel, u64 k, k x (u32 queue/channel, i64 ended, u64 agent hash).
//   version 2: the same, with each contact's i32 priority (as u32) after its channel;
//   a version 1 contact has priority 0 (the default of contact.queued).
// Waiting and connected counts (per queue/channel and per agent) and the waiting heaps are
// rebuilt from the contacts.
#include <algorithm>

#include "floorwatch/core/models/contacts_model.h"

namespace floorwatch {

void ContactsModel::Save(BinaryWriter& w) const {
  w.I64(last_expiry_ms_);
  w.U64(expired_);
  w.U64(contacts_.size());
  contacts_.ForEach([&](uint32_t, const Contact& c) {
    w.Str(c.id);
    w.I64(c.queued_ms);
    w.I64(c.answered_ms);
    w.I64(c.touched_ms);
    w.U64(c.agent_hash);
    w.U32(c.queue_channel);
    w.U32(0);  // the epoch field
    w.U8(static_cast<uint8_t>(c.state));
    w.U8(static_cast<uint8_t>(c.channel));
    w.U32(static_cast<uint32_t>(c.priority));
    w.U64(c.pending_wraps.size());
    for (const PendingWrap& p : c.pending_wraps) {
      w.U32(p.queue_channel);
      w.I64(p.ended_ms);
      w.U64(p.agent_hash);
    }
  });
}

void ContactsModel::PlaceRestored(uint32_t slot) {
  const Contact& placed = contacts_[slot];
  if (placed.state == ContactState::kEnded) return;
  Waits& w = per_qc_[placed.queue_channel];
  if (placed.state == ContactState::kWaiting) {
    ++w.waiting;
    w.heap.Push(placed.queued_ms, slot, Mover());
  } else {
    CountConnected(placed, +1);
  }
}

bool ContactsModel::Load(BinaryReader& r, uint32_t version, const LoadContext& context) {
  last_expiry_ms_ = r.I64();
  expired_ = r.U64();
  const bool has_priority = version >= 2;
  const uint64_t n = r.Count(4 + 8 * 4 + 4 * 2 + 2 + (has_priority ? 4 : 0) + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    Contact c;
    const std::string_view id = r.Str();
    c.queued_ms = r.I64();
    c.answered_ms = r.I64();
    c.touched_ms = r.I64();
    c.agent_hash = r.U64();
    c.queue_channel = context.Map(r.U32());
    r.U32();  // the epoch: nothing to validate any more
    const uint8_t state = r.U8();
    const uint8_t channel = r.U8();
    if (state > static_cast<uint8_t>(ContactState::kEnded) || channel >= kChannelCount) r.Fail();
    c.state = ContactState(state);
    c.channel = Channel(channel);
    if (has_priority) c.priority = static_cast<int32_t>(r.U32());
    const uint64_t wraps = r.Count(4 + 8 + 8);
    for (uint64_t k = 0; k < wraps && !r.failed(); ++k) {
      PendingWrap p{context.Map(r.U32()), r.I64(), r.U64()};
      if (p.queue_channel != kNoSlot) c.pending_wraps.push_back(p);
    }
    if (r.failed()) break;
    // A contact in a queue this config refuses, or that would pass limits.max_contacts, is
    // dropped, as it would have been had it arrived now.
    if (c.queue_channel == kNoSlot && c.state != ContactState::kEnded) continue;
    if (c.state == ContactState::kEnded && c.pending_wraps.empty()) continue;
    if (static_cast<int64_t>(contacts_.size()) >= config_.limits.max_contacts) continue;
    if (contacts_.Find(id) != kNoSlot) return false;
    const uint32_t slot = contacts_.Insert(id);
    c.id = CompactId(id);
    contacts_[slot] = std::move(c);
    PlaceRestored(slot);
  }
  return !r.failed();
}

}  // namespace floorwatch
