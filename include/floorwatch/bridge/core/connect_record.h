// Amazon Connect input records, parsed from JSON (ADAPTERS.md "connect"; docs/bridge.md):
//   - contact events as EventBridge delivers them: the envelope (`detail-type` "Amazon
//     Connect Contact Event", `time`) with the contact in `detail` (eventType, contactId,
//     previousContactId, initiationMethod, channel, queueInfo {queueArn, enqueueTimestamp},
//     agentInfo {agentArn, connectedToAgentTimestamp}, disconnectTimestamp), as
//     https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html documents;
//   - agent event stream records (EventType, AgentARN, EventTimestamp, CurrentAgentSnapshot),
//     as https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html
//     documents.
// AWS's own samples spell some keys both ways ("agentInfo"/"AgentInfo", "agentArn"/
// "AgentArn"), so a key is looked up as written and with its first letter's case swapped.
//
// ConnectParser tells a body's shape by its text, whatever its Content-Type: a JSON array of
// records, one JSON object, or JSON lines. A body that is none of these is refused whole
// (nothing of it is taken); in an accepted body every element becomes a ConnectRecord, maybe
// one of an unknown or invalid kind, which the adapter skips and counts. Each record keeps
// its JSON text (minified), which is what the journal stores to redo it.
//
// Pure (simdjson, no I/O). One parser per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/core/event.h"

namespace simdjson::dom {
class parser;
}

namespace floorwatch::bridge {

enum class ConnectKind : uint8_t {
  kContact,  // an "Amazon Connect Contact Event"
  kAgent,    // an agent event stream record of a known EventType
  kUnknown,  // another detail-type or EventType (`kind` names it), or neither
  kInvalid,  // a known kind without a field it needs (`error` says which)
};

struct ConnectContact {
  std::string event_type;  // QUEUED, CONNECTED_TO_AGENT, DISCONNECTED, INITIATED, ...
  std::string contact_id;
  std::string previous_contact_id;
  std::string initiation_method;      // INBOUND, TRANSFER, QUEUE_TRANSFER, ...
  Channel channel = Channel::kVoice;  // VOICE, CHAT, TASK, EMAIL (any case)
  std::string queue;                  // last path element of queueInfo.queueArn, if any
  int64_t enqueue_ms = 0;             // queueInfo.enqueueTimestamp (0: absent)
  std::string agent;                  // last path element of agentInfo.agentArn, if any
  int64_t connected_ms = 0;           // agentInfo.connectedToAgentTimestamp (0: absent)
  int64_t disconnect_ms = 0;          // disconnectTimestamp (0: absent)
  int64_t time_ms = 0;                // the envelope's `time`
  // The event's own time: QUEUED enqueueTimestamp, CONNECTED_TO_AGENT connectedToAgent-
  // Timestamp, DISCONNECTED disconnectTimestamp, else (or when absent) the envelope's time.
  int64_t ts_ms = 0;
};

struct ConnectAgent {
  std::string event_type;     // LOGIN, LOGOUT, STATE_CHANGE, HEART_BEAT
  std::string agent;          // last path element of AgentARN
  int64_t ts_ms = 0;          // EventTimestamp
  bool has_snapshot = false;  // CurrentAgentSnapshot present (LOGOUT may have none)
  // The routing profile's inbound queues (last path elements, sorted, each once), without
  // the agent's own queue (an ARN with /queue/agent/).
  std::vector<std::string> queues;
  // From the snapshot: a contact CONNECTING, CONNECTED or CONNECTED_ONHOLD -> on_contact;
  // else one ENDED -> acw; else AgentStatus.Name "Available" -> available; else not_ready
  // with reason = AgentStatus.Name.
  AgentState state = AgentState::kNotReady;
  std::string reason;
};

struct ConnectRecord {
  ConnectKind kind = ConnectKind::kUnknown;
  std::string kind_name;  // kUnknown: the detail-type or EventType; kInvalid: the event type
  std::string error;      // kInvalid: e.g. "missing detail.contactId"
  std::string json;       // the record's JSON text, minified
  ConnectContact contact;
  ConnectAgent agent;
};

// "arn:aws:connect:...:instance/i-1/queue/q-7" -> "q-7" (the text after the last '/').
std::string_view ArnTail(std::string_view arn);

class ConnectParser {
 public:
  ConnectParser();
  ~ConnectParser();
  ConnectParser(const ConnectParser&) = delete;
  ConnectParser& operator=(const ConnectParser&) = delete;

  // A request body: false with `error` (nothing appended) if it is not a JSON object, an
  // array, or JSON lines of objects; else one record per element or line.
  bool ParseBody(std::string_view body, std::vector<ConnectRecord>& out, std::string* error);
  // One JSON text (a --stdin line, a journaled record): false with `error` if it is not JSON.
  bool ParseOne(std::string_view json, ConnectRecord& out, std::string* error);

 private:
  std::unique_ptr<simdjson::dom::parser> json_;
};

}  // namespace floorwatch::bridge
