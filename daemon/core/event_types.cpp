// One small function per event type: its required and optional fields (docs/protocol.md),
// built from the shared checks of EventParser::Impl, and the table that picks one by type.
#include "core/event_fields.h"

namespace floorwatch::parser_internal {
namespace {

using Fields = EventParser::Impl;

// ---- One function per event type: its required and optional fields ---------------------

void ContactQueued(const Fields& p, Event& e) {
  e.contact = p.Contact();
  e.queue = p.Queue();
  e.channel = p.ChannelField();
  if (p.Has(kPriority))
    e.priority = p.Int(kPriority, INT32_MIN, INT32_MAX, "priority: must be an integer");
  e.customer = p.OptionalString(kCustomer, "customer: must be a string");
  if (p.Has(kAttrs)) p.Attrs();
}

void ContactAnswered(const Fields& p, Event& e) {
  e.contact = p.Contact();
  e.agent = p.Agent();
}

void ContactOnly(const Fields& p, Event& e) { e.contact = p.Contact(); }

void ContactAbandoned(const Fields& p, Event& e) {
  e.contact = p.Contact();
  if (!p.Has(kReason)) return;
  const auto reason = AbandonReasonFromName(p.String(kReason, "reason: must be a string"));
  if (!reason)
    throw Reject{RejectReason::kSchema, "reason: not one of customer, timeout, no_agents, key"};
  e.abandon_reason = *reason;
}

void ContactWrapped(const Fields& p, Event& e) {
  e.contact = p.Contact();
  // Not in the protocol's table; an optional addition (docs/protocol.md): names the agent
  // whose after-contact work this is, for contacts with several agent segments.
  e.agent = p.OptionalString(kAgent, "agent: must be a string");
}

void ContactTransferred(const Fields& p, Event& e) {
  e.contact = p.Contact();
  e.queue = p.Queue();
}

void ContactEscalated(const Fields& p, Event& e) {
  e.contact = p.Contact();
  if (p.Has(kTier)) e.tier = p.Int(kTier, 2, INT32_MAX, "tier: must be an integer >= 2");
  e.reason = p.OptionalString(kReason, "reason: must be a string");
  e.team = p.OptionalString(kTeam, "team: must be a string");
}

void ContactMessage(const Fields& p, Event& e) {
  e.contact = p.Contact();
  if (!p.Has(kFrom)) throw Reject{RejectReason::kSchema, "missing field from"};
  const std::string_view from = p.String(kFrom, "from: must be customer or agent");
  if (from == "customer") {
    e.from = MessageFrom::kCustomer;
  } else if (from == "agent") {
    e.from = MessageFrom::kAgent;
  } else {
    throw Reject{RejectReason::kSchema, "from: must be customer or agent"};
  }
}

// What surveys and evaluations are attributed to: a contact, or a queue (+ channel).
void Attribution(const Fields& p, Event& e, const char* needs) {
  if (!p.Has(kQueue) && !p.Has(kContact)) throw Reject{RejectReason::kSchema, needs};
  if (p.Has(kQueue)) e.queue = p.Queue();
  if (p.Has(kContact)) e.contact = p.Contact();
  e.channel = p.ChannelField();
  e.agent = p.OptionalString(kAgent, "agent: must be a string");
}

void ContactSurvey(const Fields& p, Event& e) {
  Attribution(p, e, "survey needs queue or contact");
  e.csat = p.OptionalInt(kCsat, 1, 5, "csat: must be an integer 1..5");
  e.nps = p.OptionalInt(kNps, 0, 10, "nps: must be an integer 0..10");
  e.resolved = p.OptionalBool(kResolved, "resolved: must be true or false");
}

void ContactEvaluated(const Fields& p, Event& e) {
  Attribution(p, e, "evaluation needs queue or contact");
  if (!p.Has(kScore)) throw Reject{RejectReason::kSchema, "missing field score"};
  if (p.fields[kScore].get_double().get(e.score) || !(e.score >= 0 && e.score <= 100))
    throw Reject{RejectReason::kSchema, "score: must be a number 0..100"};
  e.form = p.OptionalString(kForm, "form: must be a string");
  e.passed = p.OptionalBool(kPassed, "passed: must be true or false");
}

void AgentLogin(const Fields& p, Event& e) {
  e.agent = p.Agent();
  if (p.Has(kQueues)) p.QueueList(e);
  e.team = p.OptionalString(kTeam, "team: must be a string");
  e.site = p.OptionalString(kSite, "site: must be a string");
  if (p.Has(kCapacity)) p.Capacity(e);
}

void AgentOnly(const Fields& p, Event& e) { e.agent = p.Agent(); }

void AgentStateChange(const Fields& p, Event& e) {
  e.agent = p.Agent();
  if (!p.Has(kState)) throw Reject{RejectReason::kSchema, "missing field state"};
  auto st = AgentStateFromName(p.String(kState, "state: must be a string"));
  if (!st)
    throw Reject{RejectReason::kSchema, "state: not one of available, on_contact, acw, not_ready"};
  e.state = *st;
  e.reason = p.OptionalString(kReason, "reason: must be a string");
}

void AgentQueues(const Fields& p, Event& e) {
  e.agent = p.Agent();
  p.QueueList(e);
}

// Indexed by EventType.
using TypeParser = void (*)(const Fields&, Event&);
constexpr TypeParser kTypeParsers[kEventTypeCount] = {
    ContactQueued,  ContactAnswered,  ContactAbandoned, ContactTransferred, ContactOnly,
    ContactWrapped, ContactEscalated, ContactMessage,   ContactSurvey,      AgentLogin,
    AgentOnly,      AgentStateChange, AgentQueues,      ContactEvaluated,
};
constexpr bool EveryTypeHasAParser() {
  for (TypeParser parse : kTypeParsers) {
    if (parse == nullptr) return false;
  }
  return true;
}
static_assert(EveryTypeHasAParser(), "a new EventType needs its entry in kTypeParsers");

}  // namespace

void ParseTypeFields(const EventParser::Impl& fields, Event& e) {
  kTypeParsers[static_cast<int>(e.type)](fields, e);
}

}  // namespace floorwatch::parser_internal
