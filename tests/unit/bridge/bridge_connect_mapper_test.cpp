// Amazon Connect records -> protocol v1 events (bridge/core/connect_mapper.cpp), fed records
// shaped as AWS documents them (connect_samples.h cites the pages).
#include <doctest/doctest.h>

#include "connect_samples.h"
#include "floorwatch/bridge/core/connect_mapper.h"
#include "mapper_script.h"

using namespace floorwatch;
using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

namespace {

struct Script {
  ConnectParser parser;
  ConnectMapper mapper;
  ConnectOutcome last = ConnectOutcome::kMapped;

  Events Apply(const std::string& json) {
    ConnectRecord r;
    std::string error;
    REQUIRE(parser.ParseOne(json, r, &error));
    std::vector<OutEvent> events;
    last = mapper.Apply(r, events);
    Events out;
    for (const OutEvent& e : events) {
      std::string d = Describe(e);
      if (e.type == EventType::kContactTransferred) d += " " + e.queue;
      while (!d.empty() && d.back() == ' ') d.pop_back();  // an abandon without a reason
      out.push_back(d);
    }
    return out;
  }
};

const char* const T0 = "2021-08-04T17:29:04.000Z";
const char* const T1 = "2021-08-04T17:29:09.000Z";
const char* const T2 = "2021-08-04T17:31:00.000Z";
const char* const T3 = "2021-08-04T17:33:00.000Z";

std::string Queued(const std::string& c, const std::string& q, ContactFields f = {}) {
  f.queue = q;
  f.enqueued = T0;
  return ContactEvent("QUEUED", c, T0, f);
}
std::string Connected(const std::string& c, const std::string& q, const std::string& a) {
  return ContactEvent("CONNECTED_TO_AGENT", c, T1,
                      {.queue = q, .enqueued = T0, .agent = a, .connected = T1});
}
std::string Disconnected(const std::string& c, const std::string& q, const std::string& a = "") {
  return ContactEvent("DISCONNECTED", c, T2,
                      {.queue = q,
                       .enqueued = T0,
                       .agent = a,
                       .connected = a.empty() ? "" : T1,
                       .disconnected = T2});
}

}  // namespace

TEST_CASE("a contact queued, connected and disconnected is queued, answered and ended") {
  Script s;
  CHECK(s.Apply(Queued("c-1", "q-sales")) == Events{"contact.queued c-1 q-sales"});
  CHECK(s.Apply(Connected("c-1", "q-sales", "a-7")) == Events{"contact.answered c-1 a-7"});
  CHECK(s.Apply(Disconnected("c-1", "q-sales", "a-7")) == Events{"contact.ended c-1"});
}

TEST_CASE("a disconnect before any connect is an abandon") {
  Script s;
  s.Apply(Queued("c-1", "q-sales"));
  CHECK(s.Apply(Disconnected("c-1", "q-sales")) == Events{"contact.abandoned c-1"});
}

TEST_CASE("the events carry each record's own time") {
  Script s;
  ConnectRecord r;
  std::string error;
  std::vector<OutEvent> events;
  REQUIRE(s.parser.ParseOne(Connected("c-1", "q", "a"), r, &error));
  s.mapper.Apply(r, events);  // unknown contact: queued at enqueue time, answered at connect
  REQUIRE(events.size() == 2);
  CHECK(events[0].ts_ms == r.contact.enqueue_ms);
  CHECK(events[1].ts_ms == r.contact.connected_ms);
}

TEST_CASE("queued again in a second queue is one transfer of the same contact") {
  Script s;
  s.Apply(Queued("c-1", "q-sales"));
  CHECK(s.Apply(Queued("c-1", "q-billing")) == Events{"contact.transferred c-1 q-billing"});
  CHECK(s.Apply(Connected("c-1", "q-billing", "a-2")) == Events{"contact.answered c-1 a-2"});
}

