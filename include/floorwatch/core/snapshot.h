// Snapshots: the whole state of a Core as bytes, and back.
//
// A snapshot is a sequence of named, versioned sections: "queues" (the queue/channels in
// index order, which every other section's indices refer to), then one per model in
// models/registry.h order, each written by that model's Save. Loading reads "queues" first,
// then gives each model its own section; a model with no section starts empty (it is newer
// than the snapshot), and a section no model claims is skipped with a note (a newer build
// wrote it); a section newer than its model, or older than the oldest layout it reads
// (Model::first_version), refuses the whole snapshot before anything changes. Settings derived from
// the config (SL thresholds, labels, time zones) are not stored: the restoring core takes them from
// its own config, as a reload would. Events held for a replay are not stored: their source resends
// them after a restart.
//
// Format, version 2: "FWSNAP", u32 version, u64 journal generation, i64 written ms, u32
// section count, then per section: str name, u32 section version, u64 length, the bytes;
// last a CRC-32C of all that precedes it. Version 1 (one fixed body, the layout before
// sections) is still read (snapshot_v1.cpp). Hashes of ids (recent ids, agents of pending
// wraps) are std::hash values, so a snapshot is read back by a build of the same standard
// library.
//
// Pure (no I/O), core thread only: the core must not be read or changed meanwhile.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/core/binary_io.h"
#include "floorwatch/core/core.h"

namespace floorwatch {

struct SnapshotMeta {
  uint64_t journal_generation = 0;  // journals numbered below this are inside the snapshot
  int64_t written_ms = 0;           // daemon time when it was taken
};

// Appends the snapshot to `out` (cleared first).
void SaveSnapshot(const Core& core, const SnapshotMeta& meta, std::string& out);

enum class SnapshotLoad : uint8_t {
  kOk,
  kDamaged,       // not a snapshot, truncated, or the checksum fails: nothing was touched
  kIncompatible,  // intact, but a layout this build cannot read: nothing was touched
  kLayoutError,   // intact and readable, yet a section does not decode (a bug):
                  // `core` is partly restored and must be discarded
};

// Restores `bytes` into `core`, which must be newly constructed (no event applied yet).
// `notes` (if given) receives a line per skipped or missing section, for the log.
SnapshotLoad LoadSnapshot(std::string_view bytes, Core& core, SnapshotMeta* meta,
                          std::string* error, std::vector<std::string>* notes = nullptr);

// A snapshot's sections as found in its bytes (shared with the version-1 reader).
struct SnapshotSection {
  std::string name;
  uint32_t version = 1;
  std::string bytes;
};
// Turns a version-1 body (after the version field) into the sections of today's layout,
// each at section version 1. False if the body does not decode.
bool UpgradeSnapshotV1(BinaryReader& body, SnapshotMeta* meta,
                       std::vector<SnapshotSection>* sections);

}  // namespace floorwatch
