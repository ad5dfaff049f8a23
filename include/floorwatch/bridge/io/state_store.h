// The bridge's --state-dir: where its input position, next seq, adapter state and replay
// buffer survive a kill -9 (file format: core/state_codec.h).
//
// Order of writes, so that a kill at any moment loses nothing and publishes nothing twice:
// an input record's events get their seqs, then the record (its redo bytes and its events,
// seqs and payloads) is appended to the journal with one write(), and only then are the
// events handed to the publisher. After a kill, the restored state is the last snapshot
// plus every journaled record redone, so the bridge goes on from just after the last
// journaled record with the next seq; events it journaled but may not have sent are in
// the replay buffer rebuilt from the journals, and the daemon asks for them (PROTOCOL.md
// "Replay") when the next live event shows it the gap. Nothing is re-sent on its own.
//
// Files: snapshot (+ snapshot.tmp while writing), journal-<generation>.log. A snapshot
// starts the next journal generation, is written to snapshot.tmp, fsynced and renamed,
// then journals no longer needed are deleted: those before the snapshot whose events are
// all older than the newest `replay_capacity` (the replay buffer needs the rest).
// fdatasync of the journal runs about once a second (Sync): a power cut may lose up to a
// second, and those lines are then read and published again with the same seqs (the daemon
// ignores seqs it has applied).
//
// Restore: a torn or corrupt record ends its journal (the rest of that file is ignored); a
// damaged snapshot is renamed snapshot.bad and the journals alone are redone.
//
// Bridge thread only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "floorwatch/bridge/core/replay_ring.h"
#include "floorwatch/bridge/io/adapter.h"
#include "floorwatch/log/log.h"

namespace floorwatch::bridge {

class StateStore {
 public:
  StateStore(std::string dir, size_t replay_capacity);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Restores `adapter` (freshly built), fills `ring` with the journaled events and sets
  // `next_seq`; then takes a snapshot at once. False (with `error`) when start-up must stop.
  bool Restore(Adapter& adapter, ReplayRing& ring, uint64_t* next_seq, std::string* error);

  // Buffers one record (see above); Flush writes the buffered records with one write().
  void Append(std::string_view redo, std::span<const BufferedEvent> events);
  bool Flush();
  void Sync();  // fdatasync if written since the last one
  bool Snapshot(const Adapter& adapter, uint64_t next_seq);

  uint64_t write_errors() const { return write_errors_; }
  uint64_t snapshot_errors() const { return snapshot_errors_; }
  uint64_t snapshots() const { return snapshots_; }

 private:
  struct Generation {
    uint64_t number;
    uint64_t last_seq;  // 0: no event in it
  };
  bool OpenJournal(uint64_t generation, std::string* error);
  void ReadJournals(uint64_t redo_from, Adapter& adapter, ReplayRing& ring, uint64_t* last_seq);
  void Prune(uint64_t before_generation, uint64_t next_seq);
  std::string JournalPath(uint64_t generation) const;
  void ReportError(const std::string& what);

  std::string dir_;
  size_t replay_capacity_;
  int journal_fd_ = -1;
  std::vector<Generation> generations_;  // on disk, ascending; the last one is open
  std::string buffer_;
  bool unsynced_ = false;
  uint64_t write_errors_ = 0;
  uint64_t snapshot_errors_ = 0;
  uint64_t snapshots_ = 0;
  LogRateLimiter error_log_{5, 60'000};
};

}  // namespace floorwatch::bridge
