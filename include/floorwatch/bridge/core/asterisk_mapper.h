// queue_log records -> protocol v1 events, as ADAPTERS.md maps them (docs/bridge.md has the
// table), with what the mapping needs to remember:
//   per call (callid): how many times it entered a queue (its N-th entry is contact
//     `callid#N`, the first plain `callid`), whether it waits, is connected or is over, its
//     queue and its agent;
//   per agent: logged in or not, its member queues, paused (and why), the calls it is on.
// The state an agent.state names is the agent's own: not_ready while paused (Asterisk keeps
// a member paused across its calls), else on_contact while on a call, else available. An
// agent the mapper has seen log out gets no agent.state from a later call record (it would
// log it in again at the daemon); one it never saw (a static member of queues.conf, or
// logged in before the bridge started) does, and counts as logged in from then on, as the
// daemon takes it.
//
// Bounded: calls are remembered in the order they first appeared, at most `max_calls`, and
// forgotten from the oldest once they had no record for `forget_after_ms` of record time (a
// day: re-entries come within minutes, and a call silent for a day lost its end); agents at
// most `max_agents` (a record about one more is refused as kLimit).
//
// Deterministic and pure: the same records give the same events and the same state, so a
// restart re-applies the journal's records to the saved state (Save/Load) and goes on
// exactly. Single-threaded.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "floorwatch/bridge/core/agent_namer.h"
#include "floorwatch/bridge/core/out_event.h"
#include "floorwatch/bridge/core/queue_log.h"
#include "floorwatch/bridge/core/recent_map.h"
#include "floorwatch/core/binary_io.h"

namespace floorwatch::bridge {

struct MapperLimits {
  size_t max_calls = 200'000;
  size_t max_agents = 100'000;
  int64_t forget_after_ms = 24 * 3600 * 1000;  // a call with no record for this long
};

enum class MapOutcome : uint8_t {
  kMapped,        // a verb of the table; `out` got its events (possibly none: a logoff of an
                  // agent not logged in changes nothing)
  kUnmapped,      // a verb the table does not map (RINGNOANSWER, custom verbs, ...)
  kMissingField,  // a mapped verb without the callid, queue or agent it needs
  kLimit,         // one agent more than max_agents
};

class AsteriskMapper {
 public:
  explicit AsteriskMapper(AgentNamer namer = AgentNamer(), MapperLimits limits = {});

  // Appends the record's events to `out` (ts = the record's).
  MapOutcome Apply(const QueueLogRecord& record, std::vector<OutEvent>& out);

  void Save(BinaryWriter& w) const;
  // Replaces the state with a saved one; false (state unchanged) if `r` does not hold one.
  bool Load(BinaryReader& r);

  size_t calls() const { return calls_.size(); }
  size_t agents() const { return agents_.size(); }

 private:
  enum class CallState : uint8_t { kWaiting, kConnected, kOver };
  struct Call {
    uint32_t entries = 0;
    CallState state = CallState::kOver;
    std::string queue;
    std::string agent;       // while connected
    int64_t last_ts_ms = 0;  // its latest record's time
  };
  struct Agent {
    bool logged_in = false;
    bool paused = false;
    std::string pause_reason;
    std::vector<std::string> queues;  // sorted
    uint32_t calls = 0;               // connected calls naming it (derived, not saved)
  };
  using Events = std::vector<OutEvent>;

  MapOutcome Enter(const QueueLogRecord& r, Events& out);
  MapOutcome Connect(const QueueLogRecord& r, Events& out);
  MapOutcome End(const QueueLogRecord& r, Events& out);  // completes and transfers
  MapOutcome Abandon(const QueueLogRecord& r, std::string_view reason, Events& out);
  MapOutcome AddMember(const QueueLogRecord& r, Events& out);
  MapOutcome RemoveMember(const QueueLogRecord& r, Events& out);
  MapOutcome Pause(const QueueLogRecord& r, bool paused, Events& out);
  MapOutcome Login(const QueueLogRecord& r, Events& out);
  MapOutcome Logoff(const QueueLogRecord& r, Events& out);

  Call& FindOrAddCall(std::string_view callid, int64_t ts_ms);
  Agent* FindOrAddAgent(const std::string& id);  // null past max_agents
  void LeaveAgent(Call& call);                   // the call's agent is off it
  std::string ContactId(std::string_view callid, const Call& call) const;
  OutEvent ContactEvent(EventType type, const QueueLogRecord& r, std::string contact,
                        const Call& call) const;
  // agent.state with the agent's own state (see above); `id` must name a known agent.
  void PushState(const std::string& id, const Agent& a, int64_t ts_ms, Events& out) const;
  // Whether a call record may say what the agent does now; takes an unseen agent in.
  bool Visible(const std::string& id);

  AgentNamer namer_;
  MapperLimits limits_;
  RecentMap<Call> calls_;  // by callid
  std::map<std::string, Agent> agents_;
};

}  // namespace floorwatch::bridge
