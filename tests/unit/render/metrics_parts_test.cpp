// /metrics rendered in parts (what a scrape does) against the whole body, and against the
// body the build before parts rendered from the same events.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "floorwatch/core/exposition.h"
#include "floorwatch/render/metrics_text.h"
#include "render/populated_core.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

std::string ReadFixture() {
  std::ifstream in(std::string(FLOORWATCH_SOURCE_DIR) +
                   "/tests/unit/render/fixtures/populated_metrics.txt");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string InParts(const Core& core, int64_t now) {
  std::string out;
  for (size_t part = 0; part < MetricsParts(core); ++part)
    RenderMetricsPart(core, PopulatedDaemonInfo(), part, now, out);
  return out;
}

}  // namespace

TEST_CASE("a populated core's /metrics is byte for byte what the build before parts rendered") {
  int64_t now;
  const auto core = PopulatedCore(&now);
  std::string whole;
  RenderMetrics(*core, PopulatedDaemonInfo(), now, whole);
  const std::string expected = ReadFixture();
  REQUIRE(expected.size() > 100'000);
  CHECK(whole == expected);
}

TEST_CASE("the parts one after another are the whole body") {
  int64_t now;
  const auto core = PopulatedCore(&now);
  CHECK(InParts(*core, now) == ReadFixture());
}

TEST_CASE("window rows are split in ranges of queue/channels, the family's header once") {
  int64_t now;
  auto core = PopulatedCore(&now);
  for (int q = 0; q < 300; ++q) {
    core->OnPayload(R"({"type":"contact.queued","ts":)" + std::to_string(now) + R"(,"contact":"r)" +
                        std::to_string(q) + R"(","queue":"r)" + std::to_string(q) + "\"}",
                    now);
  }
  core->Tick(now);
  REQUIRE(core->directory().size() > Core::kWindowRowsPerPart);
  const std::string parts = InParts(*core, now);
  std::string whole;
  RenderMetrics(*core, PopulatedDaemonInfo(), now, whole);
  CHECK(parts == whole);
  size_t headers = 0;
  for (size_t at = 0;
       (at = parts.find("# TYPE floorwatch_queue_window_contacts ", at)) != std::string::npos;
       ++at) {
    ++headers;
  }
  CHECK(headers == 1);
}

TEST_CASE("a sample's labels in two pieces are written joined") {
  std::string out;
  MetricWriter w(out);
  w.Sample("m", "queue=\"q\"", ",window=\"15m\"", 2.5);
  w.Sample("m", "", 3);
  CHECK(out == "m{queue=\"q\",window=\"15m\"} 2.5\nm 3\n");
}

TEST_CASE("a line longer than the writer's stack buffer is written whole") {
  std::string out;
  MetricWriter w(out);
  const std::string labels = "a=\"" + std::string(2000, 'x') + "\"";
  w.Sample("m", labels, -1e300);
  CHECK(out == "m{" + labels + "} -1e+300\n");
}
