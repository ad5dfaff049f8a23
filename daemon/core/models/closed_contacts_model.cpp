#include "floorwatch/core/models/closed_contacts_model.h"

namespace floorwatch {

using Kind = ContactChange::Kind;

ClosedContactsModel::ClosedContactsModel(const Config& config, const ContactsModel& contacts,
                                         const AgentsModel& agents)
    : config_(config), contacts_(contacts), agents_(agents) {}

void ClosedContactsModel::Subscribe(Subscriptions& s) {
  for (EventType t : {EventType::kContactQueued, EventType::kContactAnswered,
                      EventType::kContactTransferred, EventType::kContactEnded}) {
    s.Observe(t, this);
  }
}

uint64_t ClosedContactsModel::AgentTeam(std::string_view agent) const {
  const uint32_t a = agent.empty() ? kNoSlot : agents_.agents().Find(agent);
  return a == kNoSlot ? 0 : TeamKey(agents_.agents()[a].team);
}

void ClosedContactsModel::Observe(const EventContext& c) {
  const ContactChange& change = c.contact;
  if (change.contact == kNoSlot) return;
  switch (change.kind) {
    case Kind::kQueued:
      if (change.new_contact) by_contact_.Erase(change.contact);
      return;
    case Kind::kAnswered: {
      const uint64_t team = AgentTeam(c.event.agent);
      PerContact* slot = by_contact_.Find(change.contact);
      if (slot == nullptr && team == 0) return;  // stays {0, 0}: no entry
      if (slot == nullptr) slot = &by_contact_.Get(change.contact);
      slot->segment = team;
      if (slot->segment == 0 && slot->last == 0) by_contact_.Erase(change.contact);
      return;
    }
    case Kind::kTransferred:
      if (!change.segment_ended) return;
      [[fallthrough]];
    case Kind::kEnded: {
      PerContact* slot = by_contact_.Find(change.contact);
      if (slot == nullptr) return;
      slot->last = slot->segment;
      slot->segment = 0;
      if (slot->last == 0) by_contact_.Erase(change.contact);
      return;
    }
    default:
      return;
  }
}

void ClosedContactsModel::OnContactClosed(uint32_t slot, int64_t now_ms) {
  const Contact& contact = contacts_.contacts()[slot];
  const uint64_t team = LastTeam(slot);
  if (contact.queue_channel != kNoSlot || team != 0) {
    Closed& closed =
        closed_.Touch(MemoryKey(HashId(contact.id)), now_ms, config_.limits.max_closed_contacts);
    closed.queue_channel = contact.queue_channel;
    closed.team = team;
  }
  by_contact_.Erase(slot);
}

void ClosedContactsModel::Tick(int64_t now_ms) {
  closed_.DropOlderThan(now_ms - config_.outcomes.closed_contact_memory_ms);
}

void ClosedContactsModel::ForgottenCounts(std::vector<OutcomeCount>& out) const {
  out.push_back({"closed_contact", double(closed_.forgotten())});
}

// Snapshot section "closed_contacts", version 1: u64 forgotten; u64 c + c x (u64 contact
// key, u32 queue/channel in the "queues" order or kNoSlot, u64 team key, u32 stamp: the
// second it was let go), in no particular order; u64 k + k x (str contact id, u64 segment
// team key, u64 last team key), the live contacts. (Before this section, the feedback and
// teams sections each held a memory of closed contacts: their version 1.)
void ClosedContactsModel::Save(BinaryWriter& w) const {
  w.U64(closed_.forgotten());
  w.U64(closed_.size());
  closed_.ForEach([&](uint64_t key, const Closed& c) {
    w.U64(key);
    w.U32(c.queue_channel);
    w.U64(c.team);
    w.U32(c.stamp);
  });
  // Every live contact, in slot order, with {0, 0} for one without an entry (as when these
  // were a vector by slot).
  const SlotMap<Contact>& contacts = contacts_.contacts();
  w.U64(contacts.size());
  contacts.ForEach([&](uint32_t s, const Contact& c) {
    w.Str(c.id);
    w.U64(SegmentTeam(s));
    w.U64(LastTeam(s));
  });
}

bool ClosedContactsModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  closed_.set_forgotten(r.U64());
  const uint64_t n = r.Count(8 + 4 + 8 + 4);
  closed_.Reserve(n);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const uint64_t key = r.U64();
    Closed c;
    c.queue_channel = context.Map(r.U32());  // kNoSlot: a queue this config refuses
    c.team = r.U64();
    c.stamp = r.U32();
    if (key != 0 && (c.queue_channel != kNoSlot || c.team != 0)) closed_.Restore(key, c);
  }
  const uint64_t k = r.Count(4 + 8 + 8);
  for (uint64_t i = 0; i < k && !r.failed(); ++i) {
    const uint32_t slot = contacts_.contacts().Find(r.Str());
    PerContact c;
    c.segment = r.U64();
    c.last = r.U64();
    if (slot != kNoSlot && (c.segment != 0 || c.last != 0)) by_contact_.Get(slot) = c;
  }
  return !r.failed();
}

}  // namespace floorwatch
