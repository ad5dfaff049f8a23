#include "floorwatch/bridge/core/asterisk_mapper.h"

#include <algorithm>

namespace floorwatch::bridge {
namespace {

// queue_log writes NONE where a field does not apply (app_queue.c passes "NONE").
bool Present(std::string_view field) { return !field.empty() && field != "NONE"; }

OutEvent AgentEvent(EventType type, const std::string& agent, int64_t ts_ms) {
  OutEvent e;
  e.type = type;
  e.ts_ms = ts_ms;
  e.agent = agent;
  return e;
}

}  // namespace

AsteriskMapper::AsteriskMapper(AgentNamer namer, MapperLimits limits)
    : namer_(std::move(namer)), limits_(limits) {}

MapOutcome AsteriskMapper::Apply(const QueueLogRecord& r, std::vector<OutEvent>& out) {
  switch (r.kind) {
    case Verb::kEnterQueue:
      return Enter(r, out);
    case Verb::kConnect:
      return Connect(r, out);
    case Verb::kCompleteCaller:
    case Verb::kCompleteAgent:
    case Verb::kBlindTransfer:
    case Verb::kAttendedTransfer:
    case Verb::kTransfer:
      return End(r, out);
    case Verb::kAbandon:
      return Abandon(r, "customer", out);
    case Verb::kExitWithKey:
      return Abandon(r, "key", out);
    case Verb::kExitWithTimeout:
      return Abandon(r, "timeout", out);
    case Verb::kExitEmpty:
      return Abandon(r, "no_agents", out);
    case Verb::kAddMember:
      return AddMember(r, out);
    case Verb::kRemoveMember:
      return RemoveMember(r, out);
    case Verb::kPause:
    case Verb::kPauseAll:
      return Pause(r, true, out);
    case Verb::kUnpause:
    case Verb::kUnpauseAll:
      return Pause(r, false, out);
    case Verb::kAgentLogin:
    case Verb::kAgentCallbackLogin:
      return Login(r, out);
    case Verb::kAgentLogoff:
    case Verb::kAgentCallbackLogoff:
      return Logoff(r, out);
    case Verb::kOther:
      break;
  }
  return MapOutcome::kUnmapped;
}

// ---- Calls --------------------------------------------------------------------------------

AsteriskMapper::Call& AsteriskMapper::FindOrAddCall(std::string_view callid, int64_t ts_ms) {
  const std::string key(callid);
  if (Call* call = calls_.Find(key, ts_ms)) return *call;
  // A re-entry comes within minutes; a call silent for forget_after_ms lost its end.
  return calls_.Add(key, ts_ms, limits_.max_calls, limits_.forget_after_ms,
                    [this](Call& forgotten) { LeaveAgent(forgotten); });
}

void AsteriskMapper::LeaveAgent(Call& call) {
  if (call.state != CallState::kConnected) return;
  const auto a = agents_.find(call.agent);
  if (a != agents_.end() && a->second.calls > 0) --a->second.calls;
  call.agent.clear();
}

std::string AsteriskMapper::ContactId(std::string_view callid, const Call& call) const {
  std::string id(callid);
  if (call.entries > 1) id.append("#").append(std::to_string(call.entries));
  return id;
}

OutEvent AsteriskMapper::ContactEvent(EventType type, const QueueLogRecord& r, std::string contact,
                                      const Call& call) const {
  OutEvent e;
  e.type = type;
  e.ts_ms = r.ts_ms;
  e.contact = std::move(contact);
  e.queue = Present(r.queue) ? std::string(r.queue) : call.queue;
  return e;
}

MapOutcome AsteriskMapper::Enter(const QueueLogRecord& r, Events& out) {
  if (!Present(r.callid) || !Present(r.queue)) return MapOutcome::kMissingField;
  Call& call = FindOrAddCall(r.callid, r.ts_ms);
  LeaveAgent(call);  // a call connected in our view whose end was lost
  ++call.entries;
  call.state = CallState::kWaiting;
  call.queue.assign(r.queue);
  OutEvent e = ContactEvent(EventType::kContactQueued, r, ContactId(r.callid, call), call);
  e.channel = Channel::kVoice;
  e.customer.assign(r.Data(1));  // the caller id number (queue_exec logs url|callerid|...)
  out.push_back(std::move(e));
  return MapOutcome::kMapped;
}

MapOutcome AsteriskMapper::Connect(const QueueLogRecord& r, Events& out) {
  if (!Present(r.callid) || !Present(r.agent)) return MapOutcome::kMissingField;
  const std::string agent = namer_.Name(r.agent);
  Call& call = FindOrAddCall(r.callid, r.ts_ms);
  LeaveAgent(call);
  call.state = CallState::kConnected;
  call.agent = agent;
  if (Present(r.queue)) call.queue.assign(r.queue);
  OutEvent e = ContactEvent(EventType::kContactAnswered, r, ContactId(r.callid, call), call);
  e.agent = agent;
  out.push_back(std::move(e));
  const bool visible = Visible(agent);
  const auto a = agents_.find(agent);
  if (a != agents_.end()) ++a->second.calls;
  if (visible) {
    OutEvent s = AgentEvent(EventType::kAgentState, agent, r.ts_ms);
    s.state = AgentState::kOnContact;
    out.push_back(std::move(s));
  }
  return MapOutcome::kMapped;
}

MapOutcome AsteriskMapper::End(const QueueLogRecord& r, Events& out) {
  if (!Present(r.callid)) return MapOutcome::kMissingField;
  Call& call = FindOrAddCall(r.callid, r.ts_ms);
  const std::string agent = Present(r.agent) ? namer_.Name(r.agent) : call.agent;
  LeaveAgent(call);
  call.state = CallState::kOver;
  out.push_back(ContactEvent(EventType::kContactEnded, r, ContactId(r.callid, call), call));
  if (!agent.empty() && Visible(agent)) PushState(agent, agents_[agent], r.ts_ms, out);
  return MapOutcome::kMapped;
}

MapOutcome AsteriskMapper::Abandon(const QueueLogRecord& r, std::string_view reason, Events& out) {
  if (!Present(r.callid)) return MapOutcome::kMissingField;
  Call& call = FindOrAddCall(r.callid, r.ts_ms);
  LeaveAgent(call);
  call.state = CallState::kOver;
  OutEvent e = ContactEvent(EventType::kContactAbandoned, r, ContactId(r.callid, call), call);
  e.reason.assign(reason);
  out.push_back(std::move(e));
  return MapOutcome::kMapped;
}

// ---- Agents -------------------------------------------------------------------------------

AsteriskMapper::Agent* AsteriskMapper::FindOrAddAgent(const std::string& id) {
  if (const auto it = agents_.find(id); it != agents_.end()) return &it->second;
  if (agents_.size() >= limits_.max_agents) return nullptr;
  return &agents_[id];
}

bool AsteriskMapper::Visible(const std::string& id) {
  if (const auto it = agents_.find(id); it != agents_.end()) return it->second.logged_in;
  Agent* a = FindOrAddAgent(id);
  if (a != nullptr) a->logged_in = true;
  return a != nullptr;
}

void AsteriskMapper::PushState(const std::string& id, const Agent& a, int64_t ts_ms,
                               Events& out) const {
  OutEvent s = AgentEvent(EventType::kAgentState, id, ts_ms);
  if (a.paused) {
    s.state = AgentState::kNotReady;
    s.reason = a.pause_reason;
  } else {
    s.state = a.calls > 0 ? AgentState::kOnContact : AgentState::kAvailable;
  }
  out.push_back(std::move(s));
}

MapOutcome AsteriskMapper::AddMember(const QueueLogRecord& r, Events& out) {
  if (!Present(r.queue) || !Present(r.agent)) return MapOutcome::kMissingField;
  const std::string id = namer_.Name(r.agent);
  Agent* a = FindOrAddAgent(id);
  if (a == nullptr) return MapOutcome::kLimit;
  if (!a->logged_in) out.push_back(AgentEvent(EventType::kAgentLogin, id, r.ts_ms));
  a->logged_in = true;
  const std::string queue(r.queue);
  const auto at = std::lower_bound(a->queues.begin(), a->queues.end(), queue);
  if (at == a->queues.end() || *at != queue) a->queues.insert(at, queue);
  OutEvent q = AgentEvent(EventType::kAgentQueues, id, r.ts_ms);
  q.has_queues = true;
  q.queues = a->queues;
  out.push_back(std::move(q));
  a->paused = r.Data(0) == "PAUSED";  // aqm_exec and friends log "PAUSED" or nothing
  a->pause_reason.clear();
  PushState(id, *a, r.ts_ms, out);
  return MapOutcome::kMapped;
}

MapOutcome AsteriskMapper::RemoveMember(const QueueLogRecord& r, Events& out) {
  if (!Present(r.queue) || !Present(r.agent)) return MapOutcome::kMissingField;
  const std::string id = namer_.Name(r.agent);
  const auto it = agents_.find(id);
  if (it == agents_.end()) return MapOutcome::kMapped;
  Agent& a = it->second;
  const auto at = std::find(a.queues.begin(), a.queues.end(), r.queue);
  if (at == a.queues.end()) return MapOutcome::kMapped;
  a.queues.erase(at);
  if (!a.logged_in) return MapOutcome::kMapped;
  if (a.queues.empty()) {
    out.push_back(AgentEvent(EventType::kAgentLogout, id, r.ts_ms));
    a.logged_in = false;
    a.paused = false;
    return MapOutcome::kMapped;
  }
  OutEvent q = AgentEvent(EventType::kAgentQueues, id, r.ts_ms);
  q.has_queues = true;
  q.queues = a.queues;
  out.push_back(std::move(q));
  return MapOutcome::kMapped;
}

MapOutcome AsteriskMapper::Pause(const QueueLogRecord& r, bool paused, Events& out) {
  if (!Present(r.agent)) return MapOutcome::kMissingField;
  const std::string id = namer_.Name(r.agent);
  const bool visible = Visible(id);
  const auto it = agents_.find(id);
  if (it == agents_.end()) return MapOutcome::kLimit;
  Agent& a = it->second;
  a.paused = paused;
  a.pause_reason.assign(paused ? r.Data(0) : std::string_view{});
  if (visible) PushState(id, a, r.ts_ms, out);
  return MapOutcome::kMapped;
}

MapOutcome AsteriskMapper::Login(const QueueLogRecord& r, Events& out) {
  if (!Present(r.agent)) return MapOutcome::kMissingField;
  const std::string id = namer_.Name(r.agent);
  Agent* a = FindOrAddAgent(id);
  if (a == nullptr) return MapOutcome::kLimit;
  if (a->logged_in) return MapOutcome::kMapped;
  a->logged_in = true;
  OutEvent login = AgentEvent(EventType::kAgentLogin, id, r.ts_ms);
  if (!a->queues.empty()) {  // still a member of these queues (a logoff keeps them)
    login.has_queues = true;
    login.queues = a->queues;
  }
  out.push_back(std::move(login));
  PushState(id, *a, r.ts_ms, out);
  return MapOutcome::kMapped;
}

MapOutcome AsteriskMapper::Logoff(const QueueLogRecord& r, Events& out) {
  if (!Present(r.agent)) return MapOutcome::kMissingField;
  const std::string id = namer_.Name(r.agent);
  const auto it = agents_.find(id);
  if (it == agents_.end() || !it->second.logged_in) return MapOutcome::kMapped;
  it->second.logged_in = false;
  it->second.paused = false;
  out.push_back(AgentEvent(EventType::kAgentLogout, id, r.ts_ms));
  return MapOutcome::kMapped;
}

}  // namespace floorwatch::bridge
