// The --state-dir files (bridge/io/state_store.cpp): restore after a kill at any point.
#include <doctest/doctest.h>

#include <filesystem>

#include "floorwatch/bridge/core/state_codec.h"
#include "floorwatch/bridge/io/state_store.h"
#include "floorwatch/core/binary_io.h"
#include "temp_dir.h"

using namespace floorwatch;
using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

namespace {

// An adapter whose state is the list of records it applied.
struct ListAdapter : Adapter {
  std::vector<std::string> applied;
  std::string_view platform() const override { return "test"; }
  void SaveState(std::string& out) const override {
    BinaryWriter w(out);
    w.U64(applied.size());
    for (const std::string& a : applied) w.Str(a);
  }
  bool LoadState(std::string_view state, std::string* error) override {
    BinaryReader r(state);
    applied.clear();
    for (uint64_t n = r.Count(4); n > 0 && !r.failed(); --n) applied.emplace_back(r.Str());
    return !r.failed() || (*error = "bad state", false);
  }
  bool Redo(std::string_view redo) override { return applied.emplace_back(redo), true; }
  bool Open(std::string*) override { return true; }
  bool Poll(RecordSink&, int) override { return false; }
  void Figures(std::vector<Figure>&) const override {}
};

// What a bridge run did: records applied to the adapter and journaled with their events.
struct Run {
  ListAdapter adapter;
  ReplayRing ring{100};
  uint64_t next_seq = 0;
  std::unique_ptr<StateStore> store;

  Run(const std::string& dir, size_t capacity = 100) : ring(capacity) {
    store = std::make_unique<StateStore>(dir, capacity);
    std::string error;
    REQUIRE(store->Restore(adapter, ring, &next_seq, &error));
  }
  void Record(const std::string& redo, int events) {
    adapter.applied.push_back(redo);
    std::vector<BufferedEvent> out;
    for (int i = 0; i < events; ++i)
      out.push_back({next_seq++, "t", redo + "/" + std::to_string(i)});
    store->Append(redo, out);
  }
};

std::vector<uint64_t> Seqs(const ReplayRing& ring) {
  std::vector<uint64_t> seqs;
  for (const BufferedEvent& e : ring.events()) seqs.push_back(e.seq);
  return seqs;
}

}  // namespace

TEST_CASE("a fresh directory starts at seq 1 with an empty buffer and a snapshot") {
  TempDir dir;
  Run run(dir / "state");
  CHECK(run.next_seq == 1);
  CHECK(run.ring.size() == 0);
  CHECK(std::filesystem::exists(dir / "state/snapshot"));
}

TEST_CASE("killed before any snapshot: every journaled record is redone, its events buffered") {
  TempDir dir;
  {
    Run run(dir.path());
    run.Record("r1", 2);
    run.Record("r2", 0);
    run.Record("r3", 1);
    REQUIRE(run.store->Flush());
  }  // gone without a snapshot, as after kill -9
  Run again(dir.path());
  CHECK(again.adapter.applied == std::vector<std::string>{"r1", "r2", "r3"});
  CHECK(again.next_seq == 4);
  CHECK(Seqs(again.ring) == std::vector<uint64_t>{1, 2, 3});
  CHECK(again.ring.events()[2].payload == "r3/0");
}

TEST_CASE("records before the snapshot are not redone twice; their events stay buffered") {
  TempDir dir;
  {
    Run run(dir.path());
    run.Record("r1", 1);
    REQUIRE(run.store->Snapshot(run.adapter, run.next_seq));
    run.Record("r2", 1);
    run.store->Flush();
  }
  Run again(dir.path());
  CHECK(again.adapter.applied == std::vector<std::string>{"r1", "r2"});
  CHECK(Seqs(again.ring) == std::vector<uint64_t>{1, 2});
  CHECK(again.next_seq == 3);
}

TEST_CASE("records buffered but never flushed are not there (nothing of them was published)") {
  TempDir dir;
  {
    Run run(dir.path());
    run.Record("r1", 1);
    run.store->Flush();
    run.Record("r2", 1);
  }
  Run again(dir.path());
  CHECK(again.adapter.applied == std::vector<std::string>{"r1"});
  CHECK(again.next_seq == 2);
}

TEST_CASE("a record torn by a kill mid-write is ignored; the good ones before it stay") {
  TempDir dir;
  {
    Run run(dir.path());
    run.Record("r1", 1);
    run.store->Flush();
  }
  std::string last;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename();
    if (name.rfind("journal-", 0) == 0 && name > last) last = name;
  }
  std::string torn;
  AppendJournalRecord(torn, "r2", std::vector<BufferedEvent>{{2, "t", "r2/0"}});
  Write(dir / last, torn.substr(0, torn.size() - 3));
  Run again(dir.path());
  CHECK(again.adapter.applied == std::vector<std::string>{"r1"});
  CHECK(again.next_seq == 2);
}

TEST_CASE("journals are deleted once the buffer no longer needs their events") {
  TempDir dir;
  Run run(dir.path(), 3);
  for (int i = 0; i < 10; ++i) {
    run.Record("r" + std::to_string(i), 1);
    REQUIRE(run.store->Snapshot(run.adapter, run.next_seq));
  }
  size_t journals = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    journals += entry.path().filename().string().rfind("journal-", 0) == 0;
  }
  CHECK(journals <= 4);  // three with the newest three events, and the open one
  Run again(dir.path(), 3);
  CHECK(Seqs(again.ring) == std::vector<uint64_t>{8, 9, 10});
  CHECK(again.adapter.applied.size() == 10);
}

TEST_CASE("a damaged snapshot is set aside and the journals alone are redone") {
  TempDir dir;
  {
    Run run(dir.path());
    run.Record("r1", 1);
    run.store->Flush();
  }
  Write(dir / "snapshot", "garbage", false);
  Run again(dir.path());
  CHECK(std::filesystem::exists(dir / "snapshot.bad"));
  CHECK(again.adapter.applied == std::vector<std::string>{"r1"});
}

TEST_CASE("an unusable directory stops start-up with the reason") {
  TempDir dir;
  Write(dir / "file", "x");
  ListAdapter adapter;
  ReplayRing ring(10);
  uint64_t next_seq = 0;
  std::string error;
  StateStore store(dir / "file/state", 10);
  CHECK_FALSE(store.Restore(adapter, ring, &next_seq, &error));
  CHECK(error.find("state dir") != std::string::npos);
}
