// Writes the journal's frames (journal_format.h) on its own thread, so that neither write()
// nor fdatasync stalls the core thread.
//
// Ownership: after SwitchTo(fd) the writer thread owns that file descriptor (writes, syncs,
// closes it); the core thread only hands frames over. Hand-off: a queue of whole batches
// under one mutex, taken once per batch (never per event); buffers go back to the core thread
// through a free list, so the steady state allocates nothing. The queue holds at most
// kMaxQueuedBytes: past that Write() waits for the writer (the core thread slows to the
// disk rather than grow memory or drop records).
//
// Durability: frames are written in the order handed over; a frame is one write(). The fsync
// policy (config.h FsyncPolicy) decides when the writer calls fdatasync: after every round of
// writes (kBatch: everything queued meanwhile shares one sync, i.e. group commit), when the
// interval has passed since the last sync (kInterval), or never (kNever; the kernel writes
// back on its own). Switching files syncs the old one first in every policy, so a later
// generation never survives a power cut that an earlier one did not. What a crash can lose:
// SIGKILL, the frames still queued (at most kMaxQueuedBytes, in practice the last batch or
// two); a power cut, also what was written but not yet synced.
//
// Threads: every public method is for one thread (the core thread), except stats(), which
// any thread may read.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "floorwatch/core/config.h"
#include "floorwatch/log/log.h"

namespace floorwatch {

class JournalWriter {
 public:
  static constexpr size_t kMaxQueuedBytes = 16u << 20;

  struct Stats {
    uint64_t records = 0;  // message records written (as counted by Write's caller)
    uint64_t bytes = 0;    // frame bytes written
    uint64_t errors = 0;   // failed writes or syncs
    uint64_t syncs = 0;    // fdatasync calls that succeeded
  };

  JournalWriter(FsyncPolicy policy, int64_t interval_ms);
  ~JournalWriter();  // writes everything queued, syncs, closes the file, joins
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Queues the sealed frames in `frames` (with `records` message records in them) and gives
  // `frames` back empty (a recycled buffer, its capacity kept).
  void Write(std::string& frames, uint64_t records);
  // After what is queued: sync and close the current file, then write to `fd` (an open
  // journal whose header is written).
  void SwitchTo(int fd);
  void SetPolicy(FsyncPolicy policy, int64_t interval_ms);
  // Waits until everything queued so far is written (and, with kBatch, synced).
  void Drain();
  Stats stats() const;

 private:
  struct Item {
    std::string bytes;
    uint64_t records = 0;
    int switch_fd = -1;  // >= 0: a SwitchTo
  };
  void Run();
  void WriteItem(Item& item);
  void Sync();
  void ReportError(const char* what);

  std::mutex mutex_;                    // guards everything down to `done_`
  std::condition_variable wake_;        // the writer waits for work
  std::condition_variable progressed_;  // the core thread waits for room or a drain
  std::deque<Item> queue_;
  std::vector<std::string> free_;
  size_t queued_bytes_ = 0;
  uint64_t handed_ = 0;  // items handed over, ever
  uint64_t done_ = 0;    // items written (and synced as the policy says)
  FsyncPolicy policy_;
  int64_t interval_ms_;
  bool stop_ = false;

  // The writer thread's own.
  int fd_ = -1;
  bool unsynced_ = false;
  int64_t last_sync_ms_ = 0;
  LogRateLimiter error_log_{5, 60'000};

  std::atomic<uint64_t> records_{0}, bytes_{0}, errors_{0}, syncs_{0};
  std::thread thread_;  // last: starts once everything above is constructed
};

}  // namespace floorwatch
