// Test helper: feeds queue_log lines to an AsteriskMapper and describes what it published
// in one short string per event, so a case reads as the lines and the events they give.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "floorwatch/bridge/core/asterisk_mapper.h"

namespace floorwatch::bridge::testing {

// "contact.queued 17.1 IT customer=c-1", "agent.state 1127 not_ready lunch", ...
inline std::string Describe(const OutEvent& e) {
  std::string s(EventTypeName(e.type));
  const bool agent_event = s.rfind("agent.", 0) == 0;
  s += " " + (agent_event ? e.agent : e.contact);
  switch (e.type) {
    case EventType::kContactQueued:
      s += " " + e.queue;
      if (!e.customer.empty()) s += " customer=" + e.customer;
      break;
    case EventType::kContactAnswered:
      s += " " + e.agent;
      break;
    case EventType::kContactAbandoned:
      s += " " + e.reason;
      break;
    case EventType::kAgentState:
      s += " " + std::string(AgentStateName(e.state));
      if (!e.reason.empty()) s += " " + e.reason;
      break;
    case EventType::kAgentQueues:
    case EventType::kAgentLogin:
      if (e.has_queues) {
        s += " [";
        for (size_t i = 0; i < e.queues.size(); ++i) s += (i ? "," : "") + e.queues[i];
        s += "]";
      }
      break;
    default:
      break;
  }
  return s;
}

struct MapperScript {
  AsteriskMapper mapper;
  explicit MapperScript(AgentNamer namer = AgentNamer(), MapperLimits limits = {})
      : mapper(std::move(namer), limits) {}

  // The events of one line (which must parse), described.
  std::vector<std::string> Line(const std::string& line,
                                MapOutcome expected = MapOutcome::kMapped) {
    const ParsedLine p = ParseQueueLogLine(line);
    REQUIRE(p.error == LineError::kNone);
    std::vector<OutEvent> events;
    CHECK(mapper.Apply(p.record, events) == expected);
    std::vector<std::string> out;
    for (const OutEvent& e : events) {
      CHECK(e.ts_ms == p.record.ts_ms);
      out.push_back(Describe(e));
    }
    return out;
  }
};

using Events = std::vector<std::string>;

}  // namespace floorwatch::bridge::testing
