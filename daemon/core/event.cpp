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

// The only type a name can be, by its length and one letter (kEventTypeNames' spellings), so
// that each event's type costs one comparison instead of up to kEventTypeCount.
constexpr std::optional<EventType> Candidate(std::string_view name) {
  using T = EventType;
  switch (name.size()) {
    case 11:  // agent.login, agent.state
      return name[6] == 'l' ? T::kAgentLogin : T::kAgentState;
    case 12:  // agent.logout, agent.queues
      return name[6] == 'l' ? T::kAgentLogout : T::kAgentQueues;
    case 13:
      return T::kContactEnded;
    case 14:  // contact.queued, contact.survey
      return name[8] == 'q' ? T::kContactQueued : T::kContactSurvey;
    case 15:  // contact.wrapped, contact.message
      return name[8] == 'w' ? T::kContactWrapped : T::kContactMessage;
    case 16:
      return T::kContactAnswered;
    case 17:  // contact.abandoned, contact.escalated, contact.evaluated
      return name[9] == 'b'   ? T::kContactAbandoned
             : name[9] == 's' ? T::kContactEscalated
                              : T::kContactEvaluated;
    case 19:
      return T::kContactTransferred;
  }
  return std::nullopt;
}

// Every name picks its own type: a type added or renamed without its case fails to build.
constexpr bool EveryNameIsItsOwnCandidate() {
  for (size_t i = 0; i < kEventTypeNames.size(); ++i) {
    const auto type = Candidate(kEventTypeNames[i]);
    if (!type || static_cast<size_t>(*type) != i) return false;
  }
  return true;
}
static_assert(EveryNameIsItsOwnCandidate());

}  // namespace

std::string_view EventTypeName(EventType type) {
  return kEventTypeNames[static_cast<size_t>(type)];
}
std::optional<EventType> EventTypeFromName(std::string_view name) {
  const auto type = Candidate(name);
  if (!type || EventTypeName(*type) != name) return std::nullopt;
  return type;
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
