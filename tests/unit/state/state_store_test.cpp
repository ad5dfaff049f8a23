// Durable state on disk: journal + snapshot restore exactly; damage is survived and counted.
#include "floorwatch/state/state_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/core_fixture.h"
#include "support/event_script.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;
namespace fs = std::filesystem;

namespace {

const char* kConfig = "windows: [15m, 1h, today]\n";

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/floorwatch-state-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string path;
};

constexpr FsyncPolicy kPolicies[] = {FsyncPolicy::kBatch, FsyncPolicy::kInterval,
                                     FsyncPolicy::kNever};

// A core journaling into a store, as the core loop wires them.
struct Journaled {
  explicit Journaled(const std::string& dir, FsyncPolicy fsync = FsyncPolicy::kInterval)
      : core(ConfigFrom(kConfig)), store(dir, fsync, 1000) {
    std::string error;
    REQUIRE(store.Restore(core, kT0, &error));
    core.set_input_log([this](int64_t now, std::string_view p, std::optional<RejectReason> m) {
      store.Append(now, p, m);
    });
  }
  void Feed(EventScript& script, int events) {
    for (int i = 0; i < events; ++i) {
      const std::string payload = script.Next();
      core.OnPayload(payload, script.now_ms() + 20);
      if (i % 7 == 0) {
        core.Tick(script.now_ms() + 20);
        store.AppendTick(script.now_ms() + 20);
      }
      if (i % 50 == 0) store.Flush();
    }
    store.Drain();  // written by the writer thread before anyone reads the files
  }
  // `before` events, a snapshot, then `after` more (journaled past the snapshot).
  void FeedAcrossSnapshot(EventScript& script, int before, int after) {
    Feed(script, before);
    REQUIRE(store.Snapshot(core, script.now_ms()));
    Feed(script, after);
  }
  Core core;
  StateStore store;
};

std::string Restored(const std::string& dir, int64_t now, StateStoreStats* stats = nullptr) {
  Core core(ConfigFrom(kConfig));
  StateStore store(dir);
  std::string error;
  REQUIRE_MESSAGE(store.Restore(core, kT0, &error), error);
  if (stats != nullptr) *stats = store.stats();
  return RenderAll(core, now);
}

std::vector<fs::path> Journals(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind("journal-", 0) == 0) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("state is restored exactly from the journal alone") {
  TempDir dir;
  EventScript script(1, kT0);
  Journaled live(dir.path);
  live.Feed(script, 5000);
  const int64_t now = script.now_ms() + 500;
  StateStoreStats stats;
  CHECK(Restored(dir.path, now, &stats) == RenderAll(live.core, now));
  CHECK(stats.restored_records >= 5000);
  CHECK(stats.discarded_bytes == 0);
}

TEST_CASE("state is restored exactly from a snapshot plus the journal after it") {
  TempDir dir;
  EventScript script(2, kT0);
  Journaled live(dir.path);
  live.FeedAcrossSnapshot(script, 3000, 3000);
  const int64_t now = script.now_ms() + 500;
  StateStoreStats stats;
  CHECK(Restored(dir.path, now, &stats) == RenderAll(live.core, now));
  CHECK(stats.restored_records > 3000);
  CHECK(stats.restored_records < 4000);  // only the journal since the snapshot
}

TEST_CASE("a snapshot cuts the journals it contains") {
  TempDir dir;
  EventScript script(3, kT0);
  Journaled live(dir.path);
  live.Feed(script, 1000);
  const auto before = Journals(dir.path);
  REQUIRE(before.size() == 1);
  REQUIRE(live.store.Snapshot(live.core, script.now_ms()));
  const auto after = Journals(dir.path);
  REQUIRE(after.size() == 1);
  CHECK(after[0] != before[0]);
  CHECK(fs::file_size(after[0]) == 8);  // the new journal holds only its header
  CHECK(fs::exists(dir.path + "/snapshot"));
  CHECK_FALSE(fs::exists(dir.path + "/snapshot.tmp"));
}

TEST_CASE("a torn journal tail loses only its last batch, with every fsync setting") {
  for (const FsyncPolicy fsync : kPolicies) {
    CAPTURE(static_cast<int>(fsync));
    TempDir dir;
    EventScript script(4, kT0);
    EventScript twin = script;
    {
      Journaled live(dir.path, fsync);
      live.Feed(script, 2000);
    }
    const fs::path journal = Journals(dir.path).back();
    fs::resize_file(journal, fs::file_size(journal) - 3);  // cut inside the last frame

    // The last frame was the batch after the flush at event 1950: a core fed 1951 matches.
    Core expected(ConfigFrom(kConfig));
    for (int i = 0; i <= 1950; ++i) {
      const std::string payload = twin.Next();
      expected.OnPayload(payload, twin.now_ms() + 20);
      if (i % 7 == 0) expected.Tick(twin.now_ms() + 20);
    }
    const int64_t now = twin.now_ms() + 5000;
    StateStoreStats stats;
    CHECK(Restored(dir.path, now, &stats) == RenderAll(expected, now));
    CHECK(stats.discarded_bytes > 0);
  }
}

