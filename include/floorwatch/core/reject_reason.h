// Why an event was dropped (`floorwatch_events_rejected_total{reason}`) or, valid but
// changing nothing, ignored (`floorwatch_events_ignored_total{reason}`).
#pragma once

#include <array>
#include <string_view>

namespace floorwatch {

enum class RejectReason : uint8_t {
  kParse,           // not JSON, not UTF-8, trailing bytes
  kSchema,          // not an object, missing field, wrong type or value
  kUnknownType,     // `type` is not a v1 event type
  kTooLarge,        // over limits.max_event_bytes
  kFrames,          // a ZeroMQ message of more than two frames
  kUnknownContact,  // about a contact the daemon does not hold
  kUnknownQueue,    // unknown_queues: reject, and the queue is not configured
  kLimit,           // would exceed limits.max_queues / max_agents / max_contacts
  kUnknownTeam,     // unknown_teams: reject, and agent.login names a team not configured
};                  // only ever appended to: snapshots count rejections by position
inline constexpr int kRejectReasonCount = 9;
inline constexpr std::array<std::string_view, kRejectReasonCount> kRejectReasonNames = {
    "parse",           "schema",        "unknown_type", "too_large",   "frames",
    "unknown_contact", "unknown_queue", "limit",        "unknown_team"};

enum class IgnoreReason : uint8_t {
  kNoChange,      // e.g. contact.queued for a contact already waiting in that queue
  kInvalidState,  // does not fit the contact's lifecycle (answered twice, ended while waiting)
  kUnknownAgent,  // agent.logout for an agent not logged in
};
inline constexpr int kIgnoreReasonCount = 3;
inline constexpr std::array<std::string_view, kIgnoreReasonCount> kIgnoreReasonNames = {
    "no_change", "invalid_state", "unknown_agent"};

}  // namespace floorwatch
