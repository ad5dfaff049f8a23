#include "floorwatch/state/file_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace floorwatch {

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // 0 for a non-empty write would loop for ever
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace floorwatch
