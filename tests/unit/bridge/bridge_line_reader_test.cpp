// --stdin's reader (bridge/io/line_reader.cpp) on a real pipe.
#include <doctest/doctest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "floorwatch/bridge/io/line_reader.h"

using namespace floorwatch::bridge;

namespace {

struct Pipe {
  int fds[2];
  Pipe() { REQUIRE(pipe(fds) == 0); }
  ~Pipe() {
    close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
  }
  void Write(const std::string& s) {
    REQUIRE(write(fds[1], s.data(), s.size()) == ssize_t(s.size()));
  }
  void CloseWriter() {
    close(fds[1]);
    fds[1] = -1;
  }
};

std::vector<std::string> ReadAll(LineReader& reader) {
  std::vector<std::string> lines;
  reader.Read([&](std::string_view l,
                  bool too_long) { lines.push_back(too_long ? "<too long>" : std::string(l)); },
              1 << 20);
  return lines;
}

}  // namespace

TEST_CASE("complete lines are handed over as they come; a partial one waits for its newline") {
  Pipe p;
  LineReader reader(p.fds[0]);
  p.Write("{\"a\":1}\n{\"b\"");
  CHECK(ReadAll(reader) == std::vector<std::string>{"{\"a\":1}"});
  CHECK(ReadAll(reader).empty());  // nothing more there: it does not block
  p.Write(":2}\n");
  CHECK(ReadAll(reader) == std::vector<std::string>{"{\"b\":2}"});
  CHECK_FALSE(reader.at_end());
}

TEST_CASE("at the end of the input an unterminated last line counts") {
  Pipe p;
  LineReader reader(p.fds[0]);
  p.Write("one\ntwo");
  p.CloseWriter();
  CHECK(ReadAll(reader) == std::vector<std::string>{"one", "two"});
  CHECK(reader.at_end());
  CHECK(ReadAll(reader).empty());
}

TEST_CASE("a line over the limit is reported once and skipped whole") {
  Pipe p;
  LineReader reader(p.fds[0], 16);
  p.Write(std::string(40, 'x'));
  CHECK(ReadAll(reader) == std::vector<std::string>{"<too long>"});
  p.Write(std::string(40, 'x') + "\nafter\n");
  CHECK(ReadAll(reader) == std::vector<std::string>{"after"});
}
