#include "floorwatch/render/metrics_text.h"

#include <doctest/doctest.h>

#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {
std::string Render(CoreFixture& f) {
  f.core.Tick(f.clock.NowMs());
  std::string out;
  RenderMetrics(f.core, DaemonInfo{}, f.clock.NowMs(), out);
  return out;
}
bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}
}  // namespace

TEST_CASE("per queue and channel series carry exact names, labels and values") {
  CoreFixture f("queues: [{id: sales, labels: {site: berlin}}]");
  f.Queued("c1", "sales", 0);
  f.Queued("c2", "sales", 0);
  f.Answered("c1", 12'000);
  f.clock.Advance(30'000);
  const std::string m = Render(f);
  CHECK(Has(m, R"(floorwatch_queue_waiting_contacts{queue="sales",channel="voice"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_oldest_wait_seconds{queue="sales",channel="voice"} 30)"));
  CHECK(Has(m, R"(floorwatch_queue_active_contacts{queue="sales",channel="voice"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_offered_total{queue="sales",channel="voice"} 2)"));
  CHECK(Has(m, R"(floorwatch_queue_answered_in_sl_total{queue="sales",channel="voice"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_wait_seconds_bucket{queue="sales",channel="voice",le="15"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_wait_seconds_bucket{queue="sales",channel="voice",le="10"} 0)"));
  CHECK(
      Has(m, R"(floorwatch_queue_wait_seconds_bucket{queue="sales",channel="voice",le="+Inf"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_wait_seconds_sum{queue="sales",channel="voice"} 12)"));
  CHECK(Has(m, R"(floorwatch_queue_wait_seconds_count{queue="sales",channel="voice"} 1)"));
  CHECK(Has(
      m, R"(floorwatch_queue_service_level_threshold_seconds{queue="sales",channel="voice"} 20)"));
  CHECK(Has(m, R"(floorwatch_queue_service_level_target{queue="sales",channel="voice"} 0.8)"));
  CHECK(Has(
      m,
      R"(floorwatch_queue_window_contacts{queue="sales",channel="voice",window="15m",outcome="offered"} 2)"));
  CHECK(Has(
      m,
      R"(floorwatch_queue_window_contacts{queue="sales",channel="voice",window="today",outcome="answered"} 1)"));
  CHECK(Has(
      m, R"(floorwatch_queue_service_level_ratio{queue="sales",channel="voice",window="1h"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_abandon_ratio{queue="sales",channel="voice",window="15m"} 0)"));
  CHECK(Has(m, R"(floorwatch_queue_asa_seconds{queue="sales",channel="voice",window="15m"} 12)"));
  CHECK(Has(m, R"(floorwatch_queue_aht_seconds{queue="sales",channel="voice",window="15m"} NaN)"));
  CHECK(Has(m, R"(floorwatch_queue_info{queue="sales",site="berlin"} 1)"));
}

TEST_CASE("daemon series: received, applied, rejected by reason, duplicates, gaps, build info") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"source":"acd","seq":1,"id":"e1")");
  f.Queued("c1", "q", 0, R"(,"source":"acd","seq":5,"id":"e1")");
  f.Feed("garbage");
  const std::string m = Render(f);
  CHECK(Has(m, "floorwatch_events_received_total 3"));
  CHECK(Has(m, "floorwatch_events_applied_total 1"));
  CHECK(Has(m, "floorwatch_events_duplicate_total 1"));
  CHECK(Has(m, R"(floorwatch_events_rejected_total{reason="parse"} 1)"));
  CHECK(Has(m, R"(floorwatch_events_rejected_total{reason="limit"} 0)"));
  CHECK(Has(m, R"(floorwatch_events_gap_total{source="acd"} 3)"));
  CHECK(Has(m, R"(floorwatch_build_info{version=")" FLOORWATCH_VERSION R"("} 1)"));
  CHECK(Has(m, "floorwatch_config_last_reload_successful 1"));
}

TEST_CASE("agents are counted per queue in each state and once globally") {
  CoreFixture f;
  f.Agent("login", "a1", R"(,"queues":["q1","q2"])");
  f.Agent("state", "a1", R"(,"state":"available")");
  f.Agent("login", "a2", R"(,"queues":["q1"])");
  const std::string m = Render(f);
  CHECK(Has(m, R"(floorwatch_queue_agents{queue="q1",state="available"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_agents{queue="q1",state="not_ready"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_agents{queue="q2",state="available"} 1)"));
  CHECK(Has(m, R"(floorwatch_agents{state="available"} 1)"));
  CHECK(Has(m, R"(floorwatch_agents{state="not_ready"} 1)"));
}

TEST_CASE("every family has HELP and TYPE exactly once") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  const std::string m = Render(f);
  for (const char* family : {"floorwatch_queue_waiting_contacts", "floorwatch_queue_wait_seconds",
                             "floorwatch_queue_window_contacts", "floorwatch_agents"}) {
    const std::string type = std::string("# TYPE ") + family + " ";
    CHECK(m.find(type) != std::string::npos);
    CHECK(m.find(type) == m.rfind(type));
  }
}
