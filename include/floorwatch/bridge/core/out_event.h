// A protocol v1 event as floorwatch-bridge publishes it (docs/protocol.md), made by an
// adapter's mapper (asterisk_mapper.h; the Connect and Twilio adapters make the same) and
// written as one JSON object by WriteEventJson, with the `source` and `seq` the runner gives
// it when it is sequenced.
//
// Unlike the daemon's Event (a view into a parser's buffer) an OutEvent owns its strings, so
// a mapper can hand a record's events to the runner and go on. Pure value type, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/core/event.h"

namespace floorwatch::bridge {

struct OutEvent {
  EventType type = EventType::kContactQueued;
  int64_t ts_ms = 0;  // source time, ms since the Unix epoch
  std::string contact;
  // contact.queued and contact.transferred: written as `queue`. For other contact events
  // it only routes the topic (contact.<queue>) and is not written.
  std::string queue;
  std::string agent;     // contact.answered, contact.wrapped (when set) and agent events
  std::string customer;  // contact.queued, when not empty
  Channel channel = Channel::kVoice;
  // contact.abandoned: the abandon reason (customer, key, timeout, no_agents);
  // agent.state not_ready: why (written when not empty).
  std::string reason;
  AgentState state = AgentState::kAvailable;  // agent.state
  bool has_queues = false;                    // agent.queues always; agent.login when set
  std::vector<std::string> queues;
};

// Appends the event as one JSON object (no newline) with `source` and `seq`. Strings are
// written as valid UTF-8 whatever they hold: a byte that is not part of a well-formed UTF-8
// sequence becomes U+FFFD, control characters are escaped, so the daemon's strict parser
// accepts every event (tests/fuzz/fuzz_queue_log.cpp checks it).
void WriteEventJson(const OutEvent& event, std::string_view source, uint64_t seq, std::string& out);

// The ZeroMQ topic frame for the event: contact.<queue> or agent.<agent> (docs/protocol.md's
// recommendation, so a SUB can subscribe by prefix).
void AppendTopic(const OutEvent& event, std::string& out);

// Appends `text` as a JSON string literal, replacing ill-formed UTF-8 with U+FFFD.
void AppendJsonText(std::string& out, std::string_view text);

}  // namespace floorwatch::bridge
