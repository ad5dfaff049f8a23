// Amazon Connect records from JSON (bridge/core/connect_record.cpp), on records shaped as
// AWS documents them (connect_samples.h cites the pages).
#include <doctest/doctest.h>

#include "connect_samples.h"
#include "floorwatch/bridge/core/connect_record.h"
#include "floorwatch/core/timestamp.h"

using namespace floorwatch;
using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

namespace {

ConnectRecord One(const std::string& json) {
  ConnectParser parser;
  ConnectRecord r;
  std::string error;
  REQUIRE(parser.ParseOne(json, r, &error));
  return r;
}

int64_t Ms(const char* t) { return *ParseRfc3339Ms(t); }

}  // namespace

TEST_CASE("a documented CONNECTED_TO_AGENT contact event gives its ids and its own time") {
  const ConnectRecord r = One(ContactEvent("CONNECTED_TO_AGENT", "c-1", "2021-08-04T17:29:10Z",
                                           {.queue = "q-billing",
                                            .enqueued = "2021-08-04T17:29:04.000Z",
                                            .agent = "a-7",
                                            .connected = "2021-08-04T17:29:09.000Z"}));
  REQUIRE(r.kind == ConnectKind::kContact);
  CHECK(r.contact.event_type == "CONNECTED_TO_AGENT");
  CHECK(r.contact.contact_id == "c-1");
  CHECK(r.contact.queue == "q-billing");
  CHECK(r.contact.agent == "a-7");
  CHECK(r.contact.enqueue_ms == Ms("2021-08-04T17:29:04Z"));
  CHECK(r.contact.ts_ms == Ms("2021-08-04T17:29:09Z"));  // connectedToAgentTimestamp
  CHECK(r.contact.channel == Channel::kVoice);
}

TEST_CASE("agentInfo and agentArn in the data model's case are read as well") {
  const ConnectRecord r = One(ContactEvent("CONNECTED_TO_AGENT", "c-1", "2021-08-04T17:29:10Z",
                                           {.queue = "q",
                                            .agent = "a-7",
                                            .connected = "2021-08-04T17:29:09Z",
                                            .lower_case_agent_info = true}));
  CHECK(r.contact.agent == "a-7");
  CHECK(r.contact.ts_ms == Ms("2021-08-04T17:29:09Z"));
}

TEST_CASE("QUEUED is stamped at enqueueTimestamp, DISCONNECTED at disconnectTimestamp") {
  CHECK(One(ContactEvent("QUEUED", "c", "2021-08-04T17:30:00Z",
                         {.queue = "q", .enqueued = "2021-08-04T17:29:04.250Z"}))
            .contact.ts_ms == Ms("2021-08-04T17:29:04.250Z"));
  CHECK(One(ContactEvent("DISCONNECTED", "c", "2021-08-04T17:30:00Z",
                         {.queue = "q", .disconnected = "2021-08-04T17:18:37Z"}))
            .contact.ts_ms == Ms("2021-08-04T17:18:37Z"));
}

TEST_CASE("without its own timestamp an event takes the envelope's time") {
  CHECK(One(ContactEvent("QUEUED", "c", "2021-08-04T17:30:00Z", {.queue = "q"})).contact.ts_ms ==
        Ms("2021-08-04T17:30:00Z"));
}

TEST_CASE("channels of any case map to the protocol's") {
  auto channel = [](const char* name) {
    return One(ContactEvent("QUEUED", "c", "2021-08-04T17:30:00Z", {.queue = "q", .channel = name}))
        .contact.channel;
  };
  CHECK(channel("Voice") == Channel::kVoice);
  CHECK(channel("CHAT") == Channel::kChat);
  CHECK(channel("chat") == Channel::kChat);
  CHECK(channel("TASK") == Channel::kEmail);
  CHECK(channel("EMAIL") == Channel::kEmail);
}

TEST_CASE("a transfer's previousContactId and initiationMethod are read") {
  const ConnectRecord r =
      One(ContactEvent("QUEUED", "c-2", "2021-08-04T17:30:00Z",
                       {.queue = "q2", .method = "TRANSFER", .previous = "c-1"}));
  CHECK(r.contact.previous_contact_id == "c-1");
  CHECK(r.contact.initiation_method == "TRANSFER");
}

TEST_CASE("a contact event without contactId is invalid") {
  std::string json = ContactEvent("QUEUED", "c-1", "2021-08-04T17:30:00Z", {.queue = "q"});
  json.replace(json.find("\"contactId\""), 11, "\"otherId\"");
  const ConnectRecord r = One(json);
  CHECK(r.kind == ConnectKind::kInvalid);
  CHECK(r.error == "missing detail.contactId");
}

TEST_CASE("another detail-type is a record of an unknown kind named by it") {
  std::string json = ContactEvent("QUEUED", "c-1", "2021-08-04T17:30:00Z", {.queue = "q"});
  json.replace(json.find("Amazon Connect Contact Event"), 28, "Contact Lens Analysis State Change");
  const ConnectRecord r = One(json);
  CHECK(r.kind == ConnectKind::kUnknown);
  CHECK(r.kind_name == "Contact Lens Analysis State Change");
}

