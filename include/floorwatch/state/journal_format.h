// The journal's bytes (state_store.h keeps the files): how records are framed and checked,
// and how a journal's bytes are re-applied to a Core. Pure: no files, threads or clocks.
//
// Version 2 (written since issue 15; "FWJRNL2\n" then frames). One frame per batch, so one
// checksum and one write() per batch (group commit):
//   frame  = u32 body length, u64 XXH3-64 of the body, body
//   body   = records, each: u8 kind, varint zigzag(now_ms - the previous record's now_ms in
//            this frame; the first: - 0), then by kind:
//              0 payload   varint length, the raw message as received
//              1 malformed u8 RejectReason (a message with too many frames)
//              2 tick      nothing (Core::Tick: ticks expire contacts, so they replay too)
//              3 counters  the five replay counters (sources_model.h), when they changed
//   A batch's records share one `now`, so a record costs 4 bytes beyond its message (version
//   1: 17). A frame that is short, fails its checksum or holds an unknown record ends the
//   journal there: the frames before it are applied, the rest is counted as discarded.
// Version 1 ("FWJRNL1\n", written before issue 15) is still read: per record u32 body
// length, u32 CRC-32C of the body, body = u8 kind, i64 now, then the same tails unframed.
// Any other "FWJRNL<n>\n" is a version this build does not know: the caller must stop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "floorwatch/core/core.h"

namespace floorwatch {

inline constexpr std::string_view kJournalMagicV1 = "FWJRNL1\n";
inline constexpr std::string_view kJournalMagicV2 = "FWJRNL2\n";
inline constexpr size_t kJournalFrameHeader = 12;  // u32 length + u64 checksum

// Appends records to one frame in a caller-owned buffer. Begin() on an empty buffer or one
// holding sealed frames; Seal() fills in the frame's header. Owned by one thread.
class JournalFrameWriter {
 public:
  void Begin(std::string& out);
  void Payload(std::string& out, int64_t now_ms, std::string_view payload);
  void Malformed(std::string& out, int64_t now_ms, RejectReason reason);
  void Tick(std::string& out, int64_t now_ms);
  void Counters(std::string& out, int64_t now_ms, const ReplayCounters& counters);
  // Fills in the open frame's length and checksum. False (and nothing to seal) if it holds
  // no record: the header is removed again.
  bool Seal(std::string& out);
  bool open() const { return open_; }

 private:
  void Head(std::string& out, uint8_t kind, int64_t now_ms);
  size_t start_ = 0;
  int64_t last_now_ = 0;
  bool open_ = false;
};

struct JournalReadResult {
  uint64_t records = 0;   // records applied
  size_t good_bytes = 0;  // the prefix applied (header and whole frames or records)
  int version = 0;        // 1 or 2; 0 not a journal; -1 an unknown version (see error)
  std::string error;      // set when version is 0 or -1
};

// Applies the records in `data` (a whole journal file) to `core`, in order, up to the
// first torn or corrupt frame (version 1: record).
JournalReadResult ApplyJournal(std::string_view data, Core& core);

}  // namespace floorwatch
