// Parses one payload (a UTF-8 JSON object, docs/protocol.md) into a typed Event.
//
// Pure: no I/O. Strict: the whole document is validated (simdjson's DOM parser checks
// structure and UTF-8 of every byte), required fields and value ranges are checked per type,
// unknown fields are ignored. No allocation per event once warmed up: the parser, its
// padded copy buffer and the Event (with its queues vector) are reused, and the Event's
// string_views point into this parser's buffers until the next Parse call.
// Not thread-safe: one parser per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "floorwatch/core/event.h"
#include "floorwatch/core/reject_reason.h"

namespace floorwatch {

struct ParseOutcome {
  bool ok = false;
  RejectReason reason = RejectReason::kParse;
  // Why, for the rate-limited log ("missing field contact", "ts: not an RFC 3339 time").
  std::string_view detail;
};

class EventParser {
 public:
  EventParser();
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // On success, event() holds the event. On failure, event().source/has_seq/seq are still
  // set when the payload was an object carrying them, so sequence tracking can go on.
  ParseOutcome Parse(std::string_view payload);
  const Event& event() const { return event_; }
  // The payload of the latest Parse call (this parser's own copy), valid until the next call.
  std::string_view payload() const;

  struct Impl;  // the JSON fields of the payload being parsed, and the checks on them

 private:
  // Copies the payload, parses the JSON and collects the known fields.
  bool Load(std::string_view payload, ParseOutcome* failure);
  std::unique_ptr<Impl> impl_;
  Event event_;
};

}  // namespace floorwatch
