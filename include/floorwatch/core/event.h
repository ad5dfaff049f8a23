// Typed events of protocol v1 (docs/protocol.md).
//
// An Event is a view: its string_views point into the buffers of the EventParser that
// produced it and stay valid only until that parser parses the next payload. The core
// copies whatever it keeps. Single-threaded by design: the core thread parses and applies.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace floorwatch {

enum class EventType : uint8_t {
  kContactQueued,
  kContactAnswered,
  kContactAbandoned,
  kContactTransferred,
  kContactEnded,
  kContactWrapped,
  kContactEscalated,
  kContactMessage,
  kContactSurvey,
  kAgentLogin,
  kAgentLogout,
  kAgentState,
  kAgentQueues,
  kContactEvaluated,  // a quality evaluation (docs/protocol.md, outcome events)
};
inline constexpr int kEventTypeCount = 14;

enum class Channel : uint8_t { kVoice, kChat, kEmail, kSocial, kCallback, kVideo };
inline constexpr int kChannelCount = 6;
inline constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "voice", "chat", "email", "social", "callback", "video"};

enum class AgentState : uint8_t { kAvailable, kOnContact, kAcw, kNotReady };
inline constexpr int kAgentStateCount = 4;
inline constexpr std::array<std::string_view, kAgentStateCount> kAgentStateNames = {
    "available", "on_contact", "acw", "not_ready"};

enum class MessageFrom : uint8_t { kCustomer, kAgent };

// Why a contact left unanswered (contact.abandoned `reason`; customer when absent).
enum class AbandonReason : uint8_t { kCustomer, kTimeout, kNoAgents, kKey };
inline constexpr int kAbandonReasonCount = 4;
inline constexpr std::array<std::string_view, kAbandonReasonCount> kAbandonReasonNames = {
    "customer", "timeout", "no_agents", "key"};

std::string_view EventTypeName(EventType type);
std::optional<EventType> EventTypeFromName(std::string_view name);
std::optional<Channel> ChannelFromName(std::string_view name);
std::optional<AgentState> AgentStateFromName(std::string_view name);
std::optional<AbandonReason> AbandonReasonFromName(std::string_view name);
inline std::string_view ChannelName(Channel c) { return kChannelNames[static_cast<int>(c)]; }
inline std::string_view AgentStateName(AgentState s) {
  return kAgentStateNames[static_cast<int>(s)];
}

struct Event {
  EventType type = EventType::kContactQueued;
  int64_t ts_ms = 0;  // source time, ms since the Unix epoch
  std::string_view id;
  std::string_view source;
  bool has_seq = false;
  uint64_t seq = 0;

  // Contact events.
  std::string_view contact;
  std::string_view queue;  // queued, transferred (target), survey and evaluated (attribution)
  std::string_view agent;  // answered, wrapped, survey, evaluated and every agent event
  std::string_view customer;
  Channel channel = Channel::kVoice;
  int64_t priority = 0;
  int64_t tier = 2;
  std::string_view reason;
  std::string_view team;
  std::string_view site;
  MessageFrom from = MessageFrom::kCustomer;
  std::optional<int> csat;
  std::optional<int> nps;
  std::optional<bool> resolved;
  AbandonReason abandon_reason = AbandonReason::kCustomer;
  double score = 0;  // contact.evaluated: 0..100
  std::string_view form;
  std::optional<bool> passed;

  // Agent events.
  AgentState state = AgentState::kNotReady;
  bool has_queues = false;
  std::vector<std::string_view> queues;  // capacity reused across events: no per-event alloc
  // agent.login `capacity`: slots per channel, -1 where the map did not say (and everywhere
  // when there was no map: has_capacity false).
  bool has_capacity = false;
  std::array<int32_t, kChannelCount> capacity{};
};

}  // namespace floorwatch
