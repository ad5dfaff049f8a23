// --stdin: JSON lines from a file descriptor (standard input: a pipe from a Kinesis
// consumer, a FIFO, or a file), read as they come without blocking the bridge thread.
//
// A line is handled once its '\n' is there (at the end of the input, an unterminated last
// line counts as a line); a line longer than max_line_bytes is skipped whole and reported as
// too long. poll(2) tells when a pipe has data, so a reader never blocks in read(2); a
// regular file is always ready and is read to its end. Bridge thread only.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace floorwatch::bridge {

class LineReader {
 public:
  // `line` is the line without its '\n'; `too_long` says it was cut (and `line` is empty).
  using OnLine = std::function<void(std::string_view line, bool too_long)>;

  explicit LineReader(int fd, size_t max_line_bytes = 1 << 20)
      : fd_(fd), max_line_(max_line_bytes) {}

  // Reads what is there now (at most about `budget` bytes) and calls `on_line` for each
  // complete line. Returns the lines handled.
  size_t Read(const OnLine& on_line, size_t budget);
  // Waits at most `ms` for more input (returns at once at the end or on an error).
  void Wait(int ms) const;
  bool at_end() const { return at_end_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  void Lines(const OnLine& on_line, size_t* handled);

  int fd_;
  size_t max_line_;
  std::string buffer_;
  bool skipping_ = false;  // inside a line over max_line_, until its '\n'
  bool at_end_ = false;
  uint64_t bytes_read_ = 0;
};

}  // namespace floorwatch::bridge
