// Time source injected into everything that needs "now". Production uses SystemClock;
// tests use FakeClock and move it by hand, so no test sleeps to make time pass.
// Thread-safety: SystemClock is stateless. FakeClock is for single-threaded tests.
#pragma once

#include <chrono>
#include <cstdint>

namespace floorwatch {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in ms since the Unix epoch (events carry wall-clock timestamps).
  virtual int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// Monotonic ms (any origin) for the I/O layers' intervals, heartbeats and timeouts, which
// must not jump with the wall clock. The core never reads it: its time is events' ts and a
// Clock.
inline int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_ms_(start_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  void Set(int64_t ms) { now_ms_ = ms; }
  void Advance(int64_t ms) { now_ms_ += ms; }

 private:
  int64_t now_ms_;
};

}  // namespace floorwatch
