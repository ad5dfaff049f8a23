#include "floorwatch/core/event_parser.h"

#include <simdjson.h>

#include <cstring>
#include <optional>
#include <vector>

#include "floorwatch/core/timestamp.h"

namespace floorwatch {
namespace {

using simdjson::dom::element;

enum Field : uint8_t {
  kType,
  kTs,
  kId,
  kSource,
  kSeq,
  kContact,
  kQueue,
  kAgent,
  kChannel,
  kPriority,
  kCustomer,
  kAttrs,
  kTier,
  kReason,
  kTeam,
  kFrom,
  kCsat,
  kNps,
  kResolved,
  kQueues,
  kCapacity,
  kSite,
  kState,
  kFieldCount,
  kUnknownField = kFieldCount
};

Field FieldOf(std::string_view k) {
  switch (k.size()) {
    case 2:
      if (k == "ts") return kTs;
      if (k == "id") return kId;
      break;
    case 3:
      if (k == "seq") return kSeq;
      if (k == "nps") return kNps;
      break;
    case 4:
      if (k == "type") return kType;
      if (k == "tier") return kTier;
      if (k == "team") return kTeam;
      if (k == "from") return kFrom;
      if (k == "csat") return kCsat;
      if (k == "site") return kSite;
      break;
    case 5:
      if (k == "queue") return kQueue;
      if (k == "agent") return kAgent;
      if (k == "attrs") return kAttrs;
      if (k == "state") return kState;
      break;
    case 6:
      if (k == "source") return kSource;
      if (k == "reason") return kReason;
      if (k == "queues") return kQueues;
      break;
    case 7:
      if (k == "contact") return kContact;
      if (k == "channel") return kChannel;
      break;
    case 8:
      if (k == "priority") return kPriority;
      if (k == "customer") return kCustomer;
      if (k == "resolved") return kResolved;
      if (k == "capacity") return kCapacity;
      break;
  }
  return kUnknownField;
}

// Thrown inside Impl only, never out of Parse: carries the reason and a static message.
struct Reject {
  RejectReason reason;
  const char* detail;
};

}  // namespace

struct EventParser::Impl {
  simdjson::dom::parser json;
  std::vector<char> padded;  // payload copy with simdjson's required zero padding
  size_t size = 0;           // of the payload within `padded`
  std::array<element, kFieldCount> fields;
  std::array<bool, kFieldCount> present{};

