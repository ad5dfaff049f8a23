// Events as JSON (bridge/core/out_event.cpp): what the daemon's own parser reads back.
#include <doctest/doctest.h>

#include "floorwatch/bridge/core/out_event.h"
#include "floorwatch/core/event_parser.h"

using namespace floorwatch;
using namespace floorwatch::bridge;

namespace {

OutEvent Make(EventType type) {
  OutEvent e;
  e.type = type;
  e.ts_ms = 1543602753000;
  e.contact = "1543602660.197#2";
  e.queue = "IT";
  e.agent = "1127";
  return e;
}

std::string Json(const OutEvent& e, uint64_t seq = 7) {
  std::string out;
  WriteEventJson(e, "asterisk-pbx1", seq, out);
  return out;
}

}  // namespace

TEST_CASE("contact.queued reads back with its queue, channel, customer, source and seq") {
  OutEvent e = Make(EventType::kContactQueued);
  e.customer = "cust-04077df1a5";
  EventParser parser;
  REQUIRE(parser.Parse(Json(e)).ok);
  const Event& got = parser.event();
  CHECK(got.type == EventType::kContactQueued);
  CHECK(got.ts_ms == 1543602753000);
  CHECK(got.contact == "1543602660.197#2");
  CHECK(got.queue == "IT");
  CHECK(got.channel == Channel::kVoice);
  CHECK(got.customer == "cust-04077df1a5");
  CHECK(got.source == "asterisk-pbx1");
  CHECK(got.has_seq);
  CHECK(got.seq == 7);
}

TEST_CASE("every type the bridge makes is accepted by the daemon's parser") {
  for (EventType t :
       {EventType::kContactQueued, EventType::kContactAnswered, EventType::kContactAbandoned,
        EventType::kContactEnded, EventType::kContactTransferred, EventType::kContactWrapped,
        EventType::kAgentLogin, EventType::kAgentLogout, EventType::kAgentState,
        EventType::kAgentQueues}) {
    OutEvent e = Make(t);
    e.reason = t == EventType::kContactAbandoned ? "timeout" : "lunch";
    e.state = AgentState::kNotReady;
    e.has_queues = true;
    e.queues = {"IT", "Sales"};
    const std::string json = Json(e);
    CAPTURE(json);
    EventParser parser;
    const ParseOutcome r = parser.Parse(json);
    CHECK(r.ok);
    CHECK(parser.event().type == t);
  }
}

TEST_CASE("agent.state not_ready carries its reason; agent.queues its list") {
  OutEvent s = Make(EventType::kAgentState);
  s.state = AgentState::kNotReady;
  s.reason = "lunch";
  EventParser parser;
  REQUIRE(parser.Parse(Json(s)).ok);
  CHECK(parser.event().state == AgentState::kNotReady);
  CHECK(parser.event().reason == "lunch");
  OutEvent q = Make(EventType::kAgentQueues);
  q.has_queues = true;
  q.queues = {"IT", "Sales"};
  REQUIRE(parser.Parse(Json(q)).ok);
  REQUIRE(parser.event().queues.size() == 2);
  CHECK(parser.event().queues[1] == "Sales");
}

TEST_CASE("contact.abandoned carries the abandon reason the daemon counts by") {
  OutEvent e = Make(EventType::kContactAbandoned);
  e.reason = "no_agents";
  EventParser parser;
  REQUIRE(parser.Parse(Json(e)).ok);
  CHECK(parser.event().abandon_reason == AbandonReason::kNoAgents);
}

TEST_CASE("only the fields of the type are written: no queue on contact.answered") {
  CHECK(Json(Make(EventType::kContactAnswered)) ==
        R"({"type":"contact.answered","ts":1543602753000,"contact":"1543602660.197#2",)"
        R"("agent":"1127","source":"asterisk-pbx1","seq":7})");
}

TEST_CASE("bytes that are not UTF-8 become U+FFFD and control characters are escaped") {
  OutEvent e = Make(EventType::kContactQueued);
  e.customer = "caf\xC3\xA9 \xFF\xC3 \x01 \xED\xA0\x80 ok";
  const std::string json = Json(e);
  CHECK(json.find("caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD \\u0001 ") != std::string::npos);
  EventParser parser;
  REQUIRE(parser.Parse(json).ok);
  CHECK(parser.event().customer.substr(0, 5) == "caf\xC3\xA9");
}

TEST_CASE("the topic is contact.<queue> or agent.<agent>") {
  std::string topic;
  AppendTopic(Make(EventType::kContactEnded), topic);
  CHECK(topic == "contact.IT");
  topic.clear();
  AppendTopic(Make(EventType::kAgentLogout), topic);
  CHECK(topic == "agent.1127");
}
