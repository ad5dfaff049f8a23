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

#include "floorwatch/core.h"

namespace floorwatch {

struct SnapshotMeta {
  uint64_t journal_generation = 0;  // journals numbered below this are inside the snapshot
  int64_t written_ms = 0;           // daemon time when it was taken
};

// Appends the snapshot to `out` (cleared first).
void SaveSnapshot(const Core& core, const SnapshotMeta& meta, std::string& out);

// Restores `bytes` into `core`, which must be newly constructed (no event applied yet).
// False, with `error`, for a damaged or foreign file; `core` is then left as constructed
// only if the damage is found before any state is touched (checksum and header are checked
// first, so a file that fails later was written by a different build: the caller should
// discard `core`).
bool LoadSnapshot(std::string_view bytes, Core& core, SnapshotMeta* meta, std::string* error);

}  // namespace floorwatch
