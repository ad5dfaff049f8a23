#include "floorwatch/core/event_parser.h"

#include <doctest/doctest.h>

using namespace floorwatch;

namespace {
ParseOutcome P(EventParser& p, const std::string& s) { return p.Parse(s); }

// Every payload of `bad` is refused, with `reason`.
template <typename List>
void CheckAllRejected(EventParser& p, const List& bad, RejectReason reason) {
  for (const auto& json : bad) {
    CAPTURE(json);
    const ParseOutcome r = P(p, json);
    CHECK_FALSE(r.ok);
    CHECK(r.reason == reason);
  }
}
}  // namespace

TEST_CASE("a contact.queued with every field parses into a typed event") {
  EventParser p;
  auto r = P(p, R"({"type":"contact.queued","ts":1795428000000,"id":"e1","source":"acd","seq":9,
    "contact":"c1","queue":"sales","channel":"chat","priority":3,"customer":"cu","attrs":{"lang":"de"},
    "future_field":{"x":[1,2]}})");
  REQUIRE(r.ok);
  const Event& e = p.event();
  CHECK(e.type == EventType::kContactQueued);
  CHECK(e.ts_ms == 1795428000000);
  CHECK(e.id == "e1");
  CHECK(e.source == "acd");
  CHECK(e.has_seq);
  CHECK(e.seq == 9);
  CHECK(e.contact == "c1");
  CHECK(e.queue == "sales");
  CHECK(e.channel == Channel::kChat);
  CHECK(e.priority == 3);
  CHECK(e.customer == "cu");
}

TEST_CASE("the channel defaults to voice") {
  EventParser p;
  REQUIRE(P(p, R"({"type":"contact.queued","ts":1,"contact":"c","queue":"q"})").ok);
  CHECK(p.event().channel == Channel::kVoice);
}

TEST_CASE("ts may be an RFC 3339 string") {
  EventParser p;
  REQUIRE(P(p, R"({"type":"contact.abandoned","ts":"2026-11-23T11:00:00.250+01:00","contact":"c"})")
              .ok);
  CHECK(p.event().ts_ms == 1795428000250);
}

TEST_CASE("every event type parses with its required fields") {
  EventParser p;
  const char* good[] = {
      R"({"type":"contact.answered","ts":1,"contact":"c","agent":"a"})",
      R"({"type":"contact.abandoned","ts":1,"contact":"c"})",
      R"({"type":"contact.transferred","ts":1,"contact":"c","queue":"q2"})",
      R"({"type":"contact.ended","ts":1,"contact":"c"})",
      R"({"type":"contact.wrapped","ts":1,"contact":"c"})",
      R"({"type":"contact.escalated","ts":1,"contact":"c","tier":3,"reason":"r","team":"t"})",
      R"({"type":"contact.message","ts":1,"contact":"c","from":"customer"})",
      R"({"type":"contact.survey","ts":1,"queue":"q","agent":"a","csat":5,"nps":10,"resolved":false})",
      R"({"type":"contact.survey","ts":1,"contact":"c","nps":0})",
      R"({"type":"agent.login","ts":1,"agent":"a","queues":["q1","q2"],"capacity":{"chat":3,"voice":1},"team":"t","site":"s"})",
      R"({"type":"agent.logout","ts":1,"agent":"a"})",
      R"({"type":"agent.state","ts":1,"agent":"a","state":"not_ready","reason":"lunch"})",
      R"({"type":"agent.queues","ts":1,"agent":"a","queues":[]})",
  };
  for (const char* json : good) {
    CAPTURE(json);
    CHECK(P(p, json).ok);
  }
  REQUIRE(P(p, good[9]).ok);
  CHECK(p.event().queues.size() == 2);
  CHECK(p.event().capacity[static_cast<int>(Channel::kChat)] == 3);
}

TEST_CASE("missing required fields, wrong types and bad values are schema errors") {
  EventParser p;
  const char* bad[] = {
      R"({"ts":1,"contact":"c"})",                           // no type
      R"({"type":"contact.ended","contact":"c"})",           // no ts
      R"({"type":"contact.ended","ts":1})",                  // no contact
      R"({"type":"contact.ended","ts":1,"contact":""})",     // empty id
      R"({"type":"contact.ended","ts":1,"contact":7})",      // wrong type
      R"({"type":"contact.ended","ts":-5,"contact":"c"})",   // negative ts
      R"({"type":"contact.ended","ts":1.5,"contact":"c"})",  // float ts
      R"({"type":"contact.ended","ts":"2026-13-01T00:00:00Z","contact":"c"})",
      R"({"type":"contact.ended","ts":"2026-11-23 10:00","contact":"c"})",
      R"({"type":"contact.answered","ts":1,"contact":"c"})",  // no agent
      R"({"type":"contact.queued","ts":1,"contact":"c","queue":"q","channel":"fax"})",
      R"({"type":"contact.queued","ts":1,"contact":"c","queue":"q","priority":"high"})",
      R"({"type":"contact.queued","ts":1,"contact":"c","queue":"q","attrs":{"a":1}})",
      R"({"type":"contact.escalated","ts":1,"contact":"c","tier":1})",
      R"({"type":"contact.message","ts":1,"contact":"c","from":"bot"})",
      R"({"type":"contact.survey","ts":1,"csat":3})",  // neither queue nor contact
      R"({"type":"contact.survey","ts":1,"queue":"q","csat":6})",
      R"({"type":"contact.survey","ts":1,"queue":"q","nps":11})",
      R"({"type":"contact.survey","ts":1,"queue":"q","resolved":"yes"})",
      R"({"type":"agent.state","ts":1,"agent":"a","state":"sleeping"})",
      R"({"type":"agent.state","ts":1,"agent":"a"})",
      R"({"type":"agent.queues","ts":1,"agent":"a"})",
      R"({"type":"agent.queues","ts":1,"agent":"a","queues":"q1"})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"fax":1}})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"chat":-1}})",
      R"({"type":"contact.ended","ts":1,"contact":"c","seq":-1})",
      R"({"type":"contact.ended","ts":1,"contact":"c","source":5})",
      R"("just a string")",
      R"([{"type":"contact.ended"}])",
  };
  CheckAllRejected(p, bad, RejectReason::kSchema);
}

