#include "floorwatch/core/event_parser.h"

#include <cstring>

#include "core/event_fields.h"
#include "floorwatch/core/timestamp.h"

namespace floorwatch {

using namespace parser_internal;

Field parser_internal::FieldOf(std::string_view k) {
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
      if (k == "form") return kForm;
      break;
    case 5:
      if (k == "queue") return kQueue;
      if (k == "agent") return kAgent;
      if (k == "attrs") return kAttrs;
      if (k == "state") return kState;
      if (k == "score") return kScore;
      break;
    case 6:
      if (k == "source") return kSource;
      if (k == "reason") return kReason;
      if (k == "queues") return kQueues;
      if (k == "passed") return kPassed;
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
  e.has_capacity = true;
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
    ParseTypeFields(*impl_, e);
  } catch (const Reject& r) {
    return {false, r.reason, r.detail};
  }
  return {true, RejectReason::kParse, {}};
}

}  // namespace floorwatch