  // The shared field checks: every type's parser is built from these.
  bool Has(Field f) const { return present[f]; }
  std::string_view String(Field f, const char* detail) const {
    std::string_view s;
    if (fields[f].get_string().get(s)) throw Reject{RejectReason::kSchema, detail};
    return s;
  }
  std::string_view Id(Field f, const char* missing, const char* bad) const {
    if (!Has(f)) throw Reject{RejectReason::kSchema, missing};
    std::string_view s = String(f, bad);
    if (s.empty()) throw Reject{RejectReason::kSchema, bad};
    return s;
  }
  std::string_view OptionalString(Field f, const char* bad) const {
    return Has(f) ? String(f, bad) : std::string_view();
  }
  int64_t Int(Field f, int64_t lo, int64_t hi, const char* bad) const {
    int64_t v;
    if (fields[f].get_int64().get(v) || v < lo || v > hi) throw Reject{RejectReason::kSchema, bad};
    return v;
  }
  std::optional<int> OptionalInt(Field f, int lo, int hi, const char* bad) const {
    if (!Has(f)) return std::nullopt;
    return static_cast<int>(Int(f, lo, hi, bad));
  }
  std::optional<bool> OptionalBool(Field f, const char* bad) const {
    bool b;
    if (!Has(f)) return std::nullopt;
    if (fields[f].get_bool().get(b)) throw Reject{RejectReason::kSchema, bad};
    return b;
  }
  std::string_view Contact() const {
    return Id(kContact, "missing field contact", "contact: must be a non-empty string");
  }
  std::string_view Queue() const {
    return Id(kQueue, "missing field queue", "queue: must be a non-empty string");
  }
  std::string_view Agent() const {
    return Id(kAgent, "missing field agent", "agent: must be a non-empty string");
  }
  void QueueList(Event& e) const;
  void Capacity(Event& e) const;
  void Attrs() const;
  Channel ChannelField() const;
  void Common(Event& e) const;
};

void EventParser::Impl::QueueList(Event& e) const {
  if (!Has(kQueues)) throw Reject{RejectReason::kSchema, "missing field queues"};
  simdjson::dom::array list;
  if (fields[kQueues].get_array().get(list))
    throw Reject{RejectReason::kSchema, "queues: must be a list"};
  for (element item : list) {
    std::string_view q;
    if (item.get_string().get(q) || q.empty())
      throw Reject{RejectReason::kSchema, "queues: must hold non-empty strings"};
    e.queues.push_back(q);
  }
  e.has_queues = true;
}

void EventParser::Impl::Capacity(Event& e) const {
  simdjson::dom::object cap;
  if (fields[kCapacity].get_object().get(cap))
    throw Reject{RejectReason::kSchema, "capacity: must be an object"};
  for (auto kv : cap) {
    auto ch = ChannelFromName(kv.key);
    int64_t slots;
    if (!ch) throw Reject{RejectReason::kSchema, "capacity: unknown channel"};
    if (kv.value.get_int64().get(slots) || slots < 0 || slots > 1000) {
      throw Reject{RejectReason::kSchema, "capacity: slots must be an integer 0..1000"};
    }
    e.capacity[static_cast<int>(*ch)] = static_cast<int32_t>(slots);
  }
}

void EventParser::Impl::Attrs() const {
  simdjson::dom::object attrs;
  if (fields[kAttrs].get_object().get(attrs))
    throw Reject{RejectReason::kSchema, "attrs: must be an object"};
  for (auto kv : attrs) {
    if (!kv.value.is_string()) throw Reject{RejectReason::kSchema, "attrs: values must be strings"};
  }
}

Channel EventParser::Impl::ChannelField() const {
  if (!Has(kChannel)) return Channel::kVoice;
  auto ch = ChannelFromName(String(kChannel, "channel: must be a string"));
  if (!ch)
    throw Reject{RejectReason::kSchema,
                 "channel: not one of voice, chat, email, social, callback, video"};
  return *ch;
}

// The fields every event has (docs/protocol.md). Source and seq first, so that even a rejected
// event keeps gap counting right.
void EventParser::Impl::Common(Event& e) const {
  e.source = OptionalString(kSource, "source: must be a string");
  if (Has(kSeq)) {
    if (fields[kSeq].get_uint64().get(e.seq)) {
      throw Reject{RejectReason::kSchema, "seq: must be an unsigned integer"};
    }
    e.has_seq = true;
  }
  if (!Has(kType)) throw Reject{RejectReason::kSchema, "missing field type"};
  const auto type = EventTypeFromName(String(kType, "type: must be a string"));
  if (!type) throw Reject{RejectReason::kUnknownType, "unknown event type"};
  e.type = *type;
  if (!Has(kTs)) throw Reject{RejectReason::kSchema, "missing field ts"};
  if (fields[kTs].is_string()) {
    auto ts = ParseRfc3339Ms(String(kTs, "ts"));
    if (!ts) throw Reject{RejectReason::kSchema, "ts: not an RFC 3339 time"};
    e.ts_ms = *ts;
  } else {
    e.ts_ms = Int(kTs, 0, INT64_MAX / 4, "ts: must be ms since the epoch or RFC 3339");
  }
  e.id = OptionalString(kId, "id: must be a string");
}

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

void ContactSurvey(const Fields& p, Event& e) {
  if (!p.Has(kQueue) && !p.Has(kContact))
    throw Reject{RejectReason::kSchema, "survey needs queue or contact"};
  if (p.Has(kQueue)) e.queue = p.Queue();
  if (p.Has(kContact)) e.contact = p.Contact();
  e.agent = p.OptionalString(kAgent, "agent: must be a string");
  e.csat = p.OptionalInt(kCsat, 1, 5, "csat: must be an integer 1..5");
  e.nps = p.OptionalInt(kNps, 0, 10, "nps: must be an integer 0..10");
  e.resolved = p.OptionalBool(kResolved, "resolved: must be true or false");
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
    ContactQueued,  ContactAnswered,  ContactOnly,    ContactTransferred, ContactOnly,
    ContactWrapped, ContactEscalated, ContactMessage, ContactSurvey,      AgentLogin,
    AgentOnly,      AgentStateChange, AgentQueues,
};
constexpr bool EveryTypeHasAParser() {
  for (TypeParser parse : kTypeParsers) {
    if (parse == nullptr) return false;
  }
  return true;
}
static_assert(EveryTypeHasAParser(), "a new EventType needs its entry in kTypeParsers");

}  // namespace

EventParser::EventParser() : impl_(std::make_unique<Impl>()) {
  if (impl_->json.allocate(65536)) throw std::bad_alloc();
  event_.queues.reserve(64);
}
EventParser::~EventParser() = default;

std::string_view EventParser::payload() const { return {impl_->padded.data(), impl_->size}; }

bool EventParser::Load(std::string_view payload, ParseOutcome* failure) {
  Impl& p = *impl_;
  if (p.padded.size() < payload.size() + simdjson::SIMDJSON_PADDING) {
    p.padded.resize(payload.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(p.padded.data(), payload.data(), payload.size());
  p.size = payload.size();
  std::memset(p.padded.data() + payload.size(), 0, simdjson::SIMDJSON_PADDING);
  element doc;
  if (p.json.parse(p.padded.data(), payload.size(), false).get(doc)) {
    *failure = {false, RejectReason::kParse, "not valid JSON"};
    return false;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) {
    *failure = {false, RejectReason::kSchema, "not a JSON object"};
    return false;
  }
  p.present.fill(false);
  for (auto field : obj) {
    const Field f = FieldOf(field.key);
    if (f == kUnknownField) continue;  // forward compatibility
    p.fields[f] = field.value;
    p.present[f] = true;
  }
  return true;
}

ParseOutcome EventParser::Parse(std::string_view payload) {
  Event& e = event_;
  e = Event{.queues = std::move(e.queues)};
  e.queues.clear();
  e.capacity.fill(-1);
  ParseOutcome failure;
  if (!Load(payload, &failure)) return failure;
  try {
    impl_->Common(e);
    kTypeParsers[static_cast<int>(e.type)](*impl_, e);
  } catch (const Reject& r) {
    return {false, r.reason, r.detail};
  }
  return {true, RejectReason::kParse, {}};
}

}  // namespace floorwatch
