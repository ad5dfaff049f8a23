#include "floorwatch/runtime/memory_trim.h"

#include <malloc.h>

#include <cstdio>
#include <string>

#include "floorwatch/core/clock.h"
#include "floorwatch/log/log.h"
#include "floorwatch/runtime/core_loop.h"
#include "floorwatch/runtime/process_stats.h"

namespace floorwatch {

bool TrimPolicy::Due(uint64_t received, int64_t now_ms) {
  if (received != seen_) {
    seen_ = received;
    last_input_ms_ = now_ms;
    if (!pending_) pending_since_ms_ = now_ms;
    pending_ = true;
  }
  if (!pending_) return false;
  if (now_ms - last_input_ms_ < idle_ms_ && now_ms - pending_since_ms_ < busy_ms_) return false;
  pending_ = false;
  return true;
}

MemoryTrimmer::MemoryTrimmer(boost::asio::io_context& io, const CoreLoop& loop)
    : timer_(io), loop_(loop) {
  Schedule();
}

void MemoryTrimmer::Schedule() {
  timer_.expires_after(std::chrono::milliseconds(kCheckMs));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    const int64_t now = SteadyMs();
    if (policy_.Due(loop_.batches_received(), now)) Trim();
    Schedule();
  });
}

void MemoryTrimmer::Trim() {
  const double before = ResidentBytes();
  const auto start = std::chrono::steady_clock::now();
  malloc_trim(0);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const double released = before - ResidentBytes();
  char line[128];
  std::snprintf(line, sizeof line, "malloc_trim: %.0f resident bytes released in %.3f ms", released,
                ms);
  Log(LogLevel::kDebug, line);
}

}  // namespace floorwatch
