// Figures of the durable state (state_store.h), shown as floorwatch_state_* metrics.
// A plain value: StateStore::stats() fills it on the core thread (the journal figures from
// the writer thread's counters), the metrics renderer reads a copy.
#pragma once

#include <cstdint>

namespace floorwatch {

struct StateStoreStats {
  uint64_t journal_records = 0;      // written since start
  uint64_t journal_bytes = 0;        // written since start
  uint64_t write_errors = 0;         // failed journal writes or syncs
  uint64_t snapshots = 0;            // written since start
  uint64_t snapshot_errors = 0;      // failed snapshot writes
  uint64_t restored_records = 0;     // journal records applied at start
  uint64_t discarded_bytes = 0;      // torn or corrupt journal bytes skipped at start
  uint64_t damaged_snapshots = 0;    // snapshots set aside at start (bad checksum)
  uint64_t snapshot_bytes = 0;       // size of the latest snapshot
  double last_snapshot_seconds = 0;  // Unix time of the latest snapshot written
  double last_snapshot_duration_seconds = 0;
  double restore_seconds = 0;  // how long the restore at start took
};

}  // namespace floorwatch
