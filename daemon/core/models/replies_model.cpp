#include "floorwatch/core/models/replies_model.h"

#include <algorithm>

namespace floorwatch {
namespace {

using Kind = ContactChange::Kind;

int64_t NonNegative(int64_t ms) { return ms < 0 ? 0 : ms; }  // clock skew counts as 0

}  // namespace

RepliesModel::RepliesModel(const Config& config, const QueueDirectory& directory,
                           const ContactsModel& contacts, FirstQueuedTimes& first_queued)
    : config_(config), directory_(directory), contacts_(contacts), first_queued_(first_queued) {}

void RepliesModel::Subscribe(Subscriptions& s) {
  for (EventType t :
       {EventType::kContactMessage, EventType::kContactQueued, EventType::kContactTransferred,
        EventType::kContactEnded, EventType::kContactAbandoned}) {
    s.Observe(t, this);
  }
}

std::vector<int64_t> RepliesModel::RollingSeconds() const {
  return floorwatch::RollingSeconds(config_.windows);
}

void RepliesModel::OnQueueChannelAdded(uint32_t) { per_qc_.emplace_back(RollingSeconds()); }

void RepliesModel::Reconfigure(const Config& old) {
  bool changed = config_.windows.size() != old.windows.size();
  for (size_t i = 0; !changed && i < config_.windows.size(); ++i) {
    changed = config_.windows[i].label != old.windows[i].label;
  }
  // The windows restart only if the window list changed, as the service-level ones do.
  if (!changed) return;
  const std::vector<int64_t> seconds = RollingSeconds();
  for (PerQc& q : per_qc_) q.windows = Windows<ReplyTally>(seconds);
}

void RepliesModel::Tick(int64_t now_ms) {
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    per_qc_[i].windows.Advance(now_ms, *directory_.QueueOf(i).zone);
  }
}

void RepliesModel::Record(uint32_t qc, int64_t ts, int64_t now, const ReplyTally& delta) {
  per_qc_[qc].windows.Record(ts, now, *directory_.QueueOf(qc).zone, delta);
}

// ---- Awaiting replies ---------------------------------------------------------------------

RepliesModel::ContactReplies& RepliesModel::Slot(uint32_t contact) {
  return per_contact_.Get(contact);
}

void RepliesModel::SetFirstQueued(uint32_t contact, int64_t ms) {
  if (ms == kUntracked) return first_queued_.Clear(contact, FirstQueuedTimes::kReplies);
  first_queued_.Set(contact, FirstQueuedTimes::kReplies, ms);
}

void RepliesModel::Open(uint32_t contact, uint32_t qc, int64_t since_ms) {
  ContactReplies& s = Slot(contact);
  s.open = true;
  s.awaiting_since_ms = since_ms;
  s.queue_channel = qc;
  s.epoch = ++next_epoch_;
  PerQc& q = per_qc_[qc];
  ++q.open;
  q.heap.push_back({since_ms, contact, s.epoch});
  std::push_heap(q.heap.begin(), q.heap.end(), HeapLater);
}

void RepliesModel::Close(uint32_t contact) {
  ContactReplies* found = per_contact_.Find(contact);
  if (found == nullptr || !found->open) return;
  ContactReplies& s = *found;
  s.open = false;
  s.epoch = ++next_epoch_;  // invalidates its heap entry
  const uint32_t qc = s.queue_channel;
  if (!s.responded) per_contact_.Erase(contact);  // back to the state of no entry
  --per_qc_[qc].open;
  Clean(qc);
}

bool RepliesModel::Stale(const HeapEntry& e, uint32_t qc) const {
  const ContactReplies* s = per_contact_.Find(e.contact);
  return s == nullptr || !s->open || s->epoch != e.epoch || s->queue_channel != qc ||
         s->awaiting_since_ms != e.since_ms;
}

