// Prediction: projected breaches, seconds to breach and the projected service level
// (docs/prediction.md), each rule and edge on a fake clock. T = 20 s throughout.
#include <cmath>

#include "floorwatch/core/erlang_c.h"
#include "prediction_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("a contact breaches when its age plus (k - F) x AHT / S passes T, not when it equals T") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");         // S = 12, F = 0: one answered every 60 / 12 = 5 s
  WaitingFor(f, "c1", 16'000);  // k = 1: 16 + 5 = 21 s
  WaitingFor(f, "c2", 10'000);  // k = 2: 10 + 10 = 20 s, exactly T
  WaitingFor(f, "c3", 6'000);   // k = 3: 6 + 15 = 21 s
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 2);
  CHECK(p.seconds_to_breach == doctest::Approx(20 - 16));
}

TEST_CASE("seconds to breach is T minus the largest age among the breaches, in any position") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 2, "acw");                              // 30 s per position
  WaitingFor(f, "vip", 1'000, R"(,"priority":1)");  // k = 1: 1 + 30 s
  WaitingFor(f, "c1", 10'000);                      // k = 2: 10 + 60 s, the oldest breach
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 2);
  CHECK(p.seconds_to_breach == doctest::Approx(10));
}

TEST_CASE("a contact already past T is not counted but keeps its place in the line") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "late", 25'000);  // k = 1, already lost to the service level
  WaitingFor(f, "c1", 12'000);    // k = 2: 12 + 10 = 22 s (it would be 17 s at k = 1)
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 1);
  CHECK(p.seconds_to_breach == doctest::Approx(8));
}

TEST_CASE("a contact exactly at T is not past it: it counts when its projection passes T") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "c1", 20'000);
  CHECK(PredictionOf(f).projected_breaches == 1);
  CHECK(PredictionOf(f).seconds_to_breach == 0);
  f.clock.Advance(1);
  CHECK(PredictionOf(f).projected_breaches == 0);
}

TEST_CASE("the first F contacts take the free slots at once; the rest wait behind them") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 2, "available");    // S = 2, F = 2: 30 s per position beyond the free slots
  WaitingFor(f, "c1", 19'000);  // k = 1 <= F
  WaitingFor(f, "c2", 18'000);  // k = 2 <= F
  WaitingFor(f, "c3", 1'000);   // k = 3: 1 + 30 = 31 s
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 1);
  CHECK(p.seconds_to_breach == doctest::Approx(19));
}

TEST_CASE("more free slots than waiting contacts: no breach and no seconds to breach") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 3, "available");
  WaitingFor(f, "c1", 19'000);
  WaitingFor(f, "c2", 19'000);
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 0);
  CHECK(std::isnan(p.seconds_to_breach));
}

