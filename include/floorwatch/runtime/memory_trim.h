// Gives the heap's freed memory back to the system after a burst of input (glibc's
// malloc_trim(0)). Why: ZeroMQ's I/O thread allocates every received message in its own
// malloc arena and the core thread frees it there; after a burst that arena keeps as free
// memory what the receive queue held (up to rcvhwm messages: 0 to 33 MB measured with
// 1,000,000 contacts queued, docs/performance.md section 3), and glibc only returns the top
// of a heap by itself. A long-running daemon should not keep its peak input backlog.
//
// TrimPolicy decides when (pure, fed a counter and a monotonic ms; any one thread).
// MemoryTrimmer runs it on the main thread's io_context, once a second; it never runs on the
// core thread. malloc_trim locks each arena while it trims it, so the core thread can wait
// on an allocation for as long as the trim of its arena takes: each trim logs (debug) its
// duration and the resident bytes it gave back.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>

namespace floorwatch {

class CoreLoop;

class TrimPolicy {
 public:
  // A trim is due once input has arrived since the last trim and then none for `idle_ms`,
  // or, while input keeps arriving, `busy_ms` after the first input since the last trim.
  TrimPolicy(int64_t idle_ms, int64_t busy_ms) : idle_ms_(idle_ms), busy_ms_(busy_ms) {}
  // `received` is a count that grows with input (the core loop's batches); true when a trim
  // is due now (and the policy then waits for new input before the next).
  bool Due(uint64_t received, int64_t now_ms);

 private:
  int64_t idle_ms_;
  int64_t busy_ms_;
  uint64_t seen_ = 0;
  bool pending_ = false;  // input arrived since the last trim
  int64_t pending_since_ms_ = 0;
  int64_t last_input_ms_ = 0;
};

class MemoryTrimmer {
 public:
  static constexpr int64_t kCheckMs = 1000;
  static constexpr int64_t kIdleMs = 1000;   // one whole check without input
  static constexpr int64_t kBusyMs = 60000;  // under steady input, at most once a minute
  // `loop` must outlive the trimmer; only its thread-safe batches_received() is read.
  MemoryTrimmer(boost::asio::io_context& io, const CoreLoop& loop);

 private:
  void Schedule();
  void Trim();

  boost::asio::steady_timer timer_;
  const CoreLoop& loop_;
  TrimPolicy policy_{kIdleMs, kBusyMs};
};

}  // namespace floorwatch
