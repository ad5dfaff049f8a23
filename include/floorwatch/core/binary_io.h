// Little-endian binary encoding for the journal and snapshots (state_store.h, snapshot.h),
// plus the CRC-32C that guards every record.
//
// BinaryWriter appends to a caller-owned std::string. BinaryReader never reads past its
// input: a short or malformed input sets failed() and every later read returns zero values,
// so decoders check once at the end instead of after every field. Pure, no I/O.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace floorwatch {

static_assert(std::endian::native == std::endian::little, "the state files are little-endian");

// CRC-32C (Castagnoli): the SSE 4.2 instruction where the CPU has it, else a table.
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);
uint32_t Crc32cPortable(std::string_view data, uint32_t crc = 0);  // the table, always

class BinaryWriter {
 public:
  explicit BinaryWriter(std::string& out) : out_(out) {}
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, sizeof v); }
  void U64(uint64_t v) { Raw(&v, sizeof v); }
  void I64(int64_t v) { Raw(&v, sizeof v); }
  void F64(double v) { Raw(&v, sizeof v); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s.data(), s.size());
  }
  void Bytes(std::string_view s) { out_.append(s.data(), s.size()); }  // no length prefix
  size_t size() const { return out_.size(); }
  std::string& out() { return out_; }

 private:
  void Raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view in) : in_(in) {}
  uint8_t U8() { return Fixed<uint8_t>(); }
  uint32_t U32() { return Fixed<uint32_t>(); }
  uint64_t U64() { return Fixed<uint64_t>(); }
  int64_t I64() { return Fixed<int64_t>(); }
  double F64() { return Fixed<double>(); }
  std::string_view Str() {
    const uint32_t n = U32();
    if (failed_ || n > in_.size() - pos_) return Fail(), std::string_view{};
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // A count of items each at least `min_item_bytes` long: fails (returns 0) if the rest of
  // the input cannot hold that many, so a corrupt count never drives a huge allocation.
  uint64_t Count(size_t min_item_bytes) {
    const uint64_t n = U64();
    if (failed_ || (min_item_bytes > 0 && n > remaining() / min_item_bytes)) return Fail(), 0;
    return n;
  }
  // The next `n` bytes as they are (empty and failed if fewer remain).
  std::string_view Bytes(size_t n) {
    if (failed_ || n > remaining()) return Fail(), std::string_view{};
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  bool failed() const { return failed_; }
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }
  // The bytes read between two positions (from <= to <= position()).
  std::string_view Between(size_t from, size_t to) const { return in_.substr(from, to - from); }
  void Fail() { failed_ = true; }

 private:
  template <typename T>
  T Fixed() {
    T v{};
    if (failed_ || remaining() < sizeof v) return Fail(), T{};
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace floorwatch
