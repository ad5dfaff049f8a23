// Forecast: the current interval's forecast and schedule against what the floor does
// (docs/staffing.md, "Forecast and schedule").
#include <cmath>
#include <memory>

#include "floorwatch/core/snapshot.h"
#include "staffing_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

constexpr int64_t k30m = 30 * 60'000;
// kT0 is 10:00Z, so the 30-minute intervals of a UTC queue start at kT0 and kT0 + 30m.

// 100 calls expected in 10:00-10:30Z with AHT 180 s and 14 agents scheduled: A = 10 Erlangs,
// the Call Centre Helper example of erlang_c_test.cpp (14 agents for 80 % in 20 s).
std::shared_ptr<const Forecast> Table(bool scheduled = true, const std::string& queue = "q",
                                      int64_t start = kT0) {
  auto f = std::make_shared<Forecast>();
  f->interval_ms = k30m;
  f->has_scheduled = scheduled;
  f->series[{queue, Channel::kVoice}] = {ForecastInterval{start, 100, 180, 14}};
  return f;
}

struct Fixture : CoreFixture {
  explicit Fixture(std::shared_ptr<const Forecast> table = Table(),
                   const std::string& yaml = kStaffingConfig)
      : CoreFixture(yaml) {
    Config config = ConfigFrom(yaml);
    if (table) config.forecast.interval_ms = table->interval_ms;  // as the loader sets both
    config.forecast.table = std::move(table);
    core.Reconfigure(config);
  }
  ForecastFigures At(int64_t at, const std::string& queue = "q") {
    clock.Set(kT0 + at);
    core.Tick(kT0 + at);
    return core.models().forecast.Figures(QcIndex(queue), kT0 + at);
  }
  std::string Metrics() {
    std::string out;
    MetricWriter w(out);
    core.RenderMetrics(w, clock.NowMs());
    return out;
  }
  std::string QueuesJson() {
    std::string out;
    core.RenderQueuesJson(out, clock.NowMs());
    return out;
  }
  void Offer(int n, int64_t at, const std::string& tag = "c") {
    clock.Set(kT0 + at);
    for (int i = 0; i < n; ++i)
      REQUIRE(Queued(tag + std::to_string(i), "q", at).outcome == Outcome::kApplied);
  }
};

}  // namespace

TEST_CASE("without a forecast no forecast figure is shown") {
  CoreFixture f(kStaffingConfig);
  f.Queued("c1", "q", 0);
  std::string metrics;
  MetricWriter w(metrics);
  f.core.RenderMetrics(w, kT0);
  CHECK(metrics.find("forecast") == std::string::npos);
  CHECK(metrics.find("interval_offered") == std::string::npos);
  std::string json;
  f.core.RenderQueuesJson(json, kT0);
  CHECK(json.find("\"forecast\"") == std::string::npos);
}

