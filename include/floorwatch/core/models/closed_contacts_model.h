// Closed contacts: what is remembered of a contact after the daemon let it go (its last wrap,
// an abandon, or expiry), for the surveys and evaluations that name it later, within
// outcomes.closed_contact_memory: the queue/channel it was in last and the team that handled
// it last. One memory, read through the const view by the feedback model (where such a
// survey counts) and the teams model (for which team).
//
// To know a contact's last team it follows each live contact's agent segments: the team of
// the agent who answered the current segment (as the agents model has it then) becomes the
// contact's last team when the segment ends (contact.ended, or a transfer while connected);
// a new contact (contact.queued) starts with none. The teams model counts segments by these
// too. Teams are named by TeamKey (the 64-bit hash the teams model indexes them by), so a
// team the teams model does not track (past limits.max_teams) is simply not found there.
// Observes contact.queued, answered, transferred and ended (owned by the contacts model).
// Figures: floorwatch_outcomes_forgotten_total{kind="closed_contact"}.
// Memory: at most limits.max_closed_contacts remembered, 24 bytes each in a table 4/5 full
// at the limit (docs/performance.md); past it the one closed longest ago (to the second) is
// forgotten first (counted); those closed longer than closed_contact_memory ago are dropped
// at Tick (not counted). Per live contact with a team about 30 bytes, without one nothing. Core
// thread only.
#pragma once

#include <string_view>
#include <vector>

#include "floorwatch/core/aged_memory.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/models/agents_model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/slot_table.h"

namespace floorwatch {

class ClosedContactsModel final : public Model {
 public:
  // One remembered closed contact: 16 bytes (24 with its key in the table).
  struct Closed {
    uint32_t stamp = 0;                // the age stamp (AgedMemory): the second it was let go
    uint32_t queue_channel = kNoSlot;  // where it was last
    uint64_t team = 0;                 // TeamKey of the team that handled it last; 0: none
  };

  // The key of a team id, as the teams model indexes teams; 0 for none.
  static uint64_t TeamKey(std::string_view team) {
    return team.empty() ? 0 : MemoryKey(HashId(team));
  }

  ClosedContactsModel(const Config& config, const ContactsModel& contacts,
                      const AgentsModel& agents);

  std::string_view name() const override { return "closed_contacts"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
  void OnContactClosed(uint32_t contact, int64_t now_ms) override;
  void Tick(int64_t now_ms) override;
  void ForgottenCounts(std::vector<OutcomeCount>& out) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view.
  // The closed contact with this id, or nullptr (never closed, forgotten or expired).
  const Closed* Find(std::string_view contact_id) const {
    return closed_.Find(MemoryKey(HashId(contact_id)));
  }
  // A live contact's (by slot) team of the agent connected now, and the team that handled
  // its last ended segment; 0 for none.
  uint64_t SegmentTeam(uint32_t contact) const {
    const PerContact* c = by_contact_.Find(contact);
    return c ? c->segment : 0;
  }
  uint64_t LastTeam(uint32_t contact) const {
    const PerContact* c = by_contact_.Find(contact);
    return c ? c->last : 0;
  }
  size_t remembered() const { return closed_.size(); }
  uint64_t forgotten() const { return closed_.forgotten(); }

 private:
  struct PerContact {
    uint64_t segment = 0;
    uint64_t last = 0;
  };

  uint64_t AgentTeam(std::string_view agent) const;

  const Config& config_;
  const ContactsModel& contacts_;
  const AgentsModel& agents_;
  AgedMemory<Closed> closed_;  // by MemoryKey(HashId(contact id))
  // By contact slot, for the contacts with a team (answered ones): none for a waiting one.
  SlotTable<PerContact> by_contact_;
};

}  // namespace floorwatch
