// Private to the core: the JSON fields of a payload being parsed and the checks shared by
// every event type (EventParser::Impl), and the table of one parse function per type.
#pragma once

#include <simdjson.h>

#include <array>
#include <optional>
#include <string_view>

#include "floorwatch/core/event_parser.h"

namespace floorwatch {
namespace parser_internal {

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
  kScore,
  kForm,
  kPassed,
  kFieldCount,
  kUnknownField = kFieldCount
};

// The field a JSON key names (kUnknownField for the rest: ignored, forward compatibility).
Field FieldOf(std::string_view key);

// Thrown inside the parser only, never out of Parse: carries the reason and a static message.
struct Reject {
  RejectReason reason;
  const char* detail;
};

}  // namespace parser_internal

struct EventParser::Impl {
  using Field = parser_internal::Field;
  using enum parser_internal::Field;
  using Reject = parser_internal::Reject;
  using element = parser_internal::element;
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

namespace parser_internal {

// Fills the fields of `e` its type has (e.type is set); throws Reject when one is wrong.
void ParseTypeFields(const EventParser::Impl& fields, Event& e);

}  // namespace parser_internal
}  // namespace floorwatch
