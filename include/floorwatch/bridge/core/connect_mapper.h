// Amazon Connect records (connect_record.h) -> protocol v1 events, as ADAPTERS.md maps them
// (docs/bridge.md has the table), with what the mapping needs to remember:
//   per Connect contactId: the contact id it publishes as (its own, or, after a transfer,
//     the earlier contact's: one contact through its transfers), its stage (waiting,
//     connected, over, or handed over to the contact it was transferred to), its queue;
//   per agent: logged in or not, its queues, its last published state.
//
// EventBridge delivers best effort and in no set order, and every contact event carries the
// contact's story so far (queueInfo with enqueueTimestamp, agentInfo with connectedToAgent-
// Timestamp), so a record first brings its contact forward through the stages it shows:
// a CONNECTED_TO_AGENT whose QUEUED has not come yet publishes contact.queued (at enqueue-
// Timestamp) first. A record that would move a contact back (a QUEUED or CONNECTED_TO_AGENT
// after its DISCONNECTED, a late QUEUED after CONNECTED_TO_AGENT) is refused as
// kOutOfOrder; one repeating its contact's stage (EventBridge delivers at least once) as
// kDuplicate. Either changes nothing.
//
// Bounded like the asterisk mapper: contacts are remembered in the order they first came,
// at most `max_contacts`, and forgotten from the oldest once they had no record for
// `forget_after_ms` of record time; agents at most `max_agents` (one more: kLimit).
//
// Deterministic and pure: the same records give the same events and state, so a restart
// re-applies the journaled records to the saved state (Save/Load). Single-threaded.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "floorwatch/bridge/core/connect_record.h"
#include "floorwatch/bridge/core/out_event.h"
#include "floorwatch/bridge/core/recent_map.h"
#include "floorwatch/core/binary_io.h"

namespace floorwatch::bridge {

struct ConnectLimits {
  size_t max_contacts = 200'000;
  size_t max_agents = 100'000;
  int64_t forget_after_ms = 24 * 3600 * 1000;
};

enum class ConnectOutcome : uint8_t {
  kMapped,        // `out` got the record's events (maybe none: an agent state unchanged)
  kUnmappedType,  // an event type the table does not map (INITIATED, CONTACT_DATA_UPDATED)
  kNotQueued,     // a contact that never reached a queue (a call ended in its flow)
  kMissingField,  // QUEUED without queueInfo.queueArn, CONNECTED_TO_AGENT without an agent
  kOutOfOrder,    // would move the contact back in its life
  kDuplicate,     // repeats the stage the contact is in
  kLimit,         // one agent more than max_agents
};

class ConnectMapper {
 public:
  explicit ConnectMapper(ConnectLimits limits = {});

  ConnectOutcome Apply(const ConnectRecord& record, std::vector<OutEvent>& out);

  void Save(BinaryWriter& w) const;
  bool Load(BinaryReader& r);  // false (state unchanged) if `r` holds no saved state

  size_t contacts() const { return contacts_.size(); }
  size_t agents() const { return agents_.size(); }

 private:
  enum class Stage : uint8_t { kWaiting, kConnected, kOver, kHandedOver };
  struct Contact {
    std::string published;  // the contact id its events carry
    Stage stage = Stage::kWaiting;
    std::string queue;
    Channel channel = Channel::kVoice;
    int64_t last_ts_ms = 0;
  };
  struct Agent {
    bool logged_in = false;
    bool published_state = false;  // `state`/`reason` were published since the login
    AgentState state = AgentState::kNotReady;
    std::string reason;
    std::vector<std::string> queues;  // sorted
  };
  using Events = std::vector<OutEvent>;

  ConnectOutcome ApplyContact(const ConnectContact& c, Events& out);
  ConnectOutcome Queued(const ConnectContact& c, Events& out);
  ConnectOutcome Connected(const ConnectContact& c, Events& out);
  ConnectOutcome Disconnected(const ConnectContact& c, Events& out);
  // A contact first seen in this record: queued (or transferred into from its previous
  // contact) at its enqueueTimestamp. Null if the record names no queue.
  Contact* Arrive(const ConnectContact& c, Events& out);
  void Answer(Contact& contact, const ConnectContact& c, int64_t ts_ms, Events& out);
  Contact& Add(const std::string& id, int64_t ts_ms);
  Contact* Find(const std::string& id, int64_t ts_ms);
  OutEvent ContactEvent(EventType type, const Contact& contact, int64_t ts_ms) const;

  ConnectOutcome ApplyAgent(const ConnectAgent& a, Events& out);
  void PushState(const std::string& id, Agent& agent, const ConnectAgent& a, Events& out);

  ConnectLimits limits_;
  RecentMap<Contact> contacts_;
  std::map<std::string, Agent> agents_;
};

}  // namespace floorwatch::bridge
