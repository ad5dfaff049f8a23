// Durable state: an append-only journal of every message the core processed, and periodic
// snapshots of the whole core (snapshot.h), in one directory (docs/config.md `state.dir`).
//
// Files in the directory:
//   snapshot                  the latest snapshot; names the first journal generation it
//                             does not contain
//   snapshot.tmp              a snapshot being written (renamed over `snapshot` when synced)
//   journal-<generation>.log  records appended in processing order, one file per generation
//
// Journal record: u32 body length, u32 CRC-32C of the body, body = u8 kind, i64 `now` (ms),
// then the raw payload (kind 0), a u8 RejectReason (kind 1, a malformed ZeroMQ message) or
// nothing (kind 2, a Core::Tick: ticks expire contacts, so they are replayed too), or the
// five replay counters (kind 3, written when a replay starts or ends, so they continue too).
// Re-feeding the records to a core restored from the snapshot reproduces the state exactly
// (Core::InputLog), because applying is deterministic given the payload and `now`.
//
// Durability: records are buffered per batch and written with one write() at the end of it
// (Flush), so a killed process loses nothing it had applied before that write; fdatasync
// runs once a second (Sync), so a power cut loses at most about a second. Whatever is lost
// lies past the restored next seq of its source, and a source offering replay resends it.
//
// Restore: the snapshot, then every journal from its generation on. A torn or corrupt
// record ends that journal: the good records before it are applied, the bytes from it on are
// counted and logged, never fatal. A snapshot with a bad checksum is renamed aside and the
// journals alone are applied; one written by an incompatible build stops start-up (the
// operator decides; the caller should then discard the core). After a restore a fresh snapshot is
// taken at once, which cuts the journals read.
//
// Snapshot: flush, start the next journal generation, write snapshot.tmp, fsync, rename,
// fsync the directory, delete the older journals. Until the rename the previous snapshot
// and every journal after it stay, so a crash at any point restores the same state.
//
// Threads: owned by the core thread (every call), like the Core it journals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "floorwatch/core/core.h"
#include "floorwatch/log/log.h"
#include "floorwatch/state/state_stats.h"

namespace floorwatch {

class StateStore {
 public:
  explicit StateStore(std::string dir);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Restores into `core` (newly constructed, no events yet) and takes a fresh snapshot.
  // False (with `error`) only when start-up must stop: the directory is unusable or the
  // snapshot was written by an incompatible build.
  bool Restore(Core& core, int64_t now_ms, std::string* error);

  // Buffers one journal record (the Core::InputLog signature).
  void Append(int64_t now_ms, std::string_view payload, std::optional<RejectReason> malformed);
  void AppendTick(int64_t now_ms);
  void AppendReplayCounters(int64_t now_ms, const ReplayCounters& counters);
  // Writes the buffered records (call at the end of every batch).
  void Flush();
  // fdatasync of the journal, if anything was written since the last one (about once a second).
  void Sync();
  // Writes a snapshot of `core` and cuts the journal. False if it could not be written
  // (counted and logged; the journal goes on, so nothing is lost).
  bool Snapshot(const Core& core, int64_t now_ms);

  const StateStoreStats& stats() const { return stats_; }
  const std::string& dir() const { return dir_; }

 private:
  bool OpenJournal(uint64_t generation, std::string* error);
  void AppendRecord(uint8_t kind, int64_t now_ms, std::string_view tail);
  void ReportWriteError(const char* what);  // counted; logged (rate-limited) with errno
  void ReplayJournal(const std::string& path, Core& core);
  std::string JournalPath(uint64_t generation) const;

  std::string dir_;
  int journal_fd_ = -1;
  uint64_t generation_ = 0;
  std::string buffer_;
  uint64_t buffered_records_ = 0;  // message records in buffer_ (ticks and counters aside)
  std::string snapshot_bytes_;     // reused between snapshots
  bool unsynced_ = false;
  StateStoreStats stats_;
  LogRateLimiter error_log_{5, 60'000};
};

}  // namespace floorwatch
