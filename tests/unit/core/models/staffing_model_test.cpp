// Staffing: required agents from the staffing window's demand (docs/staffing.md), and the
// figures built from it: the gap, the metric families, /api/v1/queues and alert measures.
#include <cmath>

#include "staffing_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("no contact offered in the staffing window needs no agent") {
  CoreFixture f(kStaffingConfig);
  f.clock.Set(kT0 + kDemandEnd);
  CHECK(StaffingOf(f, "q").required_agents == 0);
  CHECK(StaffingOf(f, "q").arrivals_per_second == 0);
}

TEST_CASE("contacts offered but none handled in the window: required agents is NaN") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 10, 0, 180'000);
  const StaffingFigures s = StaffingOf(f, "q");
  CHECK(s.offered == 10);
  CHECK(std::isnan(s.aht_seconds));
  CHECK(std::isnan(s.required_agents));
  CHECK(std::isnan(s.gap_agents));
}

TEST_CASE("an AHT of 0 counts as no AHT") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 10, 5, 0);  // ended the moment they were answered
  CHECK(std::isnan(StaffingOf(f, "q").aht_seconds));
  CHECK(std::isnan(StaffingOf(f, "q").required_agents));
}

// docs/staffing.md, the worked example: 50 calls in the last 15 minutes, the 10 that ended
// took 3 minutes; 12 agents each on a call, 5 callers waiting.
TEST_CASE("the worked example of docs/staffing.md: 14 required, 12 staffed, a 90 s wait") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  for (int i = 0; i < 12; ++i) {
    const std::string agent = "a" + std::to_string(i);
    AgentIn(f, agent, R"(["q"])", "on_contact");
    f.On("answered", "d" + std::to_string(10 + i), kDemandEnd, R"(,"agent":")" + agent + "\"");
  }
  for (int i = 22; i < 45; ++i)
    f.On("answered", "d" + std::to_string(i), kDemandEnd, R"(,"agent":"x")");
  const StaffingFigures s = StaffingOf(f, "q");
  CHECK(s.arrivals_per_second == doctest::Approx(50.0 / 900.0));
  CHECK(s.aht_seconds == doctest::Approx(180));
  CHECK(s.load_erlangs == doctest::Approx(10));
  CHECK(s.required_agents == 14);
  CHECK(s.staffed_agents == 12);
  CHECK(s.gap_agents == 2);
  CHECK(s.waiting == 5);
  CHECK(s.free_slots == 0);
  CHECK(s.slots == 12);
  CHECK(s.used_slots == 12);
  CHECK(s.estimated_wait_seconds == doctest::Approx((5 - 0 + 1) * 180.0 / 12));  // 90 s
}

TEST_CASE("the worked example on chat with concurrency 3: 5 agents (15 slots)") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "chat", 50, 10, 180'000);
  CHECK(StaffingOf(f, "q", Channel::kChat).load_erlangs == doctest::Approx(10));
  CHECK(StaffingOf(f, "q", Channel::kChat).required_agents == 5);
}