TEST_CASE("a TRANSFER contact naming a known previous contact continues it") {
  Script s;
  s.Apply(Queued("c-1", "q-sales"));
  s.Apply(Connected("c-1", "q-sales", "a-7"));
  CHECK(s.Apply(Queued("c-2", "q-billing", {.method = "TRANSFER", .previous = "c-1"})) ==
        Events{"contact.transferred c-1 q-billing"});
  // The first contact's own disconnect (the agent's leg) publishes nothing: c-2 carries on.
  CHECK(s.Apply(Disconnected("c-1", "q-sales", "a-7")).empty());
  CHECK(s.last == ConnectOutcome::kMapped);
  CHECK(s.Apply(Connected("c-2", "q-billing", "a-8")) == Events{"contact.answered c-1 a-8"});
  CHECK(s.Apply(Disconnected("c-2", "q-billing", "a-8")) == Events{"contact.ended c-1"});
}

TEST_CASE("a QUEUE_TRANSFER of an ended contact queues it again in the new queue") {
  Script s;
  s.Apply(Queued("c-1", "q-sales"));
  s.Apply(Connected("c-1", "q-sales", "a-7"));
  s.Apply(Disconnected("c-1", "q-sales", "a-7"));
  CHECK(s.Apply(Queued("c-2", "q-billing", {.method = "QUEUE_TRANSFER", .previous = "c-1"})) ==
        Events{"contact.queued c-1 q-billing"});
}

TEST_CASE("a TRANSFER naming an unknown previous contact is a contact of its own") {
  Script s;
  CHECK(s.Apply(Queued("c-2", "q-billing", {.method = "TRANSFER", .previous = "c-gone"})) ==
        Events{"contact.queued c-2 q-billing"});
}

TEST_CASE("a connect arriving before its QUEUED brings the contact in from its queueInfo") {
  Script s;
  CHECK(s.Apply(Connected("c-1", "q-sales", "a-7")) ==
        Events{"contact.queued c-1 q-sales", "contact.answered c-1 a-7"});
  CHECK(s.Apply(Queued("c-1", "q-sales")).empty());
  CHECK(s.last == ConnectOutcome::kOutOfOrder);
}

TEST_CASE("a disconnect whose connect was lost still answers it first, from its agentInfo") {
  Script s;
  s.Apply(Queued("c-1", "q-sales"));
  CHECK(s.Apply(Disconnected("c-1", "q-sales", "a-7")) ==
        Events{"contact.answered c-1 a-7", "contact.ended c-1"});
}

TEST_CASE("a connect after the disconnect is skipped as out of order") {
  Script s;
  s.Apply(Queued("c-1", "q-sales"));
  s.Apply(Disconnected("c-1", "q-sales"));
  CHECK(s.Apply(Connected("c-1", "q-sales", "a-7")).empty());
  CHECK(s.last == ConnectOutcome::kOutOfOrder);
}

TEST_CASE("a record delivered twice is a duplicate the second time") {
  Script s;
  s.Apply(Queued("c-1", "q-sales"));
  CHECK(s.Apply(Queued("c-1", "q-sales")).empty());
  CHECK(s.last == ConnectOutcome::kDuplicate);
  s.Apply(Disconnected("c-1", "q-sales"));
  CHECK(s.Apply(Disconnected("c-1", "q-sales")).empty());
  CHECK(s.last == ConnectOutcome::kDuplicate);
}

TEST_CASE("other contact event types and contacts that never queued publish nothing") {
  Script s;
  CHECK(s.Apply(ContactEvent("INITIATED", "c-1", T0)).empty());
  CHECK(s.last == ConnectOutcome::kUnmappedType);
  CHECK(s.Apply(ContactEvent("DISCONNECTED", "c-1", T0, {.disconnected = T2})).empty());
  CHECK(s.last == ConnectOutcome::kNotQueued);
  CHECK(s.Apply(ContactEvent("QUEUED", "c-1", T0)).empty());
  CHECK(s.last == ConnectOutcome::kMissingField);
}

