// Staffing: staffed agents, slots, free slots and the estimated wait, from live agent
// states, memberships and capacities (docs/staffing.md); a refused event changes none of
// them; a restored core shows the same.
#include <cmath>

#include "floorwatch/core/snapshot.h"
#include "staffing_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// Connects a new contact of `queue`/`channel` to `agent`.
void Connect(CoreFixture& f, const std::string& contact, const std::string& queue,
             const std::string& channel, const std::string& agent) {
  const int64_t at = f.clock.NowMs() - kT0;
  REQUIRE(f.Queued(contact, queue, at, R"(,"channel":")" + channel + "\"").outcome ==
          Outcome::kApplied);
  REQUIRE(f.On("answered", contact, at, R"(,"agent":")" + agent + "\"").outcome ==
          Outcome::kApplied);
}

// Every staffing figure of every queue/channel, as text.
std::string StaffingText(CoreFixture& f) {
  f.core.Tick(f.clock.NowMs());
  std::string out;
  for (uint32_t qc = 0; qc < f.core.directory().size(); ++qc) {
    const StaffingFigures& s = f.core.models().staffing.Figures(qc);
    for (double v :
         {double(s.offered), s.arrivals_per_second, s.aht_seconds, s.required_agents,
          double(s.staffed_agents), double(s.slots), double(s.used_slots), double(s.free_slots),
          double(s.waiting), s.gap_agents, s.estimated_wait_seconds}) {
      out += std::to_string(v) + " ";
    }
    out += "\n";
  }
  return out;
}

void Wait(CoreFixture& f, const std::string& contact, const std::string& queue) {
  REQUIRE(f.Queued(contact, queue, f.clock.NowMs() - kT0).outcome == Outcome::kApplied);
}

}  // namespace

TEST_CASE("available, on_contact and acw agents are staffed; not_ready ones are not") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "available");
  AgentIn(f, "a2", R"(["q"])", "on_contact");
  AgentIn(f, "a3", R"(["q"])", "acw");
  AgentIn(f, "a4", R"(["q"])", "not_ready");
  const StaffingFigures s = StaffingOf(f, "q");
  CHECK(s.staffed_agents == 3);
  CHECK(s.slots == 3);
  CHECK(s.free_slots == 2);  // after-contact work takes no new contact
}

TEST_CASE("without a capacity map an agent has the channel's concurrency in slots") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "available");
  CHECK(StaffingOf(f, "q", Channel::kVoice).slots == 1);
  CHECK(StaffingOf(f, "q", Channel::kChat).slots == 3);
  CHECK(StaffingOf(f, "q", Channel::kChat).free_slots == 3);
}

TEST_CASE("a capacity map gives its slots; a channel it leaves out has none and is not staffed") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "available", R"(,"capacity":{"chat":2})");
  CHECK(StaffingOf(f, "q", Channel::kChat).slots == 2);
  CHECK(StaffingOf(f, "q", Channel::kChat).staffed_agents == 1);
  CHECK(StaffingOf(f, "q", Channel::kVoice).slots == 0);
  CHECK(StaffingOf(f, "q", Channel::kVoice).staffed_agents == 0);
}

TEST_CASE("a capacity of 0 for a channel means the agent is not staffed there") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "available", R"(,"capacity":{"voice":0,"chat":1})");
  CHECK(StaffingOf(f, "q", Channel::kVoice).staffed_agents == 0);
  CHECK(StaffingOf(f, "q", Channel::kChat).staffed_agents == 1);
}

TEST_CASE("a login without a map forgets the map of the login before") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "available", R"(,"capacity":{"chat":2})");
  AgentIn(f, "a1", R"(["q"])", "available");
  CHECK(StaffingOf(f, "q", Channel::kVoice).slots == 1);
  CHECK(StaffingOf(f, "q", Channel::kChat).slots == 3);
}

TEST_CASE("an agent in two queues is staffed in each") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q","q2"])", "available");
  CHECK(StaffingOf(f, "q").staffed_agents == 1);
  CHECK(StaffingOf(f, "q2").staffed_agents == 1);
  CHECK(StaffingOf(f, "q2", Channel::kChat).staffed_agents == 1);
}

TEST_CASE("used slots count the agent's connected contacts on the channel in any queue") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q","q2"])", "on_contact", R"(,"capacity":{"chat":3})");
  Connect(f, "c1", "q2", "chat", "a1");
  Connect(f, "c2", "q", "chat", "a1");
  const StaffingFigures s = StaffingOf(f, "q", Channel::kChat);
  CHECK(s.slots == 3);
  CHECK(s.used_slots == 2);
  CHECK(s.free_slots == 1);
  CHECK(StaffingOf(f, "q2", Channel::kChat).used_slots == 2);
}

