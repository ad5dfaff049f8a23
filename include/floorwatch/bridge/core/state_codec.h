// The bytes of the bridge's state directory (io/state_store.h writes and reads the files):
//
//   journal-<generation>.log  kJournalMagic, then records: u32 body length, u32 CRC-32C of
//                             the body, body = u8 kind (1), str redo, u64 n, n x {u64 seq,
//                             str topic, str payload}. One record per input record that
//                             changed the adapter's state: the bytes that redo it on the
//                             adapter (Adapter::Redo) and the events it was published as.
//   snapshot                  kSnapshotMagic, u32 body length, u32 CRC-32C, body = u8
//                             version (1), u64 next seq, u64 first journal generation not in
//                             it, str the adapter's state (Adapter::SaveState).
//
// Pure: encoding and decoding only; a torn or corrupt record ends what DecodeJournal reads.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "floorwatch/bridge/core/replay_ring.h"

namespace floorwatch::bridge {

inline constexpr std::string_view kJournalMagic = "FWBJRN1\n";
inline constexpr std::string_view kSnapshotMagic = "FWBSNAP1";

void AppendJournalRecord(std::string& out, std::string_view redo,
                         std::span<const BufferedEvent> events);

struct JournalEventView {
  uint64_t seq;
  std::string_view topic;
  std::string_view payload;
};
using JournalRecordFn =
    std::function<void(std::string_view redo, std::span<const JournalEventView> events)>;

struct JournalScan {
  bool magic_ok = false;
  uint64_t records = 0;
  size_t good_bytes = 0;  // magic + whole good records; the rest is torn or corrupt
};
// Calls `on_record` for each good record of a journal file's bytes, in order.
JournalScan DecodeJournal(std::string_view file, const JournalRecordFn& on_record);

struct SnapshotData {
  uint64_t next_seq = 1;
  uint64_t next_generation = 0;
  std::string adapter_state;
};
std::string EncodeSnapshot(const SnapshotData& snapshot);
// False if `file` is not a whole, intact snapshot of this version.
bool DecodeSnapshot(std::string_view file, SnapshotData* snapshot);

}  // namespace floorwatch::bridge
