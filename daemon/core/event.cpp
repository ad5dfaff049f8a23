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
// Every event asks this: the length and one letter pick the only candidate, so one
// comparison decides instead of up to kEventTypeCount (kEventTypeNames' order).
std::optional<EventType> EventTypeFromName(std::string_view name) {
  int i = -1;
  switch (name.size()) {
    case 11:  // agent.login, agent.state
      i = name[6] == 'l' ? 9 : 11;
      break;
    case 12:  // agent.logout, agent.queues
      i = name[6] == 'l' ? 10 : 12;
      break;
    case 13:  // contact.ended
      i = 4;
      break;
    case 14:  // contact.queued, contact.survey
      i = name[8] == 'q' ? 0 : 8;
      break;
    case 15:  // contact.wrapped, contact.message
      i = name[8] == 'w' ? 5 : 7;
      break;
    case 16:  // contact.answered
      i = 1;
      break;
    case 17:  // contact.abandoned, contact.escalated, contact.evaluated
      i = name[9] == 'b' ? 2 : name[9] == 's' ? 6 : 13;
      break;
    case 19:  // contact.transferred
      i = 3;
      break;
  }
  if (i < 0 || kEventTypeNames[i] != name) return std::nullopt;
  return static_cast<EventType>(i);
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