TEST_CASE("no agent staffed: every waiting contact not yet past T counts, AHT or not") {
  CoreFixture with_aht(kStaffingConfig);
  FeedAht(with_aht, "q", "voice", 10, 60'000);
  CoreFixture without_aht(kStaffingConfig);
  for (CoreFixture* f : {&with_aht, &without_aht}) {
    Agents(*f, 2, "not_ready");
    WaitingFor(*f, "c1", 25'000);
    WaitingFor(*f, "c2", 15'000);
    WaitingFor(*f, "c3", 5'000);
    const PredictionFigures p = PredictionOf(*f);
    CHECK(p.projected_breaches == 2);
    CHECK(p.seconds_to_breach == doctest::Approx(5));
  }
}

TEST_CASE("no AHT and a contact beyond the free slots not yet past T: the figure is NaN") {
  CoreFixture f(kStaffingConfig);
  Agents(f, 1, "acw");  // S = 1, F = 0, nothing handled in the window
  WaitingFor(f, "c1", 5'000);
  const PredictionFigures p = PredictionOf(f);
  CHECK(std::isnan(p.projected_breaches));
  CHECK(std::isnan(p.seconds_to_breach));
}

TEST_CASE("no AHT but nobody beyond the free slots needs projecting: the figure is 0") {
  CoreFixture f(kStaffingConfig);
  Agents(f, 2, "available");
  WaitingFor(f, "c1", 5'000);  // takes a free slot
  WaitingFor(f, "c2", 1'000);  // takes the other
  CHECK(PredictionOf(f).projected_breaches == 0);
  // Behind them (priority -1), but already past T: nothing to project.
  WaitingFor(f, "late", 30'000, R"(,"priority":-1)");
  CHECK(PredictionOf(f).projected_breaches == 0);
  WaitingFor(f, "c3", 1'000);  // k = 3, not yet past T
  CHECK(std::isnan(PredictionOf(f).projected_breaches));
}

TEST_CASE("a higher priority is answered first, whatever its age") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "old", 14'000);
  WaitingFor(f, "vip", 1'000, R"(,"priority":5)");
  // vip k = 1: 1 + 5 = 6 s; old k = 2: 14 + 10 = 24 s. By age alone neither would breach.
  CHECK(PredictionOf(f).projected_breaches == 1);
  CHECK(PredictionOf(f).seconds_to_breach == doctest::Approx(6));
}

TEST_CASE("a negative priority waits behind every contact of priority 0") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "low", 14'000, R"(,"priority":-1)");  // k = 2: 14 + 10 = 24 s
  WaitingFor(f, "c1", 1'000);                         // k = 1
  CHECK(PredictionOf(f).projected_breaches == 1);
}

TEST_CASE("a transfer keeps the contact's priority; a contact.queued elsewhere sets its own") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "old", 14'000);
  WaitingFor(f, "vip", 1'000, R"(,"priority":5)", "q2");
  REQUIRE(f.On("transferred", "vip", f.clock.NowMs() - kT0 - 1'000, R"(,"queue":"q")").outcome ==
          Outcome::kApplied);
  CHECK(PredictionOf(f).projected_breaches == 1);  // vip still goes first
  WaitingFor(f, "vip", 1'000, "", "q2");           // requeued with priority 0...
  WaitingFor(f, "vip", 1'000, "", "q");            // ...and back, still priority 0
  CHECK(PredictionOf(f).projected_breaches == 0);  // old k = 1: 19 s, vip k = 2: 11 s
}

TEST_CASE("chat agents with 3 slots each: S counts slots, not agents") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "chat", 10, 60'000);
  Agents(f, 2, "acw");  // S = 6 chat slots: 10 s per position (it would be 30 s per agent)
  const std::string chat = R"(,"channel":"chat")";
  WaitingFor(f, "c1", 9'000, chat);  // k = 1: 19 s
  WaitingFor(f, "c2", 8'000, chat);  // k = 2: 28 s
  const PredictionFigures p = PredictionOf(f, "q", Channel::kChat);
  CHECK(p.projected_breaches == 1);
  CHECK(p.seconds_to_breach == doctest::Approx(12));
  CHECK(PredictionOf(f, "q", Channel::kVoice).projected_breaches == 0);
}

TEST_CASE("ages are taken when the figures are read: a contact becomes a breach as it ages") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "c1", 10'000);  // k = 1: 10 + 5 s
  CHECK(PredictionOf(f).projected_breaches == 0);
  f.clock.Advance(5'000);  // 20 s: not more than T
  CHECK(PredictionOf(f).projected_breaches == 0);
  f.clock.Advance(1);
  CHECK(PredictionOf(f).projected_breaches == 1);
  CHECK(PredictionOf(f).seconds_to_breach == doctest::Approx(4.999));
  f.clock.Advance(5'000);  // past T
  CHECK(PredictionOf(f).projected_breaches == 0);
}

TEST_CASE("the figures follow an event at once: an agent becoming free, a contact answered") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 2, "acw");  // 30 s per position
  WaitingFor(f, "c1", 5'000);
  WaitingFor(f, "c2", 2'000);
  const Model& model = f.core.models().prediction;
  const uint32_t qc = f.QcIndex("q");
  const int64_t now = f.clock.NowMs();
  CHECK(model.Measure(1, qc, 0, now).value == 2);
  REQUIRE(f.Agent("state", "a0", R"(,"state":"available")").outcome == Outcome::kApplied);
  CHECK(model.Measure(1, qc, 0, now).value == 1);  // c1 takes a0; c2: 2 + 30 s
  REQUIRE(f.Answered("c2", 900'000).outcome == Outcome::kApplied);
  CHECK(model.Measure(1, qc, 0, now).value == 0);
}

TEST_CASE("projected service level: Erlang C at the slots staffed now") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 50, 180'000);  // λ = 50 / 900 s, AHT 180 s: A = 10 Erlangs
  Agents(f, 12, "acw");
  CHECK(PredictionOf(f).projected_service_level == doctest::Approx(0.640).epsilon(0.001));
  Agents(f, 2, "available", R"(["q"])", "b");
  CHECK(PredictionOf(f).projected_service_level == doctest::Approx(0.888).epsilon(0.001));
  const StaffingFigures s = StaffingOf(f, "q");
  CHECK(PredictionOf(f).projected_service_level ==
        erlang_c::ServiceLevel(14, s.load_erlangs, s.aht_seconds, 20));
}

TEST_CASE("projected service level is 0 when the slots do not exceed the load") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 50, 180'000);  // A = 10
  Agents(f, 9, "acw");
  CHECK(PredictionOf(f).projected_service_level == 0);
  CoreFixture none(kStaffingConfig);
  FeedAht(none, "q", "voice", 50, 180'000);
  CHECK(PredictionOf(none).projected_service_level == 0);  // S = 0
}

TEST_CASE("projected service level is NaN without demand, without AHT or without a window") {
  CoreFixture idle(kStaffingConfig);
  Agents(idle, 2, "available");
  CHECK(std::isnan(PredictionOf(idle).projected_service_level));
  CoreFixture unhandled(kStaffingConfig);
  FeedDemand(unhandled, "q", "voice", 10, 0, 60'000);
  Agents(unhandled, 2, "available");
  CHECK(std::isnan(PredictionOf(unhandled).projected_service_level));
  CoreFixture no_window("windows: [today]");
  FeedAht(no_window, "q", "voice", 10, 60'000);
  CHECK(std::isnan(PredictionOf(no_window).projected_service_level));
}

TEST_CASE("a reload that changes T changes the figures") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "c1", 16'000);  // 21 s projected
  REQUIRE(PredictionOf(f).projected_breaches == 1);
  f.core.Reconfigure(ConfigFrom(R"(
windows: [15m, 1h, today]
defaults: {service_level: {threshold_seconds: 30}})"));
  CHECK(PredictionOf(f).projected_breaches == 0);
}

TEST_CASE("a read at another time, with no event or Tick between, takes the ages anew") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  WaitingFor(f, "c1", 15'000);  // k = 1: 15 + 5 = 20 s
  f.core.Tick(f.clock.NowMs());
  const PredictionModel& model = f.core.models().prediction;
  const uint32_t qc = f.QcIndex("q");
  CHECK(model.Figures(qc, f.clock.NowMs()).projected_breaches == 0);
  CHECK(model.Figures(qc, f.clock.NowMs() + 1).projected_breaches == 1);
  CHECK(model.Figures(qc, f.clock.NowMs() + 5'001).projected_breaches == 0);  // past T
}

TEST_CASE("waits spanning more than 49 days (past 32 bits of ms) keep their order and ages") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 12, "acw");
  const int64_t sixty_days_ms = 60LL * 86'400'000;
  WaitingFor(f, "old", sixty_days_ms);  // k = 1, long past T
  WaitingFor(f, "c1", 12'000);          // k = 2: 12 + 10 = 22 s
  WaitingFor(f, "c2", 4'000);           // k = 3: 4 + 15 = 19 s
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 1);
  CHECK(p.seconds_to_breach == doctest::Approx(8));
  std::vector<double> ages;
  const int64_t now = f.clock.NowMs();
  f.core.models().prediction.ForEachProjected(
      f.QcIndex("q", Channel::kVoice), now,
      [&](int64_t queued_ms, double) { ages.push_back(double(now - queued_ms)); });
  REQUIRE(ages.size() == 3);
  CHECK(ages[0] == double(sixty_days_ms));
  CHECK(ages[1] == 12'000);
  CHECK(ages[2] == 4'000);
}
