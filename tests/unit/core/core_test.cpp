// Intake rules: duplicates by id and seq, gaps, limits, and rejection reasons.
#include <set>

#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("an event id seen before is a duplicate and changes nothing") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"id":"e1")");
  f.Answered("c1", 1000);
  const ApplyResult r = f.Queued("c1", "q", 0, R"(,"id":"e1")");
  CHECK(r.outcome == Outcome::kDuplicate);
  CHECK(f.core.stats().duplicate == 1);
  CHECK(f.Qc("q").waiting == 0);
  CHECK(f.Qc("q").totals.offered == 1);
}

TEST_CASE("a jump in seq counts the missing events as a gap for that source") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"source":"acd-1","seq":1)");
  f.Queued("c2", "q", 0, R"(,"source":"acd-1","seq":2)");
  f.Queued("c3", "q", 0, R"(,"source":"acd-1","seq":7)");    // 3..6 lost
  f.Queued("c4", "q", 0, R"(,"source":"acd-2","seq":100)");  // first from acd-2: no gap
  const auto& sources = f.core.models().sources.sources();
  CHECK(sources[sources.Find("acd-1")].gap_events == 4);
  CHECK(sources[sources.Find("acd-2")].gap_events == 0);
  CHECK(f.Qc("q").waiting == 4);
}

TEST_CASE("an event whose seq was already applied is a duplicate") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"source":"s","seq":5)");
  f.Queued("c2", "q", 0, R"(,"source":"s","seq":6)");
  CHECK(f.Queued("c3", "q", 0, R"(,"source":"s","seq":6)").outcome == Outcome::kDuplicate);
  CHECK(f.Queued("c4", "q", 0, R"(,"source":"s","seq":2)").outcome == Outcome::kDuplicate);
  CHECK(f.core.stats().duplicate == 2);
  CHECK(f.Qc("q").waiting == 2);
}

TEST_CASE("a rejected event with a readable seq still advances its source's sequence") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"source":"s","seq":1)");
  f.Feed(R"({"type":"contact.queued","ts":1,"source":"s","seq":2})");  // no contact: schema
  f.Queued("c3", "q", 0, R"(,"source":"s","seq":3)");
  CHECK(f.Rejected(RejectReason::kSchema) == 1);
  CHECK(f.core.models().sources.sources()[f.core.models().sources.sources().Find("s")].gap_events ==
        0);
}

TEST_CASE("payloads over max_event_bytes are rejected as too_large before parsing") {
  CoreFixture f("limits: {max_event_bytes: 100}");
  const std::string big = R"({"type":"contact.queued","ts":1,"contact":"c","queue":"q","pad":")" +
                          std::string(100, 'x') + "\"}";
  CHECK(f.Feed(big).outcome == Outcome::kRejected);
  CHECK(f.Rejected(RejectReason::kTooLarge) == 1);
  CHECK(f.core.models().contacts.contacts().size() == 0);
}

TEST_CASE("each kind of bad payload is counted under its own reason") {
  CoreFixture f;
  f.Feed("not json");
  f.Feed(R"({"type":"contact.queued","ts":1,"contact":"c"})");  // missing queue
  f.Feed(R"([1,2,3])");
  f.Feed(R"({"type":"contact.teleported","ts":1})");
  f.Feed(R"({"type":"contact.queued","ts":"yesterday","contact":"c","queue":"q"})");
  CHECK(f.Rejected(RejectReason::kParse) == 1);
  CHECK(f.Rejected(RejectReason::kSchema) == 3);
  CHECK(f.Rejected(RejectReason::kUnknownType) == 1);
  CHECK(f.core.stats().received == 5);
  CHECK(f.core.stats().applied == 0);
}

TEST_CASE("a malformed ZeroMQ message counts as received and rejected") {
  CoreFixture f;
  f.core.OnMalformedMessage(RejectReason::kFrames, kT0);
  CHECK(f.core.stats().received == 1);
  CHECK(f.Rejected(RejectReason::kFrames) == 1);
}

TEST_CASE("max_contacts holds: new contacts beyond it are rejected as limit") {
  CoreFixture f("limits: {max_contacts: 3}");
  for (int i = 0; i < 5; ++i) f.Queued("c" + std::to_string(i), "q", 0);
  CHECK(f.core.models().contacts.contacts().size() == 3);
  CHECK(f.Rejected(RejectReason::kLimit) == 2);
  f.Answered("c0", 1000);
  f.On("ended", "c0", 2000);
  f.On("wrapped", "c0", 3000);  // frees a slot
  CHECK(f.Queued("c9", "q", 0).outcome == Outcome::kApplied);
}

TEST_CASE("max_queues holds: contacts for queues beyond it are rejected as limit") {
  CoreFixture f("limits: {max_queues: 2}");
  f.Queued("c1", "q1", 0);
  f.Queued("c2", "q2", 0);
  CHECK(f.Queued("c3", "q3", 0).outcome == Outcome::kRejected);
  CHECK(f.Rejected(RejectReason::kLimit) == 1);
  CHECK(f.core.directory().queues().size() == 2);
  CHECK(f.core.models().contacts.contacts().size() == 2);
}

