// Snapshots: a restored core is indistinguishable from the original, now and afterwards.
#include "floorwatch/snapshot.h"

#include "core_fixture.h"
#include "event_script.h"
#include "floorwatch/json_api.h"
#include "floorwatch/metrics_text.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

const char* kConfig = R"(
windows: [15m, 1h, today]
queues:
  - id: q0
    service_level: {threshold_seconds: 30}
  - id: q1
)";

std::string Render(Core& core, int64_t now) {
  core.Tick(now);
  std::string metrics, json;
  RenderMetrics(core, DaemonInfo{}, now, metrics);
  RenderQueuesJson(core, now, json);
  return metrics + json;
}

// The first line where two renders differ (empty when equal): a readable failure message.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t start = 0;
  while (start < a.size() || start < b.size()) {
    const size_t ea = std::min(a.find('\n', start), a.size());
    const size_t eb = std::min(b.find('\n', start), b.size());
    if (a.compare(start, ea - start, b, start, eb - start) != 0) {
      return a.substr(start, std::min<size_t>(ea - start, 300)) + "  <>  " +
             b.substr(start, std::min<size_t>(eb - start, 300));
    }
    start = ea + 1;
  }
  return "";
}

void Feed(Core& core, EventScript& script, int events) {
  for (int i = 0; i < events; ++i) {
    const std::string payload = script.Next();
    core.OnPayload(payload, script.now_ms() + 50);
    if (i % 10 == 0) core.Tick(script.now_ms() + 50);
  }
}

}  // namespace

TEST_CASE("a restored core renders exactly what the saved one did") {
  Core original(ConfigFrom(kConfig));
  EventScript script(7, kT0);
  Feed(original, script, 20'000);
  std::string bytes;
  SaveSnapshot(original, SnapshotMeta{.journal_generation = 3, .written_ms = kT0}, bytes);

  Core restored(ConfigFrom(kConfig));
  SnapshotMeta meta;
  std::string error;
  REQUIRE_MESSAGE(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kOk, error);
  CHECK(meta.journal_generation == 3);
  const int64_t now = script.now_ms() + 1000;
  CHECK(FirstDifference(Render(restored, now), Render(original, now)) == "");
  CHECK(original.contacts().size() > 100);  // the script leaves plenty in flight
}

TEST_CASE("a restored core goes on exactly like the saved one") {
  Core original(ConfigFrom(kConfig));
  EventScript script(11, kT0);
  Feed(original, script, 10'000);
  std::string bytes;
  SaveSnapshot(original, {}, bytes);
  Core restored(ConfigFrom(kConfig));
  SnapshotMeta meta;
  std::string error;
  REQUIRE(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kOk);

  EventScript twin = script;  // the same continuation for both
  Feed(original, script, 10'000);
  Feed(restored, twin, 10'000);
  // Past the 1h window and into the next day: windows expire identically too.
  for (int64_t later : {int64_t{0}, int64_t{3'600'000}, int64_t{86'400'000}}) {
    const int64_t now = script.now_ms() + later;
    CHECK(FirstDifference(Render(restored, now), Render(original, now)) == "");
  }
  CHECK(restored.stats().duplicate == original.stats().duplicate);
}

TEST_CASE("a snapshot with a flipped byte is refused before any state changes") {
  Core original(ConfigFrom(kConfig));
  EventScript script(3, kT0);
  Feed(original, script, 2000);
  std::string bytes;
  SaveSnapshot(original, {}, bytes);
  for (size_t pos : {size_t{0}, size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[pos] ^= 0x20;
    Core restored(ConfigFrom(kConfig));
    SnapshotMeta meta;
    std::string error;
    CHECK(LoadSnapshot(damaged, restored, &meta, &error) == SnapshotLoad::kDamaged);
    CHECK(!error.empty());
    CHECK(restored.stats().received == 0);
    CHECK(restored.contacts().size() == 0);
  }
}

TEST_CASE("a truncated snapshot is refused") {
  Core original(ConfigFrom(kConfig));
  EventScript script(5, kT0);
  Feed(original, script, 500);
  std::string bytes;
  SaveSnapshot(original, {}, bytes);
  Core restored(ConfigFrom(kConfig));
  SnapshotMeta meta;
  std::string error;
  CHECK(LoadSnapshot(std::string_view(bytes).substr(0, bytes.size() - 9), restored, &meta,
                     &error) == SnapshotLoad::kDamaged);
}

TEST_CASE("windows restart empty when the window list changed since the snapshot") {
  Core original(ConfigFrom(kConfig));
  EventScript script(9, kT0);
  Feed(original, script, 3000);
  std::string bytes;
  SaveSnapshot(original, {}, bytes);
  Core restored(ConfigFrom("windows: [30m, today]\n"));
  SnapshotMeta meta;
  std::string error;
  REQUIRE_MESSAGE(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kOk, error);
  const uint32_t q = restored.queues().Find("q1");
  REQUIRE(q != kNoSlot);
  const QueueChannel& qc = restored.queue_channels()[restored.queues()[q].channels[0]];
  CHECK(qc.totals.offered > 0);                     // counters continue
  CHECK(restored.WindowTally(qc, 0).offered == 0);  // the new 30m window starts empty
  CHECK(restored.WindowTally(qc, 1).offered > 0);   // today is kept
}
