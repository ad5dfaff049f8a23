#include "floorwatch/bridge/io/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace floorwatch::bridge {

void LineReader::Lines(const OnLine& on_line, size_t* handled) {
  size_t start = 0;
  for (size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (skipping_) {
      skipping_ = false;  // the end of the line too long, reported already
      continue;
    }
    on_line(std::string_view(buffer_).substr(start, nl - start), false);
    ++*handled;
  }
  buffer_.erase(0, start);
  if (buffer_.size() > max_line_) {  // no '\n' within the limit: skip to the next one
    buffer_.clear();
    if (!skipping_) {
      on_line({}, true);
      ++*handled;
    }
    skipping_ = true;
  }
}

size_t LineReader::Read(const OnLine& on_line, size_t budget) {
  size_t handled = 0, got = 0;
  char chunk[65536];
  while (!at_end_ && got < budget) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) break;  // nothing there now (a pipe), or an error
    const ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) break;
    if (n <= 0) {
      at_end_ = true;
      break;
    }
    got += static_cast<size_t>(n);
    bytes_read_ += static_cast<uint64_t>(n);
    buffer_.append(chunk, static_cast<size_t>(n));
    Lines(on_line, &handled);
  }
  if (at_end_ && !buffer_.empty() && !skipping_) {  // an unterminated last line
    on_line(buffer_, false);
    ++handled;
  }
  if (at_end_) buffer_.clear();
  return handled;
}

void LineReader::Wait(int ms) const {
  if (at_end_) return;
  pollfd p{fd_, POLLIN, 0};
  poll(&p, 1, ms);
}

}  // namespace floorwatch::bridge
