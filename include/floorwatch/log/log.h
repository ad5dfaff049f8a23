// One-line structured logs on stderr (journald picks them up under systemd):
//   2026-11-23T10:15:30.123Z info http listening on 127.0.0.1:9464
// Thread-safe: each line is written with a single write(2).
#pragma once

#include <cstdint>
#include <string_view>

namespace floorwatch {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void Log(LogLevel level, std::string_view message);
inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarn(std::string_view m) { Log(LogLevel::kWarn, m); }
inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }

// Allows at most `per_interval` lines per interval and says how many it held back, so a
// flood of bad events cannot flood the log. Owned by one thread.
class LogRateLimiter {
 public:
  LogRateLimiter(int per_interval, int64_t interval_ms)
      : per_interval_(per_interval), interval_ms_(interval_ms) {}
  // True if a line may be written now. `suppressed` receives how many were held back since
  // the last allowed line (so the caller can mention them).
  bool Allow(int64_t now_ms, uint64_t* suppressed);

 private:
  int per_interval_;
  int64_t interval_ms_;
  bool started_ = false;
  int64_t window_start_ms_ = 0;
  int used_ = 0;
  uint64_t suppressed_ = 0;
};

}  // namespace floorwatch