TEST_CASE("an agent logging in gets its queues, then its state") {
  Script s;
  CHECK(s.Apply(AgentEvent("LOGIN", "a-7", T0, {.status = "Offline", .queues = {"q2", "q1"}})) ==
        Events{"agent.login a-7 [q1,q2]", "agent.state a-7 not_ready Offline"});
  CHECK(s.Apply(AgentEvent("STATE_CHANGE", "a-7", T1, {.queues = {"q1", "q2"}})) ==
        Events{"agent.state a-7 available"});
  CHECK(s.Apply(AgentEvent("STATE_CHANGE", "a-7", T2,
                           {.queues = {"q1", "q2"}, .contact_states = {"CONNECTED"}})) ==
        Events{"agent.state a-7 on_contact"});
  CHECK(s.Apply(AgentEvent("STATE_CHANGE", "a-7", T3,
                           {.queues = {"q1", "q2"}, .contact_states = {"ENDED"}})) ==
        Events{"agent.state a-7 acw"});
  CHECK(s.Apply(AgentEvent("LOGOUT", "a-7", T3, {.snapshot = false})) ==
        Events{"agent.logout a-7"});
}

TEST_CASE("a changed routing profile gives agent.queues; an unchanged heartbeat nothing") {
  Script s;
  s.Apply(AgentEvent("LOGIN", "a-7", T0, {.queues = {"q1"}}));
  CHECK(s.Apply(AgentEvent("HEART_BEAT", "a-7", T1, {.queues = {"q1"}})).empty());
  CHECK(s.Apply(AgentEvent("STATE_CHANGE", "a-7", T2, {.queues = {"q1", "q3"}})) ==
        Events{"agent.queues a-7 [q1,q3]"});
}

TEST_CASE("an agent first seen mid-day is logged in first; heartbeats after a logout are not") {
  Script s;
  CHECK(s.Apply(AgentEvent("HEART_BEAT", "a-7", T0, {.queues = {"q1"}})) ==
        Events{"agent.login a-7 [q1]", "agent.state a-7 available"});
  s.Apply(AgentEvent("LOGOUT", "a-7", T1, {.snapshot = false}));
  CHECK(s.Apply(AgentEvent("HEART_BEAT", "a-7", T2, {.queues = {"q1"}})).empty());
}

TEST_CASE("a restored state goes on exactly as the running one") {
  Script a;
  a.Apply(Queued("c-1", "q-sales"));
  a.Apply(Connected("c-1", "q-sales", "a-7"));
  a.Apply(AgentEvent("LOGIN", "a-7", T0, {.queues = {"q1"}}));
  std::string saved;
  BinaryWriter w(saved);
  a.mapper.Save(w);
  Script b;
  BinaryReader r(saved);
  REQUIRE(b.mapper.Load(r));
  CHECK(r.remaining() == 0);
  const std::string next = Queued("c-2", "q-billing", {.method = "TRANSFER", .previous = "c-1"});
  CHECK(b.Apply(next) == a.Apply(next));
  CHECK(b.Apply(AgentEvent("HEART_BEAT", "a-7", T1, {.queues = {"q1"}})).empty());
  std::string again;
  BinaryWriter w2(again);
  b.mapper.Save(w2);
  std::string original;
  BinaryWriter w3(original);
  a.mapper.Save(w3);
  CHECK(again == original);
}

TEST_CASE("a damaged state does not load") {
  ConnectMapper m;
  const std::string bad = "\x02junk";
  BinaryReader r(bad);
  CHECK_FALSE(m.Load(r));
}

TEST_CASE("contacts are bounded: the oldest is forgotten past max_contacts") {
  ConnectMapper m(ConnectLimits{.max_contacts = 2});
  ConnectParser parser;
  std::vector<OutEvent> events;
  for (const char* c : {"c-1", "c-2", "c-3"}) {
    ConnectRecord r;
    std::string error;
    REQUIRE(parser.ParseOne(Queued(c, "q"), r, &error));
    CHECK(m.Apply(r, events) == ConnectOutcome::kMapped);
  }
  CHECK(m.contacts() == 2);
}