TEST_CASE("snapshot plus journal restore exactly with every fsync setting") {
  for (const FsyncPolicy fsync : kPolicies) {
    CAPTURE(static_cast<int>(fsync));
    TempDir dir;
    EventScript script(8, kT0);
    Journaled live(dir.path, fsync);
    live.FeedAcrossSnapshot(script, 1000, 1000);
    const int64_t now = script.now_ms() + 500;
    CHECK(Restored(dir.path, now) == RenderAll(live.core, now));
  }
}

TEST_CASE("a journal of an unknown format version stops start-up and names the version") {
  TempDir dir;
  {
    std::ofstream f(dir.path + "/journal-00000000000000000001.log", std::ios::binary);
    f << "FWJRNL9\n" << std::string(20, '\0');
  }
  Core core(ConfigFrom(kConfig));
  StateStore store(dir.path);
  std::string error;
  CHECK_FALSE(store.Restore(core, kT0, &error));
  CHECK(error.find("version 9") != std::string::npos);
  CHECK(error.find("journal-00000000000000000001.log") != std::string::npos);
}

TEST_CASE("a corrupt journal record ends the replay there, without a crash") {
  TempDir dir;
  EventScript script(5, kT0);
  {
    Journaled live(dir.path);
    live.Feed(script, 2000);
  }
  const fs::path journal = Journals(dir.path).back();
  const auto size = fs::file_size(journal);
  {
    std::fstream f(journal, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.put('\x7f');
  }
  StateStoreStats stats;
  Restored(dir.path, script.now_ms(), &stats);
  CHECK(stats.restored_records > 500);
  CHECK(stats.restored_records < 2000);
  CHECK(stats.discarded_bytes > 0);
  CHECK(stats.discarded_bytes < size);
}

TEST_CASE("a snapshot with a bad checksum is set aside and the journals still apply") {
  TempDir dir;
  EventScript script(6, kT0);
  {
    Journaled live(dir.path);
    live.FeedAcrossSnapshot(script, 1000, 500);
  }
  {
    std::fstream f(dir.path + "/snapshot", std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(40);
    const char byte = static_cast<char>(f.get());
    f.seekp(40);
    f.put(static_cast<char>(~byte));  // flipped, whatever it was
  }
  StateStoreStats stats;
  Restored(dir.path, script.now_ms(), &stats);
  CHECK(stats.damaged_snapshots == 1);
  CHECK(fs::exists(dir.path + "/snapshot.bad"));
  CHECK(stats.restored_records >= 500);
}

TEST_CASE("restoring twice in a row gives the same state (restore takes its own snapshot)") {
  TempDir dir;
  EventScript script(7, kT0);
  {
    Journaled live(dir.path);
    live.Feed(script, 1500);
  }
  const int64_t now = script.now_ms() + 100;
  const std::string first = Restored(dir.path, now);
  StateStoreStats stats;
  CHECK(Restored(dir.path, now, &stats) == first);
  CHECK(stats.restored_records == 0);  // everything was in the snapshot the first restore wrote
}

TEST_CASE("an unusable state directory stops start-up with the reason") {
  Core core(ConfigFrom(kConfig));
  StateStore store("/proc/floorwatch-no-such-dir");
  std::string error;
  CHECK_FALSE(store.Restore(core, kT0, &error));
  CHECK(error.find("state.dir") != std::string::npos);
}

TEST_CASE("journal records count as written only once the batch is written") {
  TempDir dir;
  Core core(ConfigFrom(kConfig));
  StateStore store(dir.path);
  std::string error;
  REQUIRE(store.Restore(core, kT0, &error));
  store.Append(kT0, R"({"type":"agent.login","ts":1,"agent":"a"})", std::nullopt);
  store.Append(kT0, {}, RejectReason::kFrames);
  store.AppendTick(kT0);
  CHECK(store.stats().journal_records == 0);
  store.Drain();
  CHECK(store.stats().journal_records == 2);  // the tick is not a message
  CHECK(store.stats().journal_bytes > 0);
}
