// The small POSIX file helpers the state files of the daemon (state_store, journal_writer)
// and of floorwatch-bridge (bridge/io/state_store) share. Any thread; each call works on
// the fd it is given only.
#pragma once

#include <string>
#include <string_view>

namespace floorwatch {

// write(2) until all of `data` is written, through EINTR and short writes; false on an
// error (errno says which).
bool WriteAll(int fd, std::string_view data);

// "what: strerror(errno)", for a log line or a start-up error.
std::string Errno(const std::string& what);

}  // namespace floorwatch
