// Durable state: an append-only journal of every message the core processed, and periodic
// snapshots of the whole core (snapshot.h), in one directory (docs/config.md `state.dir`).
//
// Files in the directory:
//   snapshot                  the latest snapshot; names the first journal generation it
//                             does not contain
//   snapshot.tmp              a snapshot being written (renamed over `snapshot` when synced)
//   journal-<generation>.log  records appended in processing order, one file per generation
//
// Journal: the records of every batch, in one frame with one checksum, in processing order
// (journal_format.h: version 2; version 1 journals of older builds are still read). Re-feeding
// the records to a core restored from the snapshot reproduces the state exactly
// (Core::InputLog), because applying is deterministic given the payload and `now`.
//
// Durability: Flush() at the end of every batch seals its frame and hands it to the journal
// writer thread (journal_writer.h), which writes it and syncs as `state.fsync` says. So the
// core thread never waits for the disk (unless the writer is 16 MiB behind). SIGKILL loses
// the frames not yet written (the last batch or two); a power cut also what was not synced:
// with `batch` only the round being synced, with `interval` up to about the interval, with
// `never` what the kernel had not written back (up to about 30 s on Linux's defaults).
// Whatever is lost is a tail: frames are written in order, a generation is synced before the
// next one is written, so the restored state is the state after some earlier batch, and
// the lost events lie past the restored next seq of their source (a source offering replay
// resends them; duplicates are still dropped by seq, since the restored seqs are exact).
//
// Restore: the snapshot, then every journal from its generation on. A torn or corrupt
// frame ends that journal: the frames before it are applied, the bytes from it on are
// counted and logged, never fatal; a journal of a format version this build does not know
// stops start-up (like an incompatible snapshot). A snapshot with a bad checksum is renamed aside
// and the journals alone are applied; one written by an incompatible build stops start-up (the
// operator decides; the caller should then discard the core). After a restore a fresh snapshot is
// taken at once, which cuts the journals read.
//
// Snapshot: flush, start the next journal generation (the writer syncs the old one first), write
// snapshot.tmp, fsync, rename, fsync the directory, delete the older journals. Until the rename the
// previous snapshot and every journal after it stay, so a crash at any point restores the same
// state.
//
// Threads: owned by the core thread (every call), like the Core it journals; the journal
// file being appended to belongs to the writer thread it starts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "floorwatch/core/config.h"
#include "floorwatch/core/core.h"
#include "floorwatch/state/journal_format.h"
#include "floorwatch/state/journal_writer.h"
#include "floorwatch/state/state_stats.h"

namespace floorwatch {

class StateStore {
 public:
  explicit StateStore(std::string dir, FsyncPolicy fsync = FsyncPolicy::kInterval,
                      int64_t fsync_interval_ms = 1000);
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
  // Hands the buffered records to the writer as one frame (call at the end of every batch).
  void Flush();
  // Flush, then wait until the writer has written it all (synced too with `batch`).
  void Drain();
  // A reload's `state.fsync`: applies from the writer's next round.
  void SetFsync(FsyncPolicy fsync, int64_t fsync_interval_ms);
  // Writes a snapshot of `core` and cuts the journal. False if it could not be written
  // (counted and logged; the journal goes on, so nothing is lost).
  bool Snapshot(const Core& core, int64_t now_ms);

  StateStoreStats stats() const;  // the writer's figures as of now
  const std::string& dir() const { return dir_; }

 private:
  bool OpenJournal(uint64_t generation, std::string* error);
  bool ReplayJournal(const std::string& path, Core& core, std::string* error);
  std::string JournalPath(uint64_t generation) const;

  std::string dir_;
  FsyncPolicy fsync_;
  int64_t fsync_interval_ms_;
  std::unique_ptr<JournalWriter> writer_;  // from the first journal opened
  uint64_t generation_ = 0;
  JournalFrameWriter frame_;
  std::string buffer_;             // the open frame; recycled through the writer
  uint64_t buffered_records_ = 0;  // message records in buffer_ (ticks and counters aside)
  std::string snapshot_bytes_;     // reused between snapshots
  StateStoreStats stats_;          // the journal's figures come from writer_
};

}  // namespace floorwatch