void RepliesModel::Clean(uint32_t qc) {
  PerQc& q = per_qc_[qc];
  auto& heap = q.heap;
  const auto stale = [&](const HeapEntry& e) { return Stale(e, qc); };
  // Stale entries are buried only below live ones; compacting when they outnumber the live
  // ones bounds the heap at about twice the open awaiting replies.
  if (heap.size() > 64 && heap.size() > 2 * static_cast<size_t>(q.open)) {
    heap.erase(std::remove_if(heap.begin(), heap.end(), stale), heap.end());
    std::make_heap(heap.begin(), heap.end(), HeapLater);
  }
  while (!heap.empty() && stale(heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), HeapLater);
    heap.pop_back();
  }
}

double RepliesModel::OldestAwaitingSeconds(uint32_t qc, int64_t now_ms) const {
  const PerQc& q = per_qc_[qc];
  if (q.open == 0 || q.heap.empty()) return 0.0;
  const int64_t since = q.heap.front().since_ms;
  return now_ms > since ? double(now_ms - since) / 1000.0 : 0.0;
}

// ---- Events -------------------------------------------------------------------------------

void RepliesModel::Observe(const EventContext& c) {
  if (c.event.type == EventType::kContactMessage) return Message(c);
  const ContactChange& change = c.contact;
  if (change.contact == kNoSlot) return;
  switch (change.kind) {
    case Kind::kQueued: {
      if (!change.new_contact) return;
      // A new conversation (also the same id again after it ended): it starts fresh.
      Close(change.contact);
      per_contact_.Erase(change.contact);  // closed, and not responded: no entry
      SetFirstQueued(change.contact, c.event.ts_ms);
      return;
    }
    case Kind::kTransferred: {
      const ContactReplies* s = per_contact_.Find(change.contact);
      if (s == nullptr || !s->open) return;
      // It moves with the contact and keeps the ts of the message that opened it.
      const int64_t since = s->awaiting_since_ms;
      Close(change.contact);
      return Open(change.contact, change.queue_channel, since);
    }
    case Kind::kEnded:
    case Kind::kAbandoned:
      return Close(change.contact);  // unreplied
    default:
      return;
  }
}

void RepliesModel::Message(const EventContext& c) {
  const Event& e = c.event;
  const SlotMap<Contact>& contacts = contacts_.contacts();
  // The contacts model refused unknown contacts, but names no slot for a message: look it up.
  const uint32_t slot = c.contact.contact != kNoSlot ? c.contact.contact : contacts.Find(e.contact);
  if (slot == kNoSlot) return;
  const Contact& contact = contacts[slot];
  const uint32_t qc = contact.queue_channel;
  if (qc == kNoSlot) return;  // restored from a queue this config refuses: counts nowhere
  if (e.from == MessageFrom::kCustomer) {
    const ContactReplies* s = per_contact_.Find(slot);
    if ((s == nullptr || !s->open) && contact.state != ContactState::kEnded)
      Open(slot, qc, e.ts_ms);
    return;
  }
  ReplyTally delta;
  ContactReplies& s = Slot(slot);
  if (s.open) {
    delta.replied = 1;
    delta.reply_ms = NonNegative(e.ts_ms - s.awaiting_since_ms);
  }
  const bool first = !s.responded;
  s.responded = true;  // before Close, which keeps a responded contact's entry
  if (delta.replied != 0) Close(slot);
  if (first) {
    // Without its queued ts (a contact restored from a snapshot older than this model)
    // there is no first response time to count.
    const int64_t first_queued = FirstQueued(slot);
    if (first_queued != kUntracked) {
      delta.first_responded = 1;
      delta.first_response_ms = NonNegative(e.ts_ms - first_queued);
    }
  }
  if (delta.replied != 0 || delta.first_responded != 0) Record(qc, e.ts_ms, c.now_ms, delta);
}

void RepliesModel::OnContactClosed(uint32_t contact, int64_t) {
  Close(contact);               // expired while awaiting a reply: closes unreplied
  per_contact_.Erase(contact);  // the next contact of the slot starts fresh
  SetFirstQueued(contact, kUntracked);
}