TEST_CASE("the interval's row gives forecast offered, AHT and the agents Erlang C needs") {
  Fixture f;
  const ForecastFigures x = f.At(60'000);
  CHECK(x.has_row);
  CHECK(x.offered == 100);
  CHECK(x.aht_seconds == 180);
  CHECK(x.required_agents == 14);
}

TEST_CASE("outside the forecast's intervals its row figures are absent") {
  Fixture f;
  f.Offer(1, k30m + 1000);
  const ForecastFigures x = f.At(k30m + 1000);
  CHECK_FALSE(x.has_row);
  const std::string metrics = f.Metrics();
  CHECK(metrics.find("floorwatch_queue_forecast_offered{") == std::string::npos);
  CHECK(metrics.find("floorwatch_queue_scheduled_agents{") == std::string::npos);
  CHECK(metrics.find("floorwatch_queue_interval_offered{queue=\"q\",channel=\"voice\"} 1") !=
        std::string::npos);
}

TEST_CASE("interval offered counts the contacts queued and transferred in since it began") {
  Fixture f;
  f.Offer(3, 60'000);
  f.clock.Set(kT0 + 70'000);
  REQUIRE(f.On("transferred", "c0", 70'000, R"(,"queue":"q2")").outcome == Outcome::kApplied);
  REQUIRE(f.On("transferred", "c0", 80'000, R"(,"queue":"q")").outcome == Outcome::kApplied);
  CHECK(f.At(90'000).interval_offered == 4);
  CHECK(f.At(90'000, "q2").interval_offered == 1);
}

TEST_CASE("a new interval starts its count from zero") {
  Fixture f;
  f.Offer(3, 60'000);
  CHECK(f.At(k30m - 1).interval_offered == 3);
  CHECK(f.At(k30m).interval_offered == 0);
  f.Offer(1, k30m + 5000, "n");
  CHECK(f.At(k30m + 6000).interval_offered == 1);
}

TEST_CASE("a late contact of an interval that is over is not counted in the new one") {
  Fixture f;
  f.Offer(1, k30m + 1000, "n");
  f.clock.Set(kT0 + k30m + 2000);
  REQUIRE(f.Queued("late", "q", k30m - 5000).outcome == Outcome::kApplied);
  CHECK(f.At(k30m + 2000).interval_offered == 1);
}

TEST_CASE("the deviation compares offered so far with the forecast's pace") {
  Fixture f;
  f.Offer(60, 60'000);
  // Half the interval gone: 50 expected so far, 60 came: 20 % above the forecast.
  CHECK(f.At(k30m / 2).deviation_ratio == doctest::Approx(0.2));
  CHECK(f.At(k30m * 3 / 4).deviation_ratio == doctest::Approx(60.0 / 75.0 - 1));
}

TEST_CASE("the deviation is NaN at the interval's first moment and without a row") {
  Fixture f;
  CHECK(std::isnan(f.At(0).deviation_ratio));
  CHECK(std::isnan(f.At(k30m + 60'000).deviation_ratio));
}

TEST_CASE("scheduled agents and the schedule gap against the staffed agents") {
  Fixture f;
  for (int i = 0; i < 12; ++i) AgentIn(f, "a" + std::to_string(i), R"(["q"])", "available");
  AgentIn(f, "resting", R"(["q"])", "not_ready");
  const ForecastFigures x = f.At(60'000);
  CHECK(x.scheduled_agents == 14);
  CHECK(x.schedule_gap_agents == 2);
}

TEST_CASE("without the scheduled_agents column the schedule figures are absent") {
  Fixture f(Table(/*scheduled=*/false));
  f.At(60'000);
  const std::string metrics = f.Metrics();
  CHECK(metrics.find("floorwatch_queue_forecast_offered{") != std::string::npos);
  CHECK(metrics.find("floorwatch_queue_scheduled_agents{") == std::string::npos);
  CHECK(metrics.find("floorwatch_queue_schedule_gap_agents{") == std::string::npos);
  CHECK(std::isnan(f.core.models().forecast.Measure(5, f.QcIndex("q"), 0, kT0 + 60'000).value));
}

TEST_CASE("intervals follow local boundaries of the queue's time zone") {
  // Kolkata is UTC+5:30: its hour 15:00-16:00 local is 09:30-10:30Z.
  const std::string yaml =
      std::string(kStaffingConfig) + "\n" + "  - {id: india, timezone: Asia/Kolkata}\n";
  auto table = std::make_shared<Forecast>();
  table->interval_ms = 3'600'000;
  table->series[{"india", Channel::kVoice}] = {ForecastInterval{kT0 - k30m, 10, 100, 0}};
  Fixture f(table, yaml);
  f.clock.Set(kT0 - 20 * 60'000);
  REQUIRE(f.Queued("before", "india", -40 * 60'000).outcome == Outcome::kApplied);  // 09:20Z
  REQUIRE(f.Queued("inside", "india", -20 * 60'000).outcome == Outcome::kApplied);  // 09:40Z
  const uint32_t qc = f.QcIndex("india");
  CHECK(f.core.models().forecast.IntervalStart(qc, kT0) == kT0 - k30m);
  CHECK(f.core.models().forecast.Figures(qc, kT0).interval_offered == 1);
  CHECK(f.core.models().forecast.Figures(qc, kT0).has_row);
}

TEST_CASE("the figures are in /metrics and /api/v1/queues") {
  Fixture f;
  f.Offer(60, 60'000);
  f.At(k30m / 2);
  const std::string metrics = f.Metrics();
  CHECK(
      metrics.find("floorwatch_queue_forecast_required_agents{queue=\"q\",channel=\"voice\"} 14") !=
      std::string::npos);
  CHECK(metrics.find("floorwatch_queue_interval_offered{queue=\"q\",channel=\"voice\"} 60") !=
        std::string::npos);
  const std::string json = f.QueuesJson();
  CHECK(json.find("\"forecast\":{\"forecast_offered\":100,") != std::string::npos);
  CHECK(json.find("\"interval_offered\":60,") != std::string::npos);
}

TEST_CASE("volume against the forecast is an alert measure resting on the interval's contacts") {
  Fixture f;
  f.Offer(60, 60'000);
  const Reading r = f.core.models().forecast.Measure(4, f.QcIndex("q"), 0, kT0 + k30m / 2);
  CHECK(r.value == doctest::Approx(0.2));
  CHECK(r.contacts == 60);
  REQUIRE(FindMeasureDef("forecast_deviation_ratio") != nullptr);
  REQUIRE(FindMeasureDef("schedule_gap_agents") != nullptr);
}

TEST_CASE("a reload with another forecast changes the figures at once") {
  Fixture f;
  Config config = ConfigFrom(kStaffingConfig);
  auto doubled = std::make_shared<Forecast>(*Table());
  doubled->series[{"q", Channel::kVoice}][0].offered = 200;
  config.forecast.table = doubled;
  f.core.Reconfigure(config);
  CHECK(f.At(60'000).offered == 200);
}

TEST_CASE("a restored core counts the interval's contacts as the original did") {
  Fixture f;
  f.Offer(7, 60'000);
  f.At(120'000);
  std::string bytes;
  SaveSnapshot(f.core, {}, bytes);
  Fixture restored;
  restored.clock.Set(f.clock.NowMs());
  SnapshotMeta meta;
  std::string error;
  REQUIRE_MESSAGE(LoadSnapshot(bytes, restored.core, &meta, &error) == SnapshotLoad::kOk, error);
  CHECK(restored.At(120'000).interval_offered == 7);
  CHECK(RenderAll(restored.core, kT0 + 120'000) == RenderAll(f.core, kT0 + 120'000));
}
