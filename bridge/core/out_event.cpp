#include "floorwatch/bridge/core/out_event.h"

#include <charconv>

#include "floorwatch/core/exposition.h"

namespace floorwatch::bridge {
namespace {

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates,
// nothing past U+10FFFF), or 0 if the byte there does not start one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return n;
}

void Field(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":";
  AppendJsonText(out, value);
}

void Queues(std::string& out, const std::vector<std::string>& queues) {
  out += ",\"queues\":[";
  for (size_t i = 0; i < queues.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonText(out, queues[i]);
  }
  out += ']';
}

void Integer(std::string& out, std::string_view key, uint64_t value, bool negative = false) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  out += ",\"";
  out += key;
  out += "\":";
  if (negative) out += '-';
  out.append(buf, r.ptr);
}

void ContactFields(const OutEvent& e, std::string& out) {
  Field(out, "contact", e.contact);
  switch (e.type) {
    case EventType::kContactQueued:
      Field(out, "queue", e.queue);
      Field(out, "channel", ChannelName(e.channel));
      if (!e.customer.empty()) Field(out, "customer", e.customer);
      break;
    case EventType::kContactTransferred:
      Field(out, "queue", e.queue);
      break;
    case EventType::kContactAnswered:
      Field(out, "agent", e.agent);
      break;
    case EventType::kContactWrapped:
      if (!e.agent.empty()) Field(out, "agent", e.agent);
      break;
    case EventType::kContactAbandoned:
      if (!e.reason.empty()) Field(out, "reason", e.reason);
      break;
    default:
      break;
  }
}

void AgentFields(const OutEvent& e, std::string& out) {
  Field(out, "agent", e.agent);
  if (e.type == EventType::kAgentState) {
    Field(out, "state", AgentStateName(e.state));
    if (e.state == AgentState::kNotReady && !e.reason.empty()) Field(out, "reason", e.reason);
  } else if (e.type == EventType::kAgentQueues ||
             (e.type == EventType::kAgentLogin && e.has_queues)) {
    Queues(out, e.queues);
  }
}

bool IsAgentEvent(EventType t) {
  return t == EventType::kAgentLogin || t == EventType::kAgentLogout ||
         t == EventType::kAgentState || t == EventType::kAgentQueues;
}

}  // namespace

void AppendJsonText(std::string& out, std::string_view text) {
  size_t i = 0;
  while (i < text.size() && Utf8SequenceLength(text, i) != 0) i += Utf8SequenceLength(text, i);
  if (i == text.size()) return AppendJsonString(out, text);  // the usual case: well-formed
  std::string clean;
  clean.reserve(text.size() + 8);
  for (i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      clean.append(text.substr(i, n));
      i += n;
    }
  }
  AppendJsonString(out, clean);
}

void WriteEventJson(const OutEvent& e, std::string_view source, uint64_t seq, std::string& out) {
  out += "{\"type\":\"";
  out += EventTypeName(e.type);
  out += '"';
  Integer(out, "ts", e.ts_ms < 0 ? 0 - static_cast<uint64_t>(e.ts_ms) : e.ts_ms, e.ts_ms < 0);
  if (IsAgentEvent(e.type)) {
    AgentFields(e, out);
  } else {
    ContactFields(e, out);
  }
  Field(out, "source", source);
  Integer(out, "seq", seq);
  out += '}';
}

void AppendTopic(const OutEvent& e, std::string& out) {
  if (IsAgentEvent(e.type)) {
    out += "agent.";
    out += e.agent;
  } else {
    out += "contact.";
    out += e.queue;
  }
}

}  // namespace floorwatch::bridge