// ---- Snapshot -----------------------------------------------------------------------------

// Snapshot section "replies", version 1: u64 n + n x i64 rolling window seconds (the config
// it was taken under), u64 queue/channels, then per queue/channel in the "queues" section's
// order its windows (Windows<ReplyTally>::Save, a tally being four i64: replied, reply ms,
// first responded, first response ms); then u64 m, m contacts: str id, i64 first queued,
// i64 awaiting since, u8 flags (1 tracked, 2 open, 4 responded). Only contacts with a flag
// set are written. Open counts and heaps are rebuilt from the contacts, each counting where
// the contacts model (loaded before) holds it.
void RepliesModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(per_qc_.size());
  for (const PerQc& q : per_qc_) q.windows.Save(w);
  // An entry is kept only while open or responded.
  const auto kept = [&](uint32_t slot) {
    return FirstQueued(slot) != kUntracked || per_contact_.Find(slot) != nullptr;
  };
  uint64_t n = 0;
  contacts_.contacts().ForEach([&](uint32_t slot, const Contact&) { n += kept(slot); });
  w.U64(n);
  contacts_.contacts().ForEach([&](uint32_t slot, const Contact& c) {
    if (!kept(slot)) return;
    const ContactReplies* found = per_contact_.Find(slot);
    const ContactReplies s = found ? *found : ContactReplies{};
    const int64_t first_queued = FirstQueued(slot);
    const bool tracked = first_queued != kUntracked;
    w.Str(c.id);
    w.I64(tracked ? first_queued : 0);
    w.I64(s.awaiting_since_ms);
    w.U8(uint8_t(tracked) | uint8_t(s.open) << 1 | uint8_t(s.responded) << 2);
  });
}

bool RepliesModel::LoadContacts(BinaryReader& r) {
  const SlotMap<Contact>& contacts = contacts_.contacts();
  const uint64_t n = r.Count(4 + 8 + 8 + 1);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const std::string_view id = r.Str();
    const int64_t first_queued = r.I64();
    const int64_t since = r.I64();
    const uint8_t flags = r.U8();
    if (flags > 7) return false;
    // A contact the contacts model did not restore (its queue refused, a limit) is dropped.
    const uint32_t slot = contacts.Find(id);
    if (r.failed() || slot == kNoSlot) continue;
    const Contact& contact = contacts[slot];
    const ContactReplies* before = per_contact_.Find(slot);
    if (before != nullptr && before->open) return false;  // an id twice: it would count twice
    SetFirstQueued(slot, (flags & 1) ? first_queued : kUntracked);
    const bool open =
        (flags & 2) && contact.queue_channel != kNoSlot && contact.state != ContactState::kEnded;
    if (!open && !(flags & 4)) {
      per_contact_.Erase(slot);
      continue;
    }
    ContactReplies& s = Slot(slot);
    s.responded = flags & 4;
    if (open) {
      s.open = true;
      s.awaiting_since_ms = since;
      s.queue_channel = contact.queue_channel;
      s.epoch = ++next_epoch_;
      PerQc& q = per_qc_[s.queue_channel];
      ++q.open;
      q.heap.push_back({since, slot, s.epoch});
    }
  }
  for (PerQc& q : per_qc_) std::make_heap(q.heap.begin(), q.heap.end(), HeapLater);
  return !r.failed();
}

bool RepliesModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
  const uint64_t n = r.Count(3 * 8 + ReplyTally::kBytes);  // the least Windows::Save writes
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const uint32_t index = context.Map(static_cast<uint32_t>(i));
    Windows<ReplyTally> scratch(RollingSeconds());  // reads a queue this config refuses
    if (!(index == kNoSlot ? scratch : per_qc_[index].windows).Load(r, same_windows)) {
      return false;
    }
  }
  return !r.failed() && LoadContacts(r);
}

}  // namespace floorwatch
