// Contacts and waits: every live contact (waiting, connected, or ended with after-contact
// work pending), and per queue/channel the waiting and connected counts and the order of
// waiting contacts (oldest first), with their priorities.
//
// Owns the contact lifecycle events (docs/protocol.md: queued, answered, abandoned,
// transferred, ended, wrapped) and the contact events that only need a known contact
// (escalated, message), and tells observers what happened (ContactChange); a survey or
// evaluation naming a live contact keeps it from expiring.
// Figures: floorwatch_queue_waiting_contacts, _oldest_wait_seconds, _active_contacts,
// floorwatch_contacts{state}, floorwatch_contacts_expired_total. Also keeps, per agent, its
// connected contacts by channel (in any queue), for the staffing model's slots.
//
// Invariants (checked by tests):
//  - waiting(qc) equals the contacts in state kWaiting that point to qc; active(qc)
//    likewise for kConnected; ConnectedTo(h) counts, by channel, the kConnected contacts
//    whose agent_hash is h.
//  - A queue/channel's waiting heap holds exactly its waiting contacts, each at the
//    position its record's wait_pos names (erased when the contact stops waiting).
// Memory: limits.max_contacts; contacts idle for limits.contact_ttl (or ended and unwrapped
// for limits.wrap_timeout) are dropped by Tick. Core thread only.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "floorwatch/core/compact_id.h"
#include "floorwatch/core/hash_table.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/slot_map.h"
#include "floorwatch/core/small_list.h"
#include "floorwatch/core/wait_heap.h"

namespace floorwatch {

// kEnded: no longer waiting or connected, kept only until the after-contact work of its
// agent segments is wrapped (or limits.wrap_timeout passes).
enum class ContactState : uint8_t { kWaiting, kConnected, kEnded };

// An agent segment that ended (contact.ended, or a transfer while connected) and whose
// after-contact work is not wrapped yet. Counted where the segment was handled.
struct PendingWrap {
  uint32_t queue_channel;
  int64_t ended_ms;
  uint64_t agent_hash;  // HashId of the segment's agent, to match a wrap that names it
};

// 72 bytes (x86-64): the id inline up to 15 bytes, the pending wraps a pointer that is null
// nearly always; a waiting contact costs this, its index entry and its heap entry.
struct Contact {
  CompactId id;
  int64_t queued_ms = 0;                 // entered its current queue (queued or transferred in)
  int64_t answered_ms = 0;               // start of the current agent segment
  int64_t touched_ms = 0;                // daemon time of its last event, for limits.contact_ttl
  uint64_t agent_hash = 0;               // the current segment's agent
  SmallList<PendingWrap> pending_wraps;  // oldest first; empty (no allocation) nearly always
  uint32_t queue_channel = kNoSlot;
  uint32_t wait_pos = 0;  // while waiting: its entry's position in its queue/channel's heap
  // The `priority` of the contact.queued that put it in its current queue (a transfer keeps
  // it): the order its queue answers it in (higher first).
  int32_t priority = 0;
  ContactState state = ContactState::kWaiting;
  Channel channel = Channel::kVoice;
};

static_assert(sizeof(Contact) <= 72, "a waiting contact's record (docs/performance.md)");

class ContactsModel final : public Model {
 public:
  // Told each slot freed, before it is reused (Model::OnContactClosed of every model).
  using ClosedHandler = std::function<void(uint32_t contact, int64_t now_ms)>;

  ContactsModel(const Config& config, QueueDirectory& directory);
  void set_closed_handler(ClosedHandler handler) { closed_ = std::move(handler); }
  // After an event's observers ran: frees the contacts the event closed (the Core calls it).
  void FinishEvent(int64_t now_ms);

