#include "floorwatch/bridge/core/state_codec.h"

#include <vector>

#include "floorwatch/core/binary_io.h"

namespace floorwatch::bridge {
namespace {

constexpr uint8_t kRecordKind = 1;
constexpr uint8_t kSnapshotVersion = 1;
constexpr size_t kHeader = 8;  // u32 length + u32 CRC

void Frame(std::string& out, size_t header_at) {
  const std::string_view body(out.data() + header_at + kHeader, out.size() - header_at - kHeader);
  const uint32_t length = static_cast<uint32_t>(body.size());
  const uint32_t crc = Crc32c(body);
  std::memcpy(out.data() + header_at, &length, 4);
  std::memcpy(out.data() + header_at + 4, &crc, 4);
}

}  // namespace

void AppendJournalRecord(std::string& out, std::string_view redo,
                         std::span<const BufferedEvent> events) {
  const size_t at = out.size();
  out.append(kHeader, '\0');
  BinaryWriter w(out);
  w.U8(kRecordKind);
  w.Str(redo);
  w.U64(events.size());
  for (const BufferedEvent& e : events) {
    w.U64(e.seq);
    w.Str(e.topic);
    w.Str(e.payload);
  }
  Frame(out, at);
}

JournalScan DecodeJournal(std::string_view file, const JournalRecordFn& on_record) {
  JournalScan scan;
  if (file.substr(0, kJournalMagic.size()) != kJournalMagic) return scan;
  scan.magic_ok = true;
  size_t pos = kJournalMagic.size();
  scan.good_bytes = pos;
  std::vector<JournalEventView> events;
  while (file.size() - pos >= kHeader) {
    BinaryReader header(file.substr(pos, kHeader));
    const uint32_t length = header.U32();
    const uint32_t crc = header.U32();
    if (length > file.size() - pos - kHeader) break;  // torn: the write did not finish
    const std::string_view body = file.substr(pos + kHeader, length);
    if (Crc32c(body) != crc) break;
    BinaryReader r(body);
    if (r.U8() != kRecordKind) break;
    const std::string_view redo = r.Str();
    const uint64_t n = r.Count(8 + 4 + 4);
    events.clear();
    for (uint64_t i = 0; i < n && !r.failed(); ++i) {
      JournalEventView e;
      e.seq = r.U64();
      e.topic = r.Str();
      e.payload = r.Str();
      events.push_back(e);
    }
    if (r.failed() || r.remaining() != 0) break;
    on_record(redo, events);
    ++scan.records;
    pos += kHeader + length;
    scan.good_bytes = pos;
  }
  return scan;
}

std::string EncodeSnapshot(const SnapshotData& s) {
  std::string out(kSnapshotMagic);
  const size_t at = out.size();
  out.append(kHeader, '\0');
  BinaryWriter w(out);
  w.U8(kSnapshotVersion);
  w.U64(s.next_seq);
  w.U64(s.next_generation);
  w.Str(s.adapter_state);
  Frame(out, at);
  return out;
}

bool DecodeSnapshot(std::string_view file, SnapshotData* s) {
  if (file.substr(0, kSnapshotMagic.size()) != kSnapshotMagic) return false;
  file.remove_prefix(kSnapshotMagic.size());
  if (file.size() < kHeader) return false;
  BinaryReader header(file.substr(0, kHeader));
  const uint32_t length = header.U32();
  const uint32_t crc = header.U32();
  const std::string_view body = file.substr(kHeader);
  if (body.size() != length || Crc32c(body) != crc) return false;
  BinaryReader r(body);
  if (r.U8() != kSnapshotVersion) return false;
  SnapshotData out;
  out.next_seq = r.U64();
  out.next_generation = r.U64();
  out.adapter_state.assign(r.Str());
  if (r.failed() || r.remaining() != 0) return false;
  *s = std::move(out);
  return true;
}

}  // namespace floorwatch::bridge
