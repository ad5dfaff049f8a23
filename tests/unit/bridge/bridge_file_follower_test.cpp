// Following queue_log as tail -F does (bridge/io/file_follower.cpp), on real files.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "floorwatch/bridge/io/file_follower.h"
#include "temp_dir.h"

using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

namespace {

struct Reader {
  FileFollower follower;
  std::vector<std::string> lines;
  size_t too_long = 0;
  explicit Reader(const std::string& path) : follower(path, 32) {}
  std::vector<std::string> Read(bool eof_is_end_of_line = false) {
    lines.clear();
    follower.Read(
        [&](const FollowedLine& l) {
          if (l.too_long)
            ++too_long;
          else
            lines.emplace_back(l.text);
          CHECK(l.end == follower.position());
        },
        1 << 20, eof_is_end_of_line);
    return lines;
  }
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("complete lines are handed out; a partial one waits for its newline") {
  TempDir dir;
  Write(dir / "q", "a|1\nb|2\nc|");
  Reader r(dir / "q");
  r.follower.Start({}, false);
  CHECK(r.Read() == Lines{"a|1", "b|2"});
  CHECK(r.follower.position().offset == 8);
  CHECK(r.Read().empty());
  Write(dir / "q", "3\nd|4\n");
  CHECK(r.Read() == Lines{"c|3", "d|4"});
  CHECK(r.follower.stats().pending_bytes == 0);
}

TEST_CASE("a rename rotation: the old file is finished, then the new one read from its start") {
  TempDir dir;
  Write(dir / "q", "old-1\n");
  Reader r(dir / "q");
  r.follower.Start({}, false);
  CHECK(r.Read() == Lines{"old-1"});
  std::filesystem::rename(dir / "q", dir / "q.1");
  Write(dir / "q.1", "old-2\n");      // the writer still had the old file open
  CHECK(r.Read() == Lines{"old-2"});  // FILE missing for now: keep reading the old one
  Write(dir / "q", "new-1\nnew-2\n");
  CHECK(r.Read() == Lines{"new-1", "new-2"});
  CHECK(r.follower.stats().rotations == 1);
}

TEST_CASE("a truncation: the file is read again from its start") {
  TempDir dir;
  Write(dir / "q", "line-1\nline-2\nline-3\n");
  Reader r(dir / "q");
  r.follower.Start({}, false);
  CHECK(r.Read().size() == 3);
  REQUIRE(truncate((dir / "q").c_str(), 0) == 0);
  Write(dir / "q", "after\n");
  CHECK(r.Read() == Lines{"after"});
  CHECK(r.follower.stats().truncations == 1);
}

TEST_CASE("a saved position goes on in the same file after its last line") {
  TempDir dir;
  Write(dir / "q", "a\nb\n");
  Reader first(dir / "q");
  first.follower.Start({}, false);
  first.Read();
  const FilePosition saved = first.follower.position();
  Write(dir / "q", "c\n");
  Reader second(dir / "q");
  second.follower.Start(saved, false);
  CHECK(second.follower.position() == saved);
  CHECK(second.Read() == Lines{"c"});
}

TEST_CASE("a saved position in a file rotated meanwhile: finish it beside FILE, then FILE") {
  TempDir dir;
  Write(dir / "q", "a\nb\n");
  Reader first(dir / "q");
  first.follower.Start({}, false);
  first.Read();
  const FilePosition saved = first.follower.position();
  Write(dir / "q", "c\n");
  std::filesystem::rename(dir / "q", dir / "q.1");
  Write(dir / "q", "d\n");
  Reader second(dir / "q");
  second.follower.Start(saved, false);
  CHECK(second.Read() == Lines{"c", "d"});
  CHECK(second.follower.stats().saved_file_lost == 0);
}

TEST_CASE("a saved position whose file is gone: FILE from its start, counted") {
  TempDir dir;
  Write(dir / "q", "a\n");
  Reader first(dir / "q");
  first.follower.Start({}, false);
  first.Read();
  const FilePosition saved = first.follower.position();
  std::filesystem::remove(dir / "q");
  Write(dir / "other", "keeps the inode from being reused\n");
  Write(dir / "q", "x\ny\n");
  Reader second(dir / "q");
  second.follower.Start(saved, false);
  CHECK(second.Read() == Lines{"x", "y"});
  CHECK(second.follower.stats().saved_file_lost == 1);
}

TEST_CASE("--from end starts after the last complete line, so a line being written is whole") {
  TempDir dir;
  Write(dir / "q", "old-1\nold-2\nhal");
  Reader r(dir / "q");
  r.follower.Start({}, true);
  CHECK(r.Read().empty());
  Write(dir / "q", "f\n");
  CHECK(r.Read() == Lines{"half"});
}

TEST_CASE("a line longer than the limit is dropped whole and what follows is intact") {
  TempDir dir;
  Write(dir / "q", std::string(40, 'x') + "\nok\n" + std::string(100, 'y'));
  Reader r(dir / "q");
  r.follower.Start({}, false);
  CHECK(r.Read() == Lines{"ok"});
  CHECK(r.too_long == 1);
  Write(dir / "q", "zz\nnext\n");
  CHECK(r.Read() == Lines{"next"});
  CHECK(r.too_long == 2);
}

TEST_CASE("at the end of the file an unterminated last line is a line when asked (--once)") {
  TempDir dir;
  Write(dir / "q", "a\nlast");
  Reader r(dir / "q");
  r.follower.Start({}, false);
  CHECK(r.Read(true) == Lines{"a", "last"});
  CHECK(r.follower.position().offset == 6);
}

TEST_CASE("a missing file is waited for") {
  TempDir dir;
  Reader r(dir / "q");
  r.follower.Start({}, false);
  CHECK(r.Read().empty());
  CHECK_FALSE(r.follower.stats().open);
  Write(dir / "q", "first\n");
  CHECK(r.Read() == Lines{"first"});
  CHECK(r.follower.stats().open);
}
