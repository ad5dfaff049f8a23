// Prediction: the worked example of docs/prediction.md, the metric families, /api/v1/queues,
// the alert measures, a refused event, and a restored core.
#include <cmath>

#include "floorwatch/core/snapshot.h"
#include "prediction_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// docs/prediction.md: 50 calls offered in the last 15 minutes (45 before the five callers
// below), AHT 3 minutes (A = 10 Erlangs); 12 agents each on a call; five callers waiting
// 12, 9, 7, 3 and 1 s.
void WorkedExample(CoreFixture& f) {
  FeedDemand(f, "q", "voice", 45, 33, 180'000);
  for (int i = 0; i < 12; ++i) {
    const std::string agent = "a" + std::to_string(i);
    AgentIn(f, agent, R"(["q"])", "on_contact");
    REQUIRE(
        f.On("answered", "d" + std::to_string(33 + i), kDemandEnd, R"(,"agent":")" + agent + "\"")
            .outcome == Outcome::kApplied);
  }
  int n = 0;
  for (int64_t age : {12'000, 9'000, 7'000, 3'000, 1'000})
    WaitingFor(f, "w" + std::to_string(n++), age);
}

std::string Render(CoreFixture& f) { return RenderAll(f.core, f.clock.NowMs()); }

// The prediction model's families and its part of every queue/channel's JSON object.
std::string PredictionText(CoreFixture& f) {
  f.core.Tick(f.clock.NowMs());
  const PredictionModel& model = f.core.models().prediction;
  std::string out;
  MetricWriter writer(out);
  model.RenderMetrics(writer, f.clock.NowMs());
  for (uint32_t qc = 0; qc < f.core.directory().size(); ++qc) {
    JsonObject object(out);
    model.RenderQueueJson(object, qc, f.clock.NowMs());
    object.Close();
  }
  return out;
}

}  // namespace

TEST_CASE("the worked example of docs/prediction.md: 5 breaches in 8 s at 64%") {
  CoreFixture f(kStaffingConfig);
  WorkedExample(f);
  REQUIRE(StaffingOf(f, "q").load_erlangs == doctest::Approx(10));
  REQUIRE(StaffingOf(f, "q").free_slots == 0);
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 5);
  CHECK(p.seconds_to_breach == doctest::Approx(8));
  CHECK(p.projected_service_level == doctest::Approx(0.640).epsilon(0.001));
}

TEST_CASE("the worked example with two more agents available: 2 breaches in 17 s at 89%") {
  CoreFixture f(kStaffingConfig);
  WorkedExample(f);
  Agents(f, 2, "available", R"(["q"])", "b");  // S = 14, F = 2: 12.9 s per position
  const PredictionFigures p = PredictionOf(f);
  CHECK(p.projected_breaches == 2);  // the 3 s and 1 s callers; the 7 s one makes 19.9 s
  CHECK(p.seconds_to_breach == doctest::Approx(17));
  CHECK(p.projected_service_level == doctest::Approx(0.888).epsilon(0.001));
}

TEST_CASE("the prediction families carry every queue/channel; seconds to breach only a breach") {
  CoreFixture f(kStaffingConfig);
  WorkedExample(f);
  const std::string out = Render(f);
  CHECK(Has(out, "# TYPE floorwatch_queue_projected_service_level gauge\n"));
  CHECK(Has(out, "# TYPE floorwatch_queue_projected_breaches gauge\n"));
  CHECK(Has(out, "# TYPE floorwatch_queue_seconds_to_breach gauge\n"));
  CHECK(Has(out, "floorwatch_queue_projected_breaches{queue=\"q\",channel=\"voice\"} 5\n"));
  CHECK(Has(out, "floorwatch_queue_seconds_to_breach{queue=\"q\",channel=\"voice\"} 8\n"));
  CHECK(Has(out, "floorwatch_queue_projected_service_level{queue=\"q\",channel=\"voice\"} 0.64"));
  // q2 voice: nobody waiting, no demand.
  CHECK(Has(out, "floorwatch_queue_projected_breaches{queue=\"q2\",channel=\"voice\"} 0\n"));
  CHECK(Has(out, "floorwatch_queue_projected_service_level{queue=\"q2\",channel=\"voice\"} NaN\n"));
  CHECK_FALSE(Has(out, "floorwatch_queue_seconds_to_breach{queue=\"q2\""));
}

