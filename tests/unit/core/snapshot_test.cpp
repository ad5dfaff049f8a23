// Snapshots: a restored core is indistinguishable from the original, now and afterwards.
#include "floorwatch/core/snapshot.h"

#include "support/core_fixture.h"
#include "support/event_script.h"
#include "support/render_all.h"

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

// The snapshot of a core fed `events` events of the script with this seed.
std::string SavedAfter(uint64_t seed, int events) {
  Core original(ConfigFrom(kConfig));
  EventScript script(seed, kT0);
  Feed(original, script, events);
  std::string bytes;
  SaveSnapshot(original, {}, bytes);
  return bytes;
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
  CHECK(FirstDifference(RenderAll(restored, now), RenderAll(original, now)) == "");
  CHECK(original.models().contacts.contacts().size() > 100);  // the script leaves plenty in flight
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
    CHECK(FirstDifference(RenderAll(restored, now), RenderAll(original, now)) == "");
  }
  CHECK(restored.stats().duplicate == original.stats().duplicate);
}

TEST_CASE("a snapshot with a flipped byte is refused before any state changes") {
  const std::string bytes = SavedAfter(3, 2000);
  for (size_t pos : {size_t{0}, size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[pos] ^= 0x20;
    Core restored(ConfigFrom(kConfig));
    SnapshotMeta meta;
    std::string error;
    CHECK(LoadSnapshot(damaged, restored, &meta, &error) == SnapshotLoad::kDamaged);
    CHECK(!error.empty());
    CHECK(restored.stats().received == 0);
    CHECK(restored.models().contacts.contacts().size() == 0);
  }
}

TEST_CASE("a truncated snapshot is refused") {
  const std::string bytes = SavedAfter(5, 500);
  Core restored(ConfigFrom(kConfig));
  SnapshotMeta meta;
  std::string error;
  CHECK(LoadSnapshot(std::string_view(bytes).substr(0, bytes.size() - 9), restored, &meta,
                     &error) == SnapshotLoad::kDamaged);
}

TEST_CASE("windows restart empty when the window list changed since the snapshot") {
  const std::string bytes = SavedAfter(9, 3000);
  Core restored(ConfigFrom("windows: [30m, today]\n"));
  SnapshotMeta meta;
  std::string error;
  REQUIRE_MESSAGE(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kOk, error);
  const uint32_t qc = restored.directory().Find("q1", Channel::kVoice);
  REQUIRE(qc != kNoSlot);
  const ServiceLevelModel& sl = restored.models().service_level;
  CHECK(sl.Totals(qc).offered > 0);           // counters continue
  CHECK(sl.WindowTally(qc, 0).offered == 0);  // the new 30m window starts empty
  CHECK(sl.WindowTally(qc, 1).offered > 0);   // today is kept
}

TEST_CASE("a queue no contact has reached, known from an agent's membership, is restored") {
  Core original(ConfigFrom(""));
  original.OnPayload(R"({"type":"contact.queued","ts":1795428000000,"contact":"c1","queue":"a"})",
                     kT0);
  original.OnPayload(
      R"({"type":"agent.login","ts":1795428000000,"agent":"x","queues":["only-agents","a"]})", kT0);
  original.OnPayload(R"({"type":"contact.queued","ts":1795428000000,"contact":"c2","queue":"b"})",
                     kT0);
  std::string bytes;
  SaveSnapshot(original, {}, bytes);
  Core restored(ConfigFrom(""));
  SnapshotMeta meta;
  std::string error;
  REQUIRE(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kOk);
  CHECK(restored.directory().FindQueue("only-agents") != kNoSlot);
  CHECK(RenderAll(restored, kT0 + 1000) == RenderAll(original, kT0 + 1000));
}
