#include "floorwatch/bridge/core/twilio_record.h"

#include <charconv>

#include "floorwatch/core/timestamp.h"

namespace floorwatch::bridge {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Unescape(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c != '%') {
      out->push_back(c);
    } else {
      const int hi = i + 1 < in.size() ? HexDigit(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? HexDigit(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  return true;
}

bool WholeNumber(std::string_view s, int64_t* out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && *out >= 0;
}

}  // namespace

bool DecodeForm(std::string_view body, FormParams* out) {
  out->clear();
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body.remove_prefix(amp == std::string_view::npos ? body.size() : amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    const size_t eq = pair.find('=');
    auto& [name, value] = out->emplace_back();
    if (!Unescape(pair.substr(0, eq), &name)) return false;
    if (eq != std::string_view::npos && !Unescape(pair.substr(eq + 1), &value)) return false;
  }
  return true;
}

std::string_view FormValue(const FormParams& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return v;
  }
  return {};
}

Channel TwilioChannel(std::string_view name) {
  if (name == "chat" || name == "sms" || name == "whatsapp" || name == "messenger") {
    return Channel::kChat;
  }
  if (name == "email") return Channel::kEmail;
  if (name == "video") return Channel::kVideo;
  return Channel::kVoice;
}

TwilioParse ParseTwilioEvent(const FormParams& params, TwilioEvent* out) {
  TwilioEvent e;
  e.event_type.assign(FormValue(params, "EventType"));
  if (e.event_type.empty()) return TwilioParse::kNoEventType;
  int64_t n = 0;
  const std::string_view ms = FormValue(params, "TimestampMs");
  const std::string_view seconds = FormValue(params, "Timestamp");
  if (!ms.empty() && WholeNumber(ms, &n)) {
    e.ts_ms = n;
  } else if (WholeNumber(seconds, &n) && n < (int64_t{1} << 40)) {
    e.ts_ms = n * 1000;
  } else if (const auto t = ParseRfc3339Ms(seconds)) {
    e.ts_ms = *t;
  } else {
    return TwilioParse::kBadTimestamp;
  }
  // Past year 9999 it is no time Twilio sends, and the daemon refuses such a ts (schema).
  constexpr int64_t kLastMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
  if (e.ts_ms > kLastMs) return TwilioParse::kBadTimestamp;
  e.task.assign(FormValue(params, "TaskSid"));
  e.queue.assign(FormValue(params, "TaskQueueName"));
  e.channel = TwilioChannel(FormValue(params, "TaskChannelUniqueName"));
  e.worker.assign(FormValue(params, "WorkerName"));
  e.activity.assign(FormValue(params, "WorkerActivityName"));
  *out = std::move(e);
  return TwilioParse::kOk;
}

}  // namespace floorwatch::bridge
