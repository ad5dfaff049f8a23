#include "floorwatch/bridge/core/connect_record.h"

#include <simdjson.h>

#include <algorithm>

#include "floorwatch/core/timestamp.h"

namespace floorwatch::bridge {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kContactDetailType = "Amazon Connect Contact Event";

// obj[key], or obj[key with its first letter's case swapped] (AWS's samples use both).
bool Get(const object& obj, std::string_view key, element* out) {
  if (!obj.at_key(key).get(*out)) return true;
  if (key.empty()) return false;
  std::string other(key);
  const char c = other[0];
  other[0] = c >= 'a' && c <= 'z' ? char(c - 32) : c >= 'A' && c <= 'Z' ? char(c + 32) : c;
  return !obj.at_key(other).get(*out);
}

std::string_view Text(const object& obj, std::string_view key) {
  element e;
  std::string_view s;
  if (!Get(obj, key, &e) || e.get_string().get(s)) return {};
  return s;
}

bool Object(const object& obj, std::string_view key, object* out) {
  element e;
  return Get(obj, key, &e) && !e.get_object().get(*out);
}

int64_t Time(const object& obj, std::string_view key) {
  const std::optional<int64_t> ms = ParseRfc3339Ms(Text(obj, key));
  return ms ? *ms : 0;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

Channel ChannelOf(std::string_view name) {
  if (EqualsIgnoringCase(name, "CHAT")) return Channel::kChat;
  if (EqualsIgnoringCase(name, "TASK") || EqualsIgnoringCase(name, "EMAIL")) {
    return Channel::kEmail;
  }
  return Channel::kVoice;  // VOICE, and a channel AWS adds later
}

void Invalid(ConnectRecord& r, std::string_view type, std::string error) {
  r.kind = ConnectKind::kInvalid;
  r.kind_name.assign(type);
  r.error = std::move(error);
}

void ParseContact(const object& envelope, ConnectRecord& r) {
  object detail;
  if (!Object(envelope, "detail", &detail)) return Invalid(r, "", "no detail object");
  ConnectContact& c = r.contact;
  c.event_type.assign(Text(detail, "eventType"));
  if (c.event_type.empty()) return Invalid(r, "", "missing detail.eventType");
  c.contact_id.assign(Text(detail, "contactId"));
  c.previous_contact_id.assign(Text(detail, "previousContactId"));
  c.initiation_method.assign(Text(detail, "initiationMethod"));
  c.channel = ChannelOf(Text(detail, "channel"));
  object info;
  if (Object(detail, "queueInfo", &info)) {
    c.queue.assign(ArnTail(Text(info, "queueArn")));
    c.enqueue_ms = Time(info, "enqueueTimestamp");
  }
  if (Object(detail, "agentInfo", &info)) {
    c.agent.assign(ArnTail(Text(info, "agentArn")));
    c.connected_ms = Time(info, "connectedToAgentTimestamp");
  }
  c.disconnect_ms = Time(detail, "disconnectTimestamp");
  c.time_ms = Time(envelope, "time");
  int64_t own = 0;
  if (c.event_type == "QUEUED") own = c.enqueue_ms;
  if (c.event_type == "CONNECTED_TO_AGENT") own = c.connected_ms;
  if (c.event_type == "DISCONNECTED") own = c.disconnect_ms;
  c.ts_ms = own != 0 ? own : c.time_ms;
  if (c.contact_id.empty()) return Invalid(r, c.event_type, "missing detail.contactId");
  if (c.ts_ms == 0) return Invalid(r, c.event_type, "no valid timestamp");
  r.kind = ConnectKind::kContact;
}

// The agent's state as ADAPTERS.md derives it from a snapshot.
void SnapshotState(const object& snapshot, ConnectAgent& a) {
  bool on_contact = false, ended = false;
  element contacts;
  simdjson::dom::array list;
  if (Get(snapshot, "Contacts", &contacts) && !contacts.get_array().get(list)) {
    for (element e : list) {
      object contact;
      if (e.get_object().get(contact)) continue;
      const std::string_view state = Text(contact, "State");
      on_contact |= state == "CONNECTING" || state == "CONNECTED" || state == "CONNECTED_ONHOLD";
      ended |= state == "ENDED";
    }
  }
  object status;
  const std::string_view name =
      Object(snapshot, "AgentStatus", &status) ? Text(status, "Name") : std::string_view();
  a.reason.clear();
  if (on_contact) {
    a.state = AgentState::kOnContact;
  } else if (ended) {
    a.state = AgentState::kAcw;
  } else if (name == "Available") {
    a.state = AgentState::kAvailable;
  } else {
    a.state = AgentState::kNotReady;
    a.reason.assign(name);
  }
}

void SnapshotQueues(const object& snapshot, ConnectAgent& a) {
  object configuration, profile;
  element queues;
  simdjson::dom::array list;
  if (!Object(snapshot, "Configuration", &configuration) ||
      !Object(configuration, "RoutingProfile", &profile) ||
      !Get(profile, "InboundQueues", &queues) || queues.get_array().get(list)) {
    return;
  }
  for (element e : list) {
    object queue;
    if (e.get_object().get(queue)) continue;
    const std::string_view arn = Text(queue, "ARN");
    if (arn.empty() || arn.find("/queue/agent/") != std::string_view::npos) continue;
    a.queues.emplace_back(ArnTail(arn));
  }
  std::sort(a.queues.begin(), a.queues.end());
  a.queues.erase(std::unique(a.queues.begin(), a.queues.end()), a.queues.end());
}

void ParseAgent(const object& obj, std::string_view type, ConnectRecord& r) {
  ConnectAgent& a = r.agent;
  a.event_type.assign(type);
  a.agent.assign(ArnTail(Text(obj, "AgentARN")));
  a.ts_ms = Time(obj, "EventTimestamp");
  object snapshot;
  a.has_snapshot = Object(obj, "CurrentAgentSnapshot", &snapshot);
  if (a.has_snapshot) {
    SnapshotQueues(snapshot, a);
    SnapshotState(snapshot, a);
  }
  if (a.agent.empty()) return Invalid(r, type, "missing AgentARN");
  if (a.ts_ms == 0) return Invalid(r, type, "missing or bad EventTimestamp");
  r.kind = ConnectKind::kAgent;
}

void ToRecord(element doc, ConnectRecord& r) {
  r = ConnectRecord{};
  r.json = simdjson::minify(doc);
  object obj;
  if (doc.get_object().get(obj)) {
    r.kind_name = "not_an_object";
    return;
  }
  element e;
  std::string_view type;
  if (!obj.at_key("detail-type").get(e)) {
    if (e.get_string().get(type)) type = {};
    if (type == kContactDetailType) return ParseContact(obj, r);
    r.kind_name.assign(type);
    return;
  }
  type = Text(obj, "EventType");
  if (type == "LOGIN" || type == "LOGOUT" || type == "STATE_CHANGE" || type == "HEART_BEAT") {
    return ParseAgent(obj, type, r);
  }
  r.kind_name.assign(type);  // empty: neither an EventBridge envelope nor an agent record
}

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

std::string_view ArnTail(std::string_view arn) {
  const size_t slash = arn.rfind('/');
  return slash == std::string_view::npos ? arn : arn.substr(slash + 1);
}

ConnectParser::ConnectParser() : json_(std::make_unique<simdjson::dom::parser>()) {}
ConnectParser::~ConnectParser() = default;

bool ConnectParser::ParseOne(std::string_view json, ConnectRecord& out, std::string* error) {
  element doc;
  if (const auto code = json_->parse(json.data(), json.size(), true).get(doc)) {
    *error = std::string("not JSON: ") + simdjson::error_message(code);
    return false;
  }
  ToRecord(doc, out);
  return true;
}

bool ConnectParser::ParseBody(std::string_view body, std::vector<ConnectRecord>& out,
                              std::string* error) {
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return *error = "an empty body", false;
  element doc;
  if (!json_->parse(body.data(), body.size(), true).get(doc)) {
    simdjson::dom::array list;
    if (body[first] == '[' && !doc.get_array().get(list)) {
      for (element e : list) ToRecord(e, out.emplace_back());
      return true;
    }
    if (body[first] == '{') return ToRecord(doc, out.emplace_back()), true;
    return *error = "neither a JSON object, an array of them, nor JSON lines", false;
  }
  // JSON lines: every line that is not blank must be one JSON object.
  const size_t before = out.size();
  size_t number = 0;
  while (!body.empty()) {
    const size_t nl = body.find('\n');
    const std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    ++number;
    if (Blank(line)) continue;
    if (!ParseOne(line, out.emplace_back(), error) || line[line.find_first_not_of(" \t")] != '{') {
      out.resize(before);
      *error = "line " + std::to_string(number) + " is not a JSON object";
      return false;
    }
  }
  return true;
}

}  // namespace floorwatch::bridge