  std::string_view name() const override { return "contacts"; }
  uint32_t version() const override { return 2; }  // 2: contacts' priorities
  void Subscribe(Subscriptions& subscriptions) override;
  ApplyResult Apply(EventContext& context) override;
  void Observe(const EventContext& context) override;
  void OnQueueChannelAdded(uint32_t queue_channel) override { per_qc_.emplace_back(); }
  void Tick(int64_t now_ms) override;
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view for other models and tests.
  int64_t waiting(uint32_t queue_channel) const { return per_qc_[queue_channel].waiting; }
  int64_t active(uint32_t queue_channel) const { return per_qc_[queue_channel].active; }
  // Queued time of the longest-waiting contact, or nullopt when none waits.
  std::optional<int64_t> OldestQueuedMs(uint32_t queue_channel) const;
  // Age of the longest-waiting contact at `now_ms` in seconds: 0 when none waits, and never
  // negative (a queued time stamped in the future counts as 0).
  double OldestWaitSeconds(uint32_t queue_channel, int64_t now_ms) const;
  const SlotMap<Contact>& contacts() const { return contacts_; }
  uint64_t expired() const { return expired_; }
  // Calls fn(queued_ms, priority) for each contact waiting in the queue/channel now, in no
  // particular order; O(the queue/channel's heap), never a pass over all contacts.
  template <typename Fn>
  void ForEachWaiting(uint32_t queue_channel, Fn&& fn) const;
  // Changes whenever a contact starts or stops waiting in the queue/channel (never wraps in
  // practice): a reader can keep what it derived from ForEachWaiting until this moves.
  uint64_t waiting_changes(uint32_t queue_channel) const { return per_qc_[queue_channel].changes; }
  // Contacts connected now to the agent whose id hashes to `agent_hash` (HashId), by
  // channel; nullptr when none is.
  using ChannelCounts = std::array<int32_t, kChannelCount>;
  const ChannelCounts* ConnectedTo(uint64_t agent_hash) const {
    const AgentLoad* load = by_agent_.Find(AgentKey(agent_hash));
    return load && load->total != 0 ? &load->connected : nullptr;
  }

 private:
  struct AgentLoad {
    ChannelCounts connected{};
    // An entry that falls to 0 stays until the next Tick (updated in place, not erased and
    // re-inserted per event), so memory follows the agents connected within a second.
    int32_t total = 0;
  };
  static uint64_t AgentKey(uint64_t agent_hash) { return agent_hash == 0 ? 1 : agent_hash; }
  // A contact becomes connected (+1) or stops being connected (-1): the per-qc active count
  // and its agent's load.
  void CountConnected(const Contact& contact, int sign);
  void DropIdleAgents();  // erases the loads idle since the last Tick

  struct Waits {
    int64_t waiting = 0;
    int64_t active = 0;
    uint64_t changes = 0;  // contacts that started or stopped waiting here
    WaitHeap heap;         // (queued_ms, contact) of the contacts waiting here, oldest on top
  };
  // Tells each contact whose heap entry moved where it now is.
  auto Mover() {
    return [this](uint32_t contact, size_t pos) {
      contacts_[contact].wait_pos = static_cast<uint32_t>(pos);
    };
  }

  ApplyResult Queued(EventContext& c);
  ApplyResult Answered(EventContext& c);
  ApplyResult Abandoned(EventContext& c);
  ApplyResult Transferred(EventContext& c);
  ApplyResult Ended(EventContext& c);
  ApplyResult Wrapped(EventContext& c);
  ApplyResult NeedsKnownContact(EventContext& c);

  uint32_t KnownContact(const Event& e, int64_t now);  // the contact, touched; or kNoSlot
  void EnterQueue(uint32_t contact, uint32_t queue_channel, int64_t ts, int32_t priority);
  void LeaveWaiting(uint32_t contact);
  int64_t EndSegment(uint32_t contact, int64_t ts);  // connected -> handled; talk ms
  void CloseContact(uint32_t contact);  // frees it, or keeps it kEnded while wraps pend
  void Release(uint32_t contact);       // leaves the gauges and the waiting order
  void FreeContact(uint32_t contact);   // during an event: released now, erased at FinishEvent
  void Erase(uint32_t contact, int64_t now_ms);
  void ExpireContacts(int64_t now);
  void PlaceRestored(uint32_t slot);

  const Config& config_;
  QueueDirectory& directory_;
  SlotMap<Contact> contacts_;
  std::vector<Waits> per_qc_;
  HashTable<AgentLoad> by_agent_;      // keyed by AgentKey(agent hash)
  std::vector<uint64_t> idle_agents_;  // DropIdleAgents' scratch; capacity reused
  uint64_t expired_ = 0;
  int64_t last_expiry_ms_ = 0;
  ClosedHandler closed_;
  bool in_event_ = false;
  std::vector<uint32_t> freed_;  // closed by the event being applied; capacity reused
};

template <typename Fn>
void ContactsModel::ForEachWaiting(uint32_t queue_channel, Fn&& fn) const {
  per_qc_[queue_channel].heap.ForEach(
      [&](const WaitHeap::Entry& w) { fn(w.ms(), contacts_[w.id].priority); });
}

}  // namespace floorwatch