TEST_CASE("/api/v1/queues has the prediction of each queue/channel, NaN and none as null") {
  CoreFixture f(kStaffingConfig);
  WorkedExample(f);
  f.core.Tick(f.clock.NowMs());
  std::string json;
  f.core.RenderQueuesJson(json, f.clock.NowMs());
  CHECK(Has(json, R"("prediction":{"projected_service_level":0.64)"));
  CHECK(Has(json, R"("projected_breaches":5,"seconds_to_breach":8})"));
  CHECK(Has(json, R"("prediction":{"projected_service_level":null,"projected_breaches":0,)"
                  R"("seconds_to_breach":null})"));
}

TEST_CASE("every prediction figure is an alert measure with its unit and its basis") {
  CoreFixture f(kStaffingConfig);
  WorkedExample(f);
  f.core.Tick(f.clock.NowMs());
  const uint32_t qc = f.QcIndex("q");
  struct Expected {
    const char* name;
    MeasureUnit unit;
    double value;
    int64_t contacts;
  };
  for (const Expected& e : {Expected{"projected_breaches", MeasureUnit::kCount, 5, 5},
                            Expected{"seconds_to_breach", MeasureUnit::kSeconds, 8, 5},
                            Expected{"projected_service_level", MeasureUnit::kRatio, 0.64, 50}}) {
    CAPTURE(e.name);
    const MeasureDef* def = FindMeasureDef(e.name);
    REQUIRE(def != nullptr);
    CHECK_FALSE(def->windowed);
    CHECK(def->unit == e.unit);
    const Core::MeasureRef m = f.core.FindMeasure(e.name);
    REQUIRE(m.model == &f.core.models().prediction);
    const Reading r = m.model->Measure(m.index, qc, 0, f.clock.NowMs());
    CHECK(r.value == doctest::Approx(e.value).epsilon(0.001));
    CHECK(r.contacts == e.contacts);  // waiting; offered in the staffing window
  }
}

TEST_CASE("seconds to breach without a breach reads NaN, so no rule on it fires") {
  CoreFixture f(kStaffingConfig);
  const Core::MeasureRef m = f.core.FindMeasure("seconds_to_breach");
  WaitingFor(f, "c1", 30'000);  // past T already
  CHECK(std::isnan(m.model->Measure(m.index, f.QcIndex("q"), 0, f.clock.NowMs()).value));
}

TEST_CASE("a refused event changes none of the prediction figures") {
  CoreFixture f(kStaffingConfig);
  WorkedExample(f);
  const std::string before = PredictionText(f);
  REQUIRE(before.find("projected_breaches\":5") != std::string::npos);
  CHECK(f.Answered("nobody-knows", 900'000).outcome == Outcome::kRejected);
  CHECK(f.Queued("w0", "q", 900'000 - 12'000).outcome == Outcome::kIgnored);  // already waiting
  CHECK(PredictionText(f) == before);
}

TEST_CASE("a core restored from a snapshot predicts the same, priorities included") {
  CoreFixture f(kStaffingConfig);
  WorkedExample(f);
  // First in line, it makes it (0.5 + 15 s); by age alone it would be last and breach.
  WaitingFor(f, "vip", 500, R"(,"priority":3)");
  const std::string expected = Render(f);
  REQUIRE(Has(expected, "floorwatch_queue_projected_breaches{queue=\"q\",channel=\"voice\"} 5\n"));
  Core restored(f.core.config());
  RestoreSnapshotOf(f.core, restored);
  CHECK(Render(f) == RenderAll(restored, f.clock.NowMs()));
}

TEST_CASE("the contacts in answer order, each with its projected wait") {
  CoreFixture f(kStaffingConfig);
  FeedAht(f, "q", "voice", 10, 60'000);
  Agents(f, 1, "available");
  Agents(f, 1, "acw", R"(["q"])", "b");  // S = 2, F = 1: 30 s per position beyond the first
  WaitingFor(f, "c1", 4'000);
  WaitingFor(f, "vip", 1'000, R"(,"priority":1)");
  WaitingFor(f, "c2", 2'000);
  std::vector<std::pair<int64_t, double>> seen;
  f.core.models().prediction.ForEachProjected(
      f.QcIndex("q"), f.clock.NowMs(), [&](int64_t queued_ms, double wait) {
        seen.emplace_back(f.clock.NowMs() - queued_ms, wait);
      });
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] == std::pair<int64_t, double>{1'000, 1.0});   // vip, a free slot
  CHECK(seen[1] == std::pair<int64_t, double>{4'000, 34.0});  // c1, k - F = 1
  CHECK(seen[2] == std::pair<int64_t, double>{2'000, 62.0});  // c2, k - F = 2
}