TEST_CASE("max_sources holds: sources beyond it are applied but not sequence-tracked") {
  CoreFixture f("limits: {max_sources: 1}");
  f.Queued("c1", "q", 0, R"(,"source":"s1","seq":1)");
  f.Queued("c2", "q", 0, R"(,"source":"s2","seq":1)");
  CHECK(f.core.models().sources.sources().size() == 1);
  CHECK(f.Qc("q").waiting == 2);
}

TEST_CASE("unknown_queues: reject refuses contacts for unconfigured queues") {
  CoreFixture f("unknown_queues: reject\nqueues: [{id: known}]");
  CHECK(f.Queued("c1", "known", 0).outcome == Outcome::kApplied);
  CHECK(f.Queued("c2", "other", 0).outcome == Outcome::kRejected);
  CHECK(f.Rejected(RejectReason::kUnknownQueue) == 1);
  f.On("transferred", "c1", 1000, R"(,"queue":"other")");
  CHECK(f.Rejected(RejectReason::kUnknownQueue) == 2);
  CHECK(f.Qc("known").waiting == 1);  // the refused transfer left the contact where it was
}

TEST_CASE("a flood of distinct ids stays within every limit") {
  CoreFixture f("limits: {max_contacts: 1000, max_queues: 50, max_agents: 100, dedup_ids: 500}");
  for (int i = 0; i < 20'000; ++i) {
    const std::string n = std::to_string(i);
    f.Queued("c" + n, "q" + n, 0, R"(,"id":"e)" + n + "\"");
    f.Agent("state", "a" + n, R"(,"state":"available","queues":["x)" + n + "\"]");
  }
  CHECK(f.core.models().contacts.contacts().size() <= 1000);
  CHECK(f.core.directory().queues().size() <= 50);
  CHECK(f.core.models().agents.agents().size() <= 100);
  CHECK(f.Rejected(RejectReason::kLimit) >= 20'000 - 1000);
}

TEST_CASE("received = applied + duplicate + rejected + ignored over a mixed stream") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"id":"x")");
  f.Queued("c1", "q", 0, R"(,"id":"x")");
  f.Queued("c1", "q", 0);
  f.Feed("{");
  f.Answered("nobody", 0);
  f.Agent("logout", "never-logged-in");
  const IntakeStats& s = f.core.stats();
  uint64_t rejected = 0, ignored = 0;
  for (auto n : s.rejected) rejected += n;
  for (auto n : s.ignored) ignored += n;
  CHECK(s.received == 6);
  CHECK(s.applied == 1);
  CHECK(s.duplicate == 1);
  CHECK(rejected == 2);
  CHECK(ignored == 2);
}

TEST_CASE("an event its owner refuses reaches no observer") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Answered("c1", 1000);
  const ApplyResult r = f.Answered("c1", 2000);  // answered twice: the contacts model refuses
  CHECK(r.outcome == Outcome::kIgnored);
  CHECK(f.Qc("q").totals.answered == 1);  // the service-level model did not count it
  CHECK(f.Qc("q").wait_buckets[0] == 1);
}

TEST_CASE("an agent event reaches the agents model and no contact figure moves") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Agent("login", "a1", R"(,"queues":["q"])");
  f.Agent("state", "a1", R"(,"state":"available")");
  CHECK(f.core.models().agents.InQueue(f.core.directory().FindQueue("q"))[0] == 1);
  CHECK(f.Qc("q").waiting == 1);
  CHECK(f.Qc("q").totals.offered == 1);
}

TEST_CASE("every alert measure is offered by exactly one model") {
  CoreFixture f;
  std::set<std::string_view> names;
  for (const MeasureDef& def : AllMeasures()) {
    CHECK_MESSAGE(names.insert(def.name).second, def.name);
    const Core::MeasureRef ref = f.core.FindMeasure(def.name);
    REQUIRE(ref.model != nullptr);
    CHECK(ref.def->name == def.name);
  }
  CHECK(f.core.FindMeasure("no_such_measure").model == nullptr);
}

TEST_CASE("the queues snapshot holds gauges, totals and windows per queue and channel") {
  CoreFixture f("queues: [{id: \"sales\", labels: {team: t1}}]");
  f.Queued("c1", "sales", 0);
  f.Answered("c1", 4000);
  f.Queued("c2", "sales", 0, R"(,"channel":"chat")");
  f.clock.Advance(10'000);
  f.core.Tick(f.clock.NowMs());
  std::string out;
  f.core.RenderQueuesJson(out, f.clock.NowMs());
  CHECK(out.find(R"("queue":"sales","channel":"voice","labels":{"team":"t1"})") !=
        std::string::npos);
  CHECK(out.find(R"("channel":"chat")") != std::string::npos);
  CHECK(out.find(R"("waiting_contacts":1,"oldest_wait_seconds":10,)") != std::string::npos);
  CHECK(out.find(R"("15m":{"offered":1,"answered":1,"answered_in_sl":1,)") != std::string::npos);
  CHECK(out.find(R"("aht_seconds":null)") != std::string::npos);  // NaN becomes null
}