TEST_CASE("an ended contact frees its slot") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "on_contact");
  Connect(f, "c1", "q", "voice", "a1");
  REQUIRE(StaffingOf(f, "q").used_slots == 1);
  f.On("ended", "c1", f.clock.NowMs() - kT0);
  CHECK(StaffingOf(f, "q").used_slots == 0);
  CHECK(StaffingOf(f, "q").free_slots == 1);
}

TEST_CASE("free slots never go below 0 for an agent with more contacts than slots") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "on_contact");
  AgentIn(f, "a2", R"(["q"])", "available");
  Connect(f, "c1", "q", "voice", "a1");
  Connect(f, "c2", "q", "voice", "a1");  // the ACD gave a1 two calls: a1 has none free
  CHECK(StaffingOf(f, "q").used_slots == 2);
  CHECK(StaffingOf(f, "q").free_slots == 1);
}

TEST_CASE("more free slots than waiting contacts: the estimated wait is 0") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 5, 5, 180'000);
  AgentIn(f, "a1", R"(["q"])", "available");
  AgentIn(f, "a2", R"(["q"])", "available");
  Wait(f, "w1", "q");
  CHECK(StaffingOf(f, "q").estimated_wait_seconds == 0);
}

TEST_CASE("with W waiting, F free and S slots the estimated wait is (W - F + 1) x AHT / S") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 5, 5, 180'000);
  AgentIn(f, "a1", R"(["q"])", "available");
  AgentIn(f, "a2", R"(["q"])", "on_contact");
  Connect(f, "c1", "q", "voice", "a2");
  for (const char* w : {"w1", "w2", "w3"}) Wait(f, w, "q");
  const StaffingFigures s = StaffingOf(f, "q");
  REQUIRE(s.waiting == 3);
  REQUIRE(s.free_slots == 1);
  CHECK(s.estimated_wait_seconds == doctest::Approx((3 - 1 + 1) * 180.0 / 2));
}

TEST_CASE("contacts waiting and no slot staffed: the estimated wait is NaN") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 5, 5, 180'000);
  AgentIn(f, "a1", R"(["q"])", "not_ready");
  Wait(f, "w1", "q");
  CHECK(std::isnan(StaffingOf(f, "q").estimated_wait_seconds));
}

TEST_CASE("contacts waiting beyond the free slots and no AHT: the estimated wait is NaN") {
  CoreFixture f(kStaffingConfig);
  AgentIn(f, "a1", R"(["q"])", "on_contact");
  Connect(f, "c1", "q", "voice", "a1");
  Wait(f, "w1", "q");
  CHECK(std::isnan(StaffingOf(f, "q").estimated_wait_seconds));
}

TEST_CASE("a refused event changes none of the staffing figures") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  AgentIn(f, "a1", R"(["q"])", "on_contact", R"(,"capacity":{"voice":1})");
  Connect(f, "c1", "q", "voice", "a1");
  const std::string before = StaffingText(f);
  CHECK(f.Feed(R"({"type":"agent.login","ts":1,"agent":"a1","capacity":{"voice":-1}})").outcome ==
        Outcome::kRejected);
  CHECK(f.Feed(R"({"type":"agent.login","ts":1,"agent":"a1","capacity":{"voice":1.5}})").outcome ==
        Outcome::kRejected);
  CHECK(f.On("ended", "nope", 0).outcome == Outcome::kRejected);
  CHECK(f.On("answered", "nope", 0, R"(,"agent":"a1")").outcome == Outcome::kRejected);
  CHECK(StaffingText(f) == before);
}

TEST_CASE("a core restored from a snapshot shows the same staffing, capacities included") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "chat", 50, 10, 180'000);
  AgentIn(f, "a1", R"(["q","q2"])", "on_contact", R"(,"capacity":{"chat":2})");
  AgentIn(f, "a2", R"(["q"])", "available");
  Connect(f, "c1", "q2", "chat", "a1");
  Core restored(ConfigFrom(kStaffingConfig));
  RestoreSnapshotOf(f.core, restored);
  const int64_t now = f.clock.NowMs();
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  const uint32_t chat = f.QcIndex("q", Channel::kChat);
  CHECK(restored.models().staffing.Figures(chat).slots == 2 + 3);
  CHECK(restored.models().staffing.Figures(chat).used_slots == 1);
}

TEST_CASE("as many free slots as waiting contacts: the one joining now still waits") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 5, 5, 180'000);
  AgentIn(f, "a1", R"(["q"])", "available");
  Wait(f, "w1", "q");
  // W = 1, F = 1: the free slot goes to w1; the newcomer waits one AHT over one slot.
  CHECK(StaffingOf(f, "q").estimated_wait_seconds == doctest::Approx(180));
}
