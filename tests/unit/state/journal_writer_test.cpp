// The journal writer thread: frames reach the file in order; each fsync setting syncs when
// it says (batch: every round; interval: not again before the interval; never: only when a
// file is switched or closed).
#include "floorwatch/state/journal_writer.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace floorwatch;

namespace {

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/floorwatch-writer-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path); }
  int Open(const std::string& name) const {
    return open((path + "/" + name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0640);
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(path + "/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string path;
};

void WriteText(JournalWriter& writer, const std::string& text) {
  std::string frame = text;
  writer.Write(frame, 1);
  CHECK(frame.empty());  // handed back empty, to be reused
}

}  // namespace

TEST_CASE("frames are written in the order handed over and counted once written") {
  TempDir dir;
  JournalWriter writer(FsyncPolicy::kNever, 1000);
  writer.SwitchTo(dir.Open("a"));
  for (int i = 0; i < 100; ++i) WriteText(writer, std::to_string(i) + ",");
  writer.Drain();
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += std::to_string(i) + ",";
  CHECK(dir.Read("a") == expected);
  CHECK(writer.stats().records == 100);
  CHECK(writer.stats().bytes == expected.size());
  CHECK(writer.stats().errors == 0);
}

TEST_CASE("a switch sends later frames to the new file, after the earlier ones") {
  TempDir dir;
  JournalWriter writer(FsyncPolicy::kNever, 1000);
  writer.SwitchTo(dir.Open("a"));
  WriteText(writer, "one");
  writer.SwitchTo(dir.Open("b"));
  WriteText(writer, "two");
  writer.Drain();
  CHECK(dir.Read("a") == "one");
  CHECK(dir.Read("b") == "two");
}

TEST_CASE("fsync batch syncs every round of writes") {
  TempDir dir;
  JournalWriter writer(FsyncPolicy::kBatch, 1000);
  writer.SwitchTo(dir.Open("a"));
  writer.Drain();  // the new file's header is synced in that round
  const uint64_t before = writer.stats().syncs;
  for (int i = 0; i < 3; ++i) {
    WriteText(writer, "frame");
    writer.Drain();  // a round each
  }
  CHECK(writer.stats().syncs == before + 3);
}

TEST_CASE("fsync interval does not sync again before the interval has passed") {
  TempDir dir;
  JournalWriter writer(FsyncPolicy::kInterval, 60'000);
  writer.SwitchTo(dir.Open("a"));
  for (int i = 0; i < 3; ++i) {
    WriteText(writer, "frame");
    writer.Drain();
  }
  CHECK(writer.stats().syncs == 1);  // the first write: nothing synced for longer than 60 s
}

TEST_CASE("fsync never syncs only when it leaves a file") {
  TempDir dir;
  JournalWriter writer(FsyncPolicy::kNever, 1000);
  writer.SwitchTo(dir.Open("a"));
  WriteText(writer, "frame");
  writer.Drain();
  CHECK(writer.stats().syncs == 0);
  writer.SwitchTo(dir.Open("b"));
  writer.Drain();
  CHECK(writer.stats().syncs == 1);  // "a", before anything goes to "b"
}

TEST_CASE("a changed fsync setting applies from the next round") {
  TempDir dir;
  JournalWriter writer(FsyncPolicy::kNever, 1000);
  writer.SwitchTo(dir.Open("a"));
  WriteText(writer, "frame");
  writer.Drain();
  writer.SetPolicy(FsyncPolicy::kBatch, 1000);
  WriteText(writer, "frame");
  writer.Drain();
  CHECK(writer.stats().syncs == 1);
}

TEST_CASE("a write that fails is counted, not fatal") {
  TempDir dir;
  JournalWriter writer(FsyncPolicy::kNever, 1000);
  writer.SwitchTo(open((dir.path + "/a").c_str(), O_RDONLY | O_CREAT, 0640));  // not writable
  WriteText(writer, "frame");
  writer.Drain();
  CHECK(writer.stats().errors == 1);
  CHECK(writer.stats().records == 0);
}
