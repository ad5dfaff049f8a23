#include "floorwatch/state/journal_format.h"

#include <xxhash.h>

#include <cstring>

#include "floorwatch/core/binary_io.h"

namespace floorwatch {
namespace {

constexpr uint8_t kPayloadRecord = 0;
constexpr uint8_t kMalformedRecord = 1;
constexpr uint8_t kTickRecord = 2;
constexpr uint8_t kCountersRecord = 3;
constexpr uint32_t kMaxFrameBody = 1u << 30;  // a batch is far smaller; larger is corrupt
constexpr size_t kV1RecordHeader = 8;         // u32 length + u32 crc
constexpr size_t kV1MaxRecordBody = 1 + 8 + (64u << 20);
constexpr uint32_t kV1CountersLength = 1 + 8 + kReplayCountersBytes;

void PutVarint(std::string& out, uint64_t v) {
  char bytes[10];
  size_t n = 0;
  while (v >= 0x80) {
    bytes[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  bytes[n++] = static_cast<char>(v);
  out.append(bytes, n);
}

// False when the varint is longer than 10 bytes or runs past the end.
bool GetVarint(std::string_view in, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 70 && pos < in.size(); shift += 7) {
    const uint8_t b = static_cast<uint8_t>(in[pos++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// Counts a frame body's records; false if any does not decode. A frame is checked whole
// before any record of it is applied, so a bad frame applies nothing.
bool CheckFrameBody(std::string_view body, uint64_t* records) {
  size_t pos = 0;
  uint64_t n = 0;
  while (pos < body.size()) {
    const uint8_t kind = static_cast<uint8_t>(body[pos++]);
    uint64_t delta = 0, length = 0;
    if (!GetVarint(body, pos, delta)) return false;
    if (kind == kPayloadRecord) {
      if (!GetVarint(body, pos, length) || length > body.size() - pos) return false;
    } else if (kind == kMalformedRecord) {
      length = 1;
      if (pos >= body.size() || static_cast<uint8_t>(body[pos]) >= kRejectReasonCount) return false;
    } else if (kind == kCountersRecord) {
      length = kReplayCountersBytes;
    } else if (kind != kTickRecord) {
      return false;
    }
    if (length > body.size() - pos) return false;
    pos += length;
    ++n;
  }
  *records = n;
  return true;
}

void ApplyFrameBody(std::string_view body, Core& core) {
  size_t pos = 0;
  int64_t now = 0;
  while (pos < body.size()) {
    const uint8_t kind = static_cast<uint8_t>(body[pos++]);
    uint64_t delta = 0, length = 0;
    GetVarint(body, pos, delta);
    now += UnZigZag(delta);
    if (kind == kPayloadRecord) {
      GetVarint(body, pos, length);
      core.OnPayload(body.substr(pos, length), now);
      pos += length;
    } else if (kind == kMalformedRecord) {
      core.OnMalformedMessage(RejectReason(static_cast<uint8_t>(body[pos++])), now);
    } else if (kind == kTickRecord) {
      core.Tick(now);
    } else {
      BinaryReader r(body.substr(pos, kReplayCountersBytes));
      core.RestoreReplayCounters(GetReplayCounters(r));
      pos += kReplayCountersBytes;
    }
  }
}

void ApplyV2(std::string_view data, Core& core, JournalReadResult& result) {
  size_t pos = kJournalMagicV2.size();
  while (data.size() - pos >= kJournalFrameHeader) {
    uint32_t length;
    uint64_t checksum;
    std::memcpy(&length, data.data() + pos, 4);
    std::memcpy(&checksum, data.data() + pos + 4, 8);
    if (length == 0 || length > kMaxFrameBody || length > data.size() - pos - kJournalFrameHeader) {
      break;
    }
    const std::string_view body = data.substr(pos + kJournalFrameHeader, length);
    uint64_t records = 0;
    if (XXH3_64bits(body.data(), body.size()) != checksum || !CheckFrameBody(body, &records)) {
      break;
    }
    ApplyFrameBody(body, core);
    result.records += records;
    pos += kJournalFrameHeader + length;
  }
  result.good_bytes = pos;
}

void ApplyV1(std::string_view data, Core& core, JournalReadResult& result) {
  size_t pos = kJournalMagicV1.size();
  while (pos < data.size()) {
    BinaryReader header(data.substr(pos, kV1RecordHeader));
    const uint32_t length = header.U32();
    const uint32_t crc = header.U32();
    const bool fits = !header.failed() && length >= 9 && length <= kV1MaxRecordBody &&
                      length <= data.size() - pos - kV1RecordHeader;
    const std::string_view body = fits ? data.substr(pos + kV1RecordHeader, length) : "";
    if (!fits || Crc32c(body) != crc) break;
    BinaryReader r(body);
    const uint8_t kind = r.U8();
    const int64_t now = r.I64();
    if (kind == kPayloadRecord) {
      core.OnPayload(body.substr(9), now);
    } else if (kind == kMalformedRecord && length == 10) {
      const uint8_t reason = r.U8();
      if (reason >= kRejectReasonCount) break;
      core.OnMalformedMessage(RejectReason(reason), now);
    } else if (kind == kTickRecord && length == 9) {
      core.Tick(now);
    } else if (kind == kCountersRecord && length == kV1CountersLength) {
      core.RestoreReplayCounters(GetReplayCounters(r));
    } else {
      break;
    }
    ++result.records;
    pos += kV1RecordHeader + length;
  }
  result.good_bytes = pos;
}

}  // namespace

void JournalFrameWriter::Begin(std::string& out) {
  start_ = out.size();
  out.resize(start_ + kJournalFrameHeader);
  last_now_ = 0;
  open_ = true;
}

void JournalFrameWriter::Head(std::string& out, uint8_t kind, int64_t now_ms) {
  if (!open_) Begin(out);
  out.push_back(static_cast<char>(kind));
  PutVarint(out, ZigZag(now_ms - last_now_));
  last_now_ = now_ms;
}

void JournalFrameWriter::Payload(std::string& out, int64_t now_ms, std::string_view payload) {
  Head(out, kPayloadRecord, now_ms);
  PutVarint(out, payload.size());
  out.append(payload);
}

void JournalFrameWriter::Malformed(std::string& out, int64_t now_ms, RejectReason reason) {
  Head(out, kMalformedRecord, now_ms);
  out.push_back(static_cast<char>(reason));
}

void JournalFrameWriter::Tick(std::string& out, int64_t now_ms) { Head(out, kTickRecord, now_ms); }

void JournalFrameWriter::Counters(std::string& out, int64_t now_ms, const ReplayCounters& c) {
  Head(out, kCountersRecord, now_ms);
  BinaryWriter w(out);
  PutReplayCounters(w, c);
}

bool JournalFrameWriter::Seal(std::string& out) {
  if (!open_) return false;
  open_ = false;
  const size_t body = start_ + kJournalFrameHeader;
  if (out.size() == body) {
    out.resize(start_);
    return false;
  }
  const uint32_t length = static_cast<uint32_t>(out.size() - body);
  const uint64_t checksum = XXH3_64bits(out.data() + body, length);
  std::memcpy(&out[start_], &length, 4);
  std::memcpy(&out[start_ + 4], &checksum, 8);
  return true;
}

JournalReadResult ApplyJournal(std::string_view data, Core& core) {
  JournalReadResult result;
  if (data.substr(0, kJournalMagicV2.size()) == kJournalMagicV2) {
    result.version = 2;
    ApplyV2(data, core, result);
  } else if (data.substr(0, kJournalMagicV1.size()) == kJournalMagicV1) {
    result.version = 1;
    ApplyV1(data, core, result);
  } else if (data.size() >= 8 && data.substr(0, 6) == "FWJRNL" && data[7] == '\n') {
    result.version = -1;
    result.error = "journal format version " + std::string(1, data[6]) +
                   " is not one this build reads (1, 2): written by a newer floorwatchd?";
  } else {
    result.error = "not a floorwatch journal";
  }
  return result;
}

}  // namespace floorwatch
