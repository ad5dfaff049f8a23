// Snapshots: the whole state of a Core as bytes, and back.
//
// SaveSnapshot captures everything the core holds: queues/channels with their counters,
// histograms, rolling-window buckets and `today` tallies; waiting, connected and wrapping
// contacts with their original timestamps; agents; per-source next seq and gap counts; the
// recent-id memory and the intake statistics. Settings derived from the config (SL
// thresholds, labels, time zones) are not stored: the restoring core takes them from its
// own config, as a reload would. Events held for a replay are not stored: their source
// resends them after a restart (their seq lies past the restored next seq).
//
// Format: "FWSNAP" magic, a version, the body, then a CRC-32C of all that precedes it.
// Hashes of ids (recent ids, agents of pending wraps) are std::hash values, so a snapshot
// is read back by a build of the same standard library; the version guards the layout.
//
// Pure (no I/O), core thread only: the core must not be read or changed meanwhile.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "floorwatch/binary_io.h"
#include "floorwatch/core.h"

namespace floorwatch {

struct SnapshotMeta {
  uint64_t journal_generation = 0;  // journals numbered below this are inside the snapshot
  int64_t written_ms = 0;           // daemon time when it was taken
};

// Appends the snapshot to `out` (cleared first).
void SaveSnapshot(const Core& core, const SnapshotMeta& meta, std::string& out);

// The replay counters' encoding, shared with the journal's replay-counter records.
inline constexpr size_t kReplayCountersBytes = 5 * 8;
void PutReplayCounters(BinaryWriter& w, const ReplayCounters& counters);
ReplayCounters GetReplayCounters(BinaryReader& r);

enum class SnapshotLoad : uint8_t {
  kOk,
  kDamaged,       // not a snapshot, truncated, or the checksum fails: nothing was touched
  kIncompatible,  // intact, but another layout version: nothing was touched
  kLayoutError,   // intact and the right version, yet the body does not decode (a bug):
                  // `core` is partly restored and must be discarded
};

// Restores `bytes` into `core`, which must be newly constructed (no event applied yet).
SnapshotLoad LoadSnapshot(std::string_view bytes, Core& core, SnapshotMeta* meta,
                          std::string* error);

}  // namespace floorwatch
