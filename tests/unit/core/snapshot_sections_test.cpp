// Snapshot sections: a model added later reads old state as empty, an unknown section is
// skipped with a note, a section newer than its model, or older than it reads, refuses the
// whole snapshot; an earlier version a model still reads restores the same.
#include <doctest/doctest.h>

#include <functional>

#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"
#include "support/event_script.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// Rewrites a snapshot's sections with `edit` (and a fresh checksum).
std::string EditSections(const std::string& bytes,
                         const std::function<void(std::vector<SnapshotSection>&)>& edit) {
  BinaryReader r(std::string_view(bytes).substr(6, bytes.size() - 10));
  REQUIRE(r.U32() == 2);
  const uint64_t generation = r.U64();
  const int64_t written = r.I64();
  std::vector<SnapshotSection> sections(r.U32());
  for (SnapshotSection& s : sections) {
    s.name = std::string(r.Str());
    s.version = r.U32();
    s.bytes = std::string(r.Bytes(r.U64()));
  }
  REQUIRE(!r.failed());
  edit(sections);
  std::string out = "FWSNAP";
  BinaryWriter w(out);
  w.U32(2);
  w.U64(generation);
  w.I64(written);
  w.U32(static_cast<uint32_t>(sections.size()));
  for (const SnapshotSection& s : sections) {
    w.Str(s.name);
    w.U32(s.version);
    w.U64(s.bytes.size());
    w.Bytes(s.bytes);
  }
  w.U32(Crc32c(out));
  return out;
}

struct Saved {
  Saved() : core(ConfigFrom("")), script(21, kT0) {
    for (int i = 0; i < 3000; ++i) core.OnPayload(script.Next(), script.now_ms());
    SaveSnapshot(core, {}, bytes);
  }
  Core core;
  EventScript script;
  std::string bytes;
};

// Loads `bytes` into `restored`, which must succeed; the notes it gave.
std::vector<std::string> LoadOk(const std::string& bytes, Core& restored) {
  SnapshotMeta meta;
  std::string error;
  std::vector<std::string> notes;
  REQUIRE_MESSAGE(LoadSnapshot(bytes, restored, &meta, &error, &notes) == SnapshotLoad::kOk, error);
  return notes;
}

}  // namespace

TEST_CASE("a section no model claims is skipped with a note, and the rest restores") {
  Saved saved;
  const std::string bytes = EditSections(saved.bytes, [](auto& sections) {
    sections.push_back({"from_a_newer_build", 3, "opaque bytes"});
  });
  Core restored(ConfigFrom(""));
  const std::vector<std::string> notes = LoadOk(bytes, restored);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("from_a_newer_build") != std::string::npos);
  const int64_t now = saved.script.now_ms() + 1000;
  CHECK(RenderAll(restored, now) == RenderAll(saved.core, now));
}

TEST_CASE("a model whose section is missing starts empty, with a note") {
  Saved saved;
  const std::string bytes = EditSections(saved.bytes, [](auto& sections) {
    std::erase_if(sections, [](const SnapshotSection& s) { return s.name == "agents"; });
  });
  Core restored(ConfigFrom(""));
  const std::vector<std::string> notes = LoadOk(bytes, restored);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("agents") != std::string::npos);
  CHECK(saved.core.models().agents.agents().size() > 0);
  CHECK(restored.models().agents.agents().size() == 0);
  CHECK(restored.models().contacts.contacts().size() ==
        saved.core.models().contacts.contacts().size());
}

TEST_CASE("a section newer than its model refuses the snapshot before anything changes") {
  Saved saved;
  const std::string bytes = EditSections(saved.bytes, [](auto& sections) {
    for (SnapshotSection& s : sections) {
      if (s.name == "contacts") s.version = 99;
    }
  });
  Core restored(ConfigFrom(""));
  SnapshotMeta meta;
  std::string error;
  CHECK(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kIncompatible);
  CHECK(error.find("contacts") != std::string::npos);
  CHECK(restored.stats().received == 0);
  CHECK(restored.directory().size() == 0);
}

TEST_CASE("a section older than its model reads refuses the snapshot before anything changes") {
  // Version 1 of feedback and teams held the closed contacts now in closed_contacts.
  for (const char* name : {"feedback", "teams"}) {
    CAPTURE(name);
    Saved saved;
    const std::string bytes = EditSections(saved.bytes, [&](auto& sections) {
      for (SnapshotSection& s : sections) {
        if (s.name == name) s.version = 1;
      }
    });
    Core restored(ConfigFrom(""));
    SnapshotMeta meta;
    std::string error;
    CHECK(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kIncompatible);
    CHECK(error == "snapshot section " + std::string(name) +
                       " has layout version 1, this build reads 2 to 2");
    CHECK(restored.directory().size() == 0);
  }
}

namespace {

// The customers section as version 1 wrote it: each customer's touched time in ms.
std::string CustomersVersion1(const std::string& version2) {
  BinaryReader r(version2);
  std::string out;
  BinaryWriter w(out);
  const uint64_t windows = r.U64();
  w.U64(windows);
  for (uint64_t i = 0; i < windows; ++i) w.I64(r.I64());
  w.U64(r.U64());  // forgotten
  const uint64_t customers = r.U64();
  w.U64(customers);
  for (uint64_t i = 0; i < customers; ++i) {
    w.U64(r.U64());
    w.I64(r.I64());
    w.I64(r.I64());
    w.I64(int64_t{r.U32()} * 1000);
  }
  w.Bytes(r.Bytes(r.remaining()));
  return out;
}

}  // namespace

TEST_CASE("a customers section of version 1 is still read, and repeats go on the same") {
  CoreFixture f("outcomes: {repeat_window: 2h}");
  f.Queued("c1", "q", 0, R"(,"customer":"cu-1")");
  f.On("escalated", "c1", 500);
  f.clock.Advance(1500);
  f.Queued("c2", "q", 1000, R"(,"customer":"cu-2")");
  std::string bytes;
  SaveSnapshot(f.core, {}, bytes);
  bytes = EditSections(bytes, [](auto& sections) {
    for (SnapshotSection& s : sections) {
      if (s.name == "customers") s.version = 1, s.bytes = CustomersVersion1(s.bytes);
    }
  });
  Core restored(ConfigFrom("outcomes: {repeat_window: 2h}"));
  LoadOk(bytes, restored);
  const int64_t now = f.clock.NowMs();
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  const std::string again = R"({"type":"contact.queued","ts":)" + std::to_string(kT0 + 2000) +
                            R"(,"contact":"c3","queue":"q","customer":"cu-1"})";
  f.Feed(again);
  restored.OnPayload(again, now);
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  CHECK(restored.models().customers.remembered() == 2);
}

TEST_CASE("a section that does not decode is a layout error naming it") {
  Saved saved;
  const std::string bytes = EditSections(saved.bytes, [](auto& sections) {
    for (SnapshotSection& s : sections) {
      if (s.name == "intake") s.bytes.pop_back();
    }
  });
  Core restored(ConfigFrom(""));
  SnapshotMeta meta;
  std::string error;
  CHECK(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kLayoutError);
  CHECK(error.find("intake") != std::string::npos);
}
