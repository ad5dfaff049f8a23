#include "floorwatch/bridge/core/connect_mapper.h"

#include <algorithm>

namespace floorwatch::bridge {
namespace {

bool IsTransfer(std::string_view initiation_method) {
  return initiation_method == "TRANSFER" || initiation_method == "QUEUE_TRANSFER";
}

OutEvent AgentEvent(EventType type, const std::string& agent, int64_t ts_ms) {
  OutEvent e;
  e.type = type;
  e.ts_ms = ts_ms;
  e.agent = agent;
  return e;
}

}  // namespace

ConnectMapper::ConnectMapper(ConnectLimits limits) : limits_(limits) {}

ConnectOutcome ConnectMapper::Apply(const ConnectRecord& r, std::vector<OutEvent>& out) {
  if (r.kind == ConnectKind::kContact) return ApplyContact(r.contact, out);
  if (r.kind == ConnectKind::kAgent) return ApplyAgent(r.agent, out);
  return ConnectOutcome::kUnmappedType;  // the adapter skips these before they get here
}

// ---- Contacts -----------------------------------------------------------------------------

ConnectOutcome ConnectMapper::ApplyContact(const ConnectContact& c, Events& out) {
  if (c.event_type == "QUEUED") return Queued(c, out);
  if (c.event_type == "CONNECTED_TO_AGENT") return Connected(c, out);
  if (c.event_type == "DISCONNECTED") return Disconnected(c, out);
  return ConnectOutcome::kUnmappedType;
}

ConnectMapper::Contact* ConnectMapper::Find(const std::string& id, int64_t ts_ms) {
  return contacts_.Find(id, ts_ms);
}

ConnectMapper::Contact& ConnectMapper::Add(const std::string& id, int64_t ts_ms) {
  return contacts_.Add(id, ts_ms, limits_.max_contacts, limits_.forget_after_ms);
}

OutEvent ConnectMapper::ContactEvent(EventType type, const Contact& contact, int64_t ts_ms) const {
  OutEvent e;
  e.type = type;
  e.ts_ms = ts_ms;
  e.contact = contact.published;
  e.queue = contact.queue;
  e.channel = contact.channel;
  return e;
}

ConnectMapper::Contact* ConnectMapper::Arrive(const ConnectContact& c, Events& out) {
  if (c.queue.empty()) return nullptr;
  const int64_t ts = c.enqueue_ms != 0 ? c.enqueue_ms : c.ts_ms;
  std::string published = c.contact_id;
  EventType type = EventType::kContactQueued;
  if (IsTransfer(c.initiation_method) && !c.previous_contact_id.empty() &&
      c.previous_contact_id != c.contact_id) {
    Contact* previous = Find(c.previous_contact_id, c.ts_ms);
    if (previous != nullptr && previous->stage != Stage::kHandedOver) {
      published = previous->published;
      // One that already ended starts again in the new queue (the daemon takes a
      // contact.queued of an ended contact as its next conversation).
      if (previous->stage != Stage::kOver) type = EventType::kContactTransferred;
      previous->stage = Stage::kHandedOver;
    }
  }
  Contact& contact = Add(c.contact_id, c.ts_ms);  // may forget old contacts: `previous` too
  contact.published = std::move(published);
  contact.stage = Stage::kWaiting;
  contact.queue = c.queue;
  contact.channel = c.channel;
  out.push_back(ContactEvent(type, contact, ts));
  return &contact;
}

void ConnectMapper::Answer(Contact& contact, const ConnectContact& c, int64_t ts_ms, Events& out) {
  OutEvent e = ContactEvent(EventType::kContactAnswered, contact, ts_ms);
  e.agent = c.agent;
  out.push_back(std::move(e));
  contact.stage = Stage::kConnected;
}

ConnectOutcome ConnectMapper::Queued(const ConnectContact& c, Events& out) {
  if (c.queue.empty()) return ConnectOutcome::kMissingField;
  Contact* contact = Find(c.contact_id, c.ts_ms);
  if (contact == nullptr) return Arrive(c, out), ConnectOutcome::kMapped;
  switch (contact->stage) {
    case Stage::kWaiting:
      if (contact->queue == c.queue) return ConnectOutcome::kDuplicate;
      break;
    case Stage::kConnected:
      if (contact->queue == c.queue) return ConnectOutcome::kOutOfOrder;  // a late QUEUED
      break;
    case Stage::kOver:
    case Stage::kHandedOver:
      return ConnectOutcome::kOutOfOrder;
  }
  // Queued again in another queue: a transfer of the same contact.
  contact->queue = c.queue;
  contact->stage = Stage::kWaiting;
  out.push_back(ContactEvent(EventType::kContactTransferred, *contact, c.ts_ms));
  return ConnectOutcome::kMapped;
}

ConnectOutcome ConnectMapper::Connected(const ConnectContact& c, Events& out) {
  if (c.agent.empty()) return ConnectOutcome::kMissingField;
  Contact* contact = Find(c.contact_id, c.ts_ms);
  if (contact == nullptr) {
    contact = Arrive(c, out);
    if (contact == nullptr) return ConnectOutcome::kNotQueued;
  } else if (contact->stage == Stage::kConnected) {
    return ConnectOutcome::kDuplicate;
  } else if (contact->stage != Stage::kWaiting) {
    return ConnectOutcome::kOutOfOrder;
  }
  Answer(*contact, c, c.ts_ms, out);
  return ConnectOutcome::kMapped;
}

ConnectOutcome ConnectMapper::Disconnected(const ConnectContact& c, Events& out) {
  Contact* contact = Find(c.contact_id, c.ts_ms);
  if (contact == nullptr) {
    contact = Arrive(c, out);
    if (contact == nullptr) return ConnectOutcome::kNotQueued;
  }
  switch (contact->stage) {
    case Stage::kOver:
      return ConnectOutcome::kDuplicate;
    case Stage::kHandedOver:
      return ConnectOutcome::kMapped;  // the contact it was transferred to carries on
    case Stage::kWaiting:
      // Connected, as its agentInfo says, though that record has not come (or never will).
      if (!c.agent.empty() && c.connected_ms != 0) Answer(*contact, c, c.connected_ms, out);
      break;
    case Stage::kConnected:
      break;
  }
  const bool answered = contact->stage == Stage::kConnected;
  out.push_back(ContactEvent(answered ? EventType::kContactEnded : EventType::kContactAbandoned,
                             *contact, c.ts_ms));
  contact->stage = Stage::kOver;
  return ConnectOutcome::kMapped;
}

// ---- Agents -------------------------------------------------------------------------------

void ConnectMapper::PushState(const std::string& id, Agent& agent, const ConnectAgent& a,
                              Events& out) {
  if (agent.published_state && agent.state == a.state && agent.reason == a.reason) return;
  agent.published_state = true;
  agent.state = a.state;
  agent.reason = a.reason;
  OutEvent s = AgentEvent(EventType::kAgentState, id, a.ts_ms);
  s.state = a.state;
  s.reason = a.reason;
  out.push_back(std::move(s));
}

ConnectOutcome ConnectMapper::ApplyAgent(const ConnectAgent& a, Events& out) {
  auto it = agents_.find(a.agent);
  const bool first_seen = it == agents_.end();
  if (first_seen) {
    if (agents_.size() >= limits_.max_agents) return ConnectOutcome::kLimit;
    it = agents_.emplace(a.agent, Agent{}).first;
  }
  Agent& agent = it->second;
  if (a.event_type == "LOGOUT") {
    if (!first_seen && !agent.logged_in) return ConnectOutcome::kMapped;
    agent.logged_in = false;
    out.push_back(AgentEvent(EventType::kAgentLogout, a.agent, a.ts_ms));
    return ConnectOutcome::kMapped;
  }
  // LOGIN, or the first record of an agent logged in before the bridge started. HEART_BEATs
  // go on for an hour after a logout: those of an agent seen logging out log nobody in.
  const bool login = a.event_type == "LOGIN" || (first_seen && a.has_snapshot);
  if (login) {
    agent.logged_in = true;
    agent.published_state = false;
    OutEvent e = AgentEvent(EventType::kAgentLogin, a.agent, a.ts_ms);
    if (a.has_snapshot) {
      agent.queues = a.queues;
      e.has_queues = true;
      e.queues = a.queues;
    }
    out.push_back(std::move(e));
  } else if (!agent.logged_in || !a.has_snapshot) {
    return ConnectOutcome::kMapped;
  } else if (agent.queues != a.queues) {
    agent.queues = a.queues;
    OutEvent q = AgentEvent(EventType::kAgentQueues, a.agent, a.ts_ms);
    q.has_queues = true;
    q.queues = a.queues;
    out.push_back(std::move(q));
  }
  if (a.has_snapshot) PushState(a.agent, agent, a, out);
  return ConnectOutcome::kMapped;
}

}  // namespace floorwatch::bridge
