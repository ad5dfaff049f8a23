// Twilio TaskRouter event callbacks (ADAPTERS.md "twilio"; docs/bridge.md): the
// application/x-www-form-urlencoded body TaskRouter POSTs to the workspace's Event Callback
// URL, decoded into its parameters, and the parameters the mapping reads, as
// https://www.twilio.com/docs/taskrouter/api/event/reference lists them: EventType,
// Timestamp (epoch seconds; TimestampMs when present), the Task's TaskSid, TaskQueueName,
// TaskChannelUniqueName, the Worker's WorkerName, WorkerActivityName.
//
// The form decoding is written here (percent-escapes and '+' as a space, per the WHATWG URL
// standard's application/x-www-form-urlencoded parser) because no Debian library at hand
// does it and the core may not use Boost; tests/fuzz/fuzz_twilio_form.cpp feeds it any bytes.
// Pure, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "floorwatch/core/event.h"

namespace floorwatch::bridge {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// Decodes `body` into (name, value) pairs in their order. False if a percent-escape is
// malformed (a '%' not followed by two hex digits): the body is not a form.
bool DecodeForm(std::string_view body, FormParams* out);

// The value of the first parameter `name`, or empty.
std::string_view FormValue(const FormParams& params, std::string_view name);

struct TwilioEvent {
  std::string event_type;  // task-queue.entered, reservation.accepted, ...
  int64_t ts_ms = 0;       // TimestampMs, else Timestamp x 1000 (or an RFC 3339 Timestamp)
  std::string task;        // TaskSid
  std::string queue;       // TaskQueueName
  Channel channel = Channel::kVoice;  // from TaskChannelUniqueName
  std::string worker;                 // WorkerName
  std::string activity;               // WorkerActivityName
};

enum class TwilioParse : uint8_t { kOk, kNoEventType, kBadTimestamp };

// The callback's fields; kOk even when a field an event type needs is absent (the mapper
// refuses those as missing_field).
TwilioParse ParseTwilioEvent(const FormParams& params, TwilioEvent* out);

// TaskChannelUniqueName -> channel: voice, chat (also sms and messaging channels: whatsapp,
// messenger), email, video; default and any other -> voice.
Channel TwilioChannel(std::string_view unique_name);

}  // namespace floorwatch::bridge