TEST_CASE("an agent LOGIN gives its routing profile's queues without the agent's own queue") {
  std::string json = AgentEvent("LOGIN", "a-7", "2018-10-25T18:43:59.059Z",
                                {.queues = {"PrimaryQueue", "BasicQueue", "BasicQueue"}});
  // An agent queue as Connect lists it among the inbound queues.
  json.replace(json.find("\"InboundQueues\":[") + 17, 0,
               "{\"ARN\":\"" + kInstance + "/queue/agent/a-7\",\"Name\":\"\"},");
  const ConnectRecord r = One(json);
  REQUIRE(r.kind == ConnectKind::kAgent);
  CHECK(r.agent.agent == "a-7");
  CHECK(r.agent.ts_ms == Ms("2018-10-25T18:43:59.059Z"));
  CHECK(r.agent.queues == std::vector<std::string>{"BasicQueue", "PrimaryQueue"});
  CHECK(r.agent.state == AgentState::kAvailable);
}

TEST_CASE("the agent's state comes from its contacts first, then its status") {
  auto state = [](AgentFields f) {
    const ConnectRecord r = One(AgentEvent("STATE_CHANGE", "a", "2018-10-25T18:55:27Z", f));
    return std::pair(r.agent.state, r.agent.reason);
  };
  CHECK(state({.contact_states = {"CONNECTED"}}) ==
        std::pair(AgentState::kOnContact, std::string()));
  CHECK(state({.contact_states = {"CONNECTED_ONHOLD"}}).first == AgentState::kOnContact);
  CHECK(state({.contact_states = {"CONNECTING"}}).first == AgentState::kOnContact);
  CHECK(state({.contact_states = {"ENDED"}}).first == AgentState::kAcw);  // after-contact work
  CHECK(state({.contact_states = {"ENDED", "CONNECTED"}}).first == AgentState::kOnContact);
  CHECK(state({}).first == AgentState::kAvailable);
  CHECK(state({.status = "Lunch"}) == std::pair(AgentState::kNotReady, std::string("Lunch")));
  CHECK(state({.status = "Offline"}) == std::pair(AgentState::kNotReady, std::string("Offline")));
}

TEST_CASE("an agent record of another EventType is of an unknown kind") {
  const ConnectRecord r = One(AgentEvent("ROUTING_PROFILE_CHANGE", "a", "2018-10-25T18:55:27Z"));
  CHECK(r.kind == ConnectKind::kUnknown);
  CHECK(r.kind_name == "ROUTING_PROFILE_CHANGE");
}

TEST_CASE("a body is one object, an array of them, or JSON lines, whatever its type says") {
  const std::string a = ContactEvent("QUEUED", "c-1", "2021-08-04T17:30:00Z", {.queue = "q"});
  const std::string b = AgentEvent("LOGIN", "a-1", "2021-08-04T17:30:00Z");
  ConnectParser parser;
  std::string error;
  for (const std::string& body : {a, "[" + a + "," + b + "]", a + "\n" + b + "\n", "\n" + a}) {
    std::vector<ConnectRecord> records;
    REQUIRE(parser.ParseBody(body, records, &error));
    CHECK(records.size() == (body == a || body[0] == '\n' ? 1u : 2u));
    CHECK(records[0].kind == ConnectKind::kContact);
  }
}

TEST_CASE("a body that is not JSON is refused whole, one bad line included") {
  const std::string a = ContactEvent("QUEUED", "c-1", "2021-08-04T17:30:00Z", {.queue = "q"});
  ConnectParser parser;
  std::string error;
  std::vector<ConnectRecord> records;
  CHECK_FALSE(parser.ParseBody("not json", records, &error));
  CHECK_FALSE(parser.ParseBody(a + "\n{\"half\":", records, &error));
  CHECK(error == "line 2 is not a JSON object");
  CHECK_FALSE(parser.ParseBody(a + "\n[1]", records, &error));
  CHECK_FALSE(parser.ParseBody("\"a string\"", records, &error));
  CHECK_FALSE(parser.ParseBody("  ", records, &error));
  CHECK(records.empty());
}

TEST_CASE("a record keeps its JSON text, which parses to the same record") {
  const ConnectRecord r =
      One(ContactEvent("QUEUED", "c-1", "2021-08-04T17:30:00Z", {.queue = "q"}));
  const ConnectRecord again = One(r.json);
  CHECK(again.json == r.json);
  CHECK(again.contact.contact_id == "c-1");
  CHECK(again.contact.queue == "q");
}

TEST_CASE("ArnTail is the last path element") {
  CHECK(ArnTail(QueueArn("q-7")) == "q-7");
  CHECK(ArnTail("plain") == "plain");
  CHECK(ArnTail("") == "");
}
