#include "floorwatch/state/journal_writer.h"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "floorwatch/core/clock.h"
#include "floorwatch/state/file_io.h"

namespace floorwatch {
namespace {

// Recycled buffers kept: enough for the queue's usual depth; a huge one is let go.
constexpr size_t kFreeBuffers = 4;
constexpr size_t kMaxKeptCapacity = 8u << 20;

}  // namespace

JournalWriter::JournalWriter(FsyncPolicy policy, int64_t interval_ms)
    : policy_(policy), interval_ms_(interval_ms), thread_([this] { Run(); }) {
  // Named so that top -H and bench/run.py can tell its CPU time from the core thread's.
  pthread_setname_np(thread_.native_handle(), "fw-journal");
}

JournalWriter::~JournalWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void JournalWriter::Write(std::string& frames, uint64_t records) {
  if (frames.empty()) return;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    progressed_.wait(lock, [this] { return queued_bytes_ <= kMaxQueuedBytes; });
    queued_bytes_ += frames.size();
    ++handed_;
    queue_.push_back(Item{std::move(frames), records, -1});
    frames.clear();
    if (!free_.empty()) {
      frames.swap(free_.back());
      free_.pop_back();
    }
  }
  wake_.notify_one();
}

void JournalWriter::SwitchTo(int fd) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++handed_;
    queue_.push_back(Item{{}, 0, fd});
  }
  wake_.notify_one();
}

void JournalWriter::SetPolicy(FsyncPolicy policy, int64_t interval_ms) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    policy_ = policy;
    interval_ms_ = interval_ms;
  }
  wake_.notify_one();
}

void JournalWriter::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  const uint64_t target = handed_;
  progressed_.wait(lock, [&] { return done_ >= target; });
}

JournalWriter::Stats JournalWriter::stats() const {
  return Stats{records_.load(std::memory_order_relaxed), bytes_.load(std::memory_order_relaxed),
               errors_.load(std::memory_order_relaxed), syncs_.load(std::memory_order_relaxed)};
}

void JournalWriter::Run() {
  std::deque<Item> round;
  for (;;) {
    FsyncPolicy policy;
    int64_t interval;
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (queue_.empty() && !stop_) {
        if (policy_ != FsyncPolicy::kInterval || !unsynced_) {
          wake_.wait(lock);
          continue;
        }
        // Written but not synced: wake when the interval is up, even with nothing new.
        const auto due = std::chrono::steady_clock::time_point(
            std::chrono::milliseconds(last_sync_ms_ + interval_ms_));
        if (wake_.wait_until(lock, due) == std::cv_status::timeout) break;
      }
      round.swap(queue_);
      policy = policy_;
      interval = interval_ms_;
      stopping = stop_;
    }
    size_t bytes = 0;
    for (Item& item : round) {
      WriteItem(item);
      bytes += item.bytes.size();
    }
    if (fd_ >= 0 && unsynced_ &&
        (stopping || policy == FsyncPolicy::kBatch ||
         (policy == FsyncPolicy::kInterval && SteadyMs() - last_sync_ms_ >= interval))) {
      Sync();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queued_bytes_ -= bytes;
      done_ += round.size();
      for (Item& item : round) {
        if (free_.size() >= kFreeBuffers || item.bytes.capacity() > kMaxKeptCapacity) continue;
        item.bytes.clear();
        free_.push_back(std::move(item.bytes));
      }
      round.clear();
      if (stopping && queue_.empty()) break;
    }
    progressed_.notify_all();
  }
  progressed_.notify_all();
  if (fd_ >= 0) close(fd_);
}

void JournalWriter::WriteItem(Item& item) {
  if (item.switch_fd >= 0) {
    if (fd_ >= 0) {
      if (unsynced_) Sync();
      close(fd_);
    }
    fd_ = item.switch_fd;
    unsynced_ = true;  // its header
    return;
  }
  if (fd_ >= 0 && WriteAll(fd_, item.bytes)) {
    bytes_.fetch_add(item.bytes.size(), std::memory_order_relaxed);
    records_.fetch_add(item.records, std::memory_order_relaxed);
    unsynced_ = true;
  } else {
    ReportError("journal write failed (state since the last snapshot is not durable)");
  }
}

void JournalWriter::Sync() {
  unsynced_ = false;
  last_sync_ms_ = SteadyMs();
  if (fdatasync(fd_) == 0) {
    syncs_.fetch_add(1, std::memory_order_relaxed);
  } else {
    ReportError("journal sync failed");
  }
}

void JournalWriter::ReportError(const char* what) {
  const std::string message = std::string(what) + ": " + std::strerror(errno);
  errors_.fetch_add(1, std::memory_order_relaxed);
  uint64_t suppressed = 0;
  if (error_log_.Allow(SteadyMs(), &suppressed)) LogError(message);
}

}  // namespace floorwatch
