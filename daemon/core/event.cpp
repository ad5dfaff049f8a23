#include "floorwatch/core/event.h"

namespace floorwatch {
namespace {

constexpr std::array<std::string_view, kEventTypeCount> kEventTypeNames = {
    "contact.queued", "contact.answered", "contact.abandoned", "contact.transferred",
    "contact.ended",  "contact.wrapped",  "contact.escalated", "contact.message",
    "contact.survey", "agent.login",      "agent.logout",      "agent.state",
    "agent.queues",   "contact.evaluated"};

template <typename Enum, size_t N>
std::optional<Enum> FindName(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  return kEventTypeNames[static_cast<size_t>(type)];
}
std::optional<EventType> EventTypeFromName(std::string_view name) {
  return FindName<EventType>(kEventTypeNames, name);
}
std::optional<Channel> ChannelFromName(std::string_view name) {
  return FindName<Channel>(kChannelNames, name);
}
std::optional<AgentState> AgentStateFromName(std::string_view name) {
  return FindName<AgentState>(kAgentStateNames, name);
}

std::optional<AbandonReason> AbandonReasonFromName(std::string_view name) {
  return FindName<AbandonReason>(kAbandonReasonNames, name);
}

}  // namespace floorwatch