TEST_CASE("the occupancy cap raises required agents when it binds") {
  // At a 35% target 11 agents would do (39%), but 10 Erlangs on 11 agents is 91% occupancy.
  const std::string low_target = R"(
windows: [15m, 1h, today]
defaults: {service_level: {threshold_seconds: 20, target: 0.35}, staffing: {max_occupancy: )";
  CoreFixture capped(low_target + "0.85}}");
  FeedDemand(capped, "q", "voice", 50, 10, 180'000);
  CHECK(StaffingOf(capped, "q").required_agents == 12);
  CoreFixture uncapped(low_target + "1}}");
  FeedDemand(uncapped, "q", "voice", 50, 10, 180'000);
  CHECK(StaffingOf(uncapped, "q").required_agents == 11);
}

TEST_CASE("the staffing window is the configured one: 1h divides by 3600 seconds") {
  CoreFixture f(R"(
windows: [15m, 1h, today]
defaults: {staffing: {window: 1h}})");
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  CHECK(StaffingOf(f, "q").arrivals_per_second == doctest::Approx(50.0 / 3600.0));
  CHECK(StaffingOf(f, "q").load_erlangs == doctest::Approx(2.5));
}

TEST_CASE("without any rolling window the demand is unknown: required agents is NaN") {
  CoreFixture f("windows: [today]");
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  CHECK(std::isnan(StaffingOf(f, "q").required_agents));
}

TEST_CASE("a reload that changes the concurrency changes required agents") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  REQUIRE(StaffingOf(f, "q").required_agents == 14);
  f.core.Reconfigure(ConfigFrom(R"(
windows: [15m, 1h, today]
queues: [{id: q, channels: {voice: {staffing: {concurrency: 2}}}}])"));
  CHECK(StaffingOf(f, "q").required_agents == 7);  // 14 servers at 71% occupancy
}

TEST_CASE("figures follow an event at once, without waiting for a Tick") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  AgentIn(f, "a1", R"(["q"])", "available");
  const Model& model = f.core.models().staffing;
  const uint32_t qc = f.QcIndex("q");
  CHECK(model.Measure(1, qc, 0, f.clock.NowMs()).value == 1);  // staffed_agents
  f.Agent("logout", "a1");
  CHECK(model.Measure(1, qc, 0, f.clock.NowMs()).value == 0);
}

TEST_CASE("every staffing figure is an alert measure with its unit") {
  CoreFixture f(kStaffingConfig);
  for (const char* name : {"required_agents", "staffed_agents", "staffing_gap_agents",
                           "estimated_wait_seconds", "agent_slots_total", "agent_slots_used"}) {
    CAPTURE(name);
    const MeasureDef* def = FindMeasureDef(name);
    REQUIRE(def != nullptr);
    CHECK_FALSE(def->windowed);
    CHECK(f.core.FindMeasure(name).model == &f.core.models().staffing);
  }
  CHECK(FindMeasureDef("estimated_wait_seconds")->unit == MeasureUnit::kSeconds);
}

TEST_CASE("the gap measure reads required minus staffed and rests on the window's offered") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  AgentIn(f, "a1", R"(["q"])", "available");
  f.core.Tick(f.clock.NowMs());
  const Core::MeasureRef gap = f.core.FindMeasure("staffing_gap_agents");
  const Reading r = gap.model->Measure(gap.index, f.QcIndex("q"), 0, f.clock.NowMs());
  CHECK(r.value == 13);
  CHECK(r.contacts == 50);
}

TEST_CASE("the staffing families carry every queue/channel, NaN where undefined") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 50, 10, 180'000);
  AgentIn(f, "a1", R"(["q"])", "available", R"(,"capacity":{"voice":1,"chat":2})");
  const std::string out = RenderAll(f.core, f.clock.NowMs());
  CHECK(out.find("# TYPE floorwatch_queue_required_agents gauge") != std::string::npos);
  CHECK(out.find("floorwatch_queue_required_agents{queue=\"q\",channel=\"voice\"} 14\n") !=
        std::string::npos);
  CHECK(out.find("floorwatch_queue_staffed_agents{queue=\"q\",channel=\"chat\"} 1\n") !=
        std::string::npos);
  CHECK(out.find("floorwatch_queue_staffing_gap_agents{queue=\"q\",channel=\"voice\"} 13\n") !=
        std::string::npos);
  CHECK(
      out.find("floorwatch_queue_agent_slots{queue=\"q\",channel=\"chat\",state=\"total\"} 2\n") !=
      std::string::npos);
  CHECK(out.find("floorwatch_queue_agent_slots{queue=\"q\",channel=\"chat\",state=\"used\"} 0\n") !=
        std::string::npos);
  // q2 has no agent: even with nobody waiting, a contact joining now has no slot (F = 0 = W).
  CHECK(out.find("floorwatch_queue_estimated_wait_seconds{queue=\"q2\",channel=\"voice\"} NaN\n") !=
        std::string::npos);
  CHECK(out.find("floorwatch_queue_required_agents{queue=\"q2\",channel=\"voice\"} 0\n") !=
        std::string::npos);
}

TEST_CASE("/api/v1/queues has the staffing figures of each queue/channel, NaN as null") {
  CoreFixture f(kStaffingConfig);
  FeedDemand(f, "q", "voice", 10, 0, 180'000);  // no AHT: required is NaN
  std::string json;
  f.core.Tick(f.clock.NowMs());
  f.core.RenderQueuesJson(json, f.clock.NowMs());
  CHECK(json.find(R"("staffing":{"required_agents":null,"staffed_agents":0,)"
                  R"("staffing_gap_agents":null,"estimated_wait_seconds":null,)"
                  R"("agent_slots":{"total":0,"used":0}})") != std::string::npos);
  CHECK(json.find(R"("staffing":{"required_agents":0,)") != std::string::npos);  // chat
}