TEST_CASE("an unknown type is unknown_type") {
  EventParser p;
  const ParseOutcome r = P(p, R"({"type":"contact.beamed","ts":1})");
  CHECK(r.reason == RejectReason::kUnknownType);
}

TEST_CASE("anything that is not valid JSON is a parse error") {
  EventParser p;
  const std::string bad[] = {
      "",
      "{",
      "nope",
      R"({"type":"contact.ended",})",
      R"({"type":"contact.ended","ts":1,"contact":"c"} trailing)",
      std::string("{\"type\":\"contact.ended\",\"ts\":1,\"contact\":\"\xff\xfe\"}"),
      R"({"type":"contact.ended","ts":1,"contact":"c","x":[1,2,}})"};
  CheckAllRejected(p, bad, RejectReason::kParse);
}

TEST_CASE("source and seq are kept when the rest of the event is invalid") {
  EventParser p;
  const ParseOutcome r = P(p, R"({"type":"contact.ended","ts":1,"source":"s","seq":4})");
  CHECK_FALSE(r.ok);
  CHECK(p.event().source == "s");
  CHECK(p.event().seq == 4);
}

TEST_CASE("the parser is reusable: one event's fields never leak into the next") {
  EventParser p;
  REQUIRE(
      P(p,
        R"({"type":"contact.queued","ts":1,"contact":"c","queue":"q","channel":"chat","id":"x"})")
          .ok);
  REQUIRE(P(p, R"({"type":"contact.queued","ts":2,"contact":"d","queue":"r"})").ok);
  CHECK(p.event().channel == Channel::kVoice);
  CHECK(p.event().id.empty());
  CHECK(p.event().contact == "d");
}

TEST_CASE("a contact.evaluated carries its score, form and pass, attributed like a survey") {
  EventParser p;
  REQUIRE(P(p, R"({"type":"contact.evaluated","ts":1,"contact":"c1","score":87.5,"form":"qa-v2",
    "agent":"a1","passed":false})")
              .ok);
  CHECK(p.event().type == EventType::kContactEvaluated);
  CHECK(p.event().score == 87.5);
  CHECK(p.event().form == "qa-v2");
  CHECK(p.event().passed == false);
  REQUIRE(
      P(p, R"({"type":"contact.evaluated","ts":1,"queue":"q","channel":"chat","score":90})").ok);
  CHECK(p.event().channel == Channel::kChat);
  CHECK(!p.event().passed.has_value());
}

TEST_CASE("an evaluation without a score, or one outside 0..100, is a schema error") {
  EventParser p;
  const std::string bad[] = {
      R"({"type":"contact.evaluated","ts":1,"contact":"c1"})",
      R"({"type":"contact.evaluated","ts":1,"contact":"c1","score":100.5})",
      R"({"type":"contact.evaluated","ts":1,"contact":"c1","score":-1})",
      R"({"type":"contact.evaluated","ts":1,"contact":"c1","score":"90"})",
      R"({"type":"contact.evaluated","ts":1,"score":90})",
  };
  CheckAllRejected(p, bad, RejectReason::kSchema);
}

TEST_CASE("an abandon says why; customer when it does not, and an unknown reason is refused") {
  EventParser p;
  REQUIRE(P(p, R"({"type":"contact.abandoned","ts":1,"contact":"c1","reason":"no_agents"})").ok);
  CHECK(p.event().abandon_reason == AbandonReason::kNoAgents);
  REQUIRE(P(p, R"({"type":"contact.abandoned","ts":1,"contact":"c1"})").ok);
  CHECK(p.event().abandon_reason == AbandonReason::kCustomer);
  const ParseOutcome r = P(p, R"({"type":"contact.abandoned","ts":1,"contact":"c1","reason":"x"})");
  CHECK(r.reason == RejectReason::kSchema);
}

TEST_CASE("an agent.login capacity map says so, and leaves the channels it omits unsaid") {
  EventParser p;
  REQUIRE(P(p, R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"chat":0}})").ok);
  CHECK(p.event().has_capacity);
  CHECK(p.event().capacity[static_cast<int>(Channel::kChat)] == 0);
  CHECK(p.event().capacity[static_cast<int>(Channel::kVoice)] == -1);
  REQUIRE(P(p, R"({"type":"agent.login","ts":1,"agent":"a","capacity":{}})").ok);
  CHECK(p.event().has_capacity);
  REQUIRE(P(p, R"({"type":"agent.login","ts":1,"agent":"a"})").ok);
  CHECK_FALSE(p.event().has_capacity);
}

TEST_CASE("capacity slots must be non-negative integers: anything else is a schema error") {
  EventParser p;
  const char* bad[] = {
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"chat":2.5}})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"chat":"2"}})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"chat":true}})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"chat":null}})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":{"chat":1001}})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":[1]})",
      R"({"type":"agent.login","ts":1,"agent":"a","capacity":3})",
  };
  CheckAllRejected(p, bad, RejectReason::kSchema);
}
