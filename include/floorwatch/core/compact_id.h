// CompactId: an id string in 16 bytes (std::string takes 32), for records kept by the
// million (live contacts). Ids of up to 15 bytes are stored inline; longer ones in one heap
// block of exactly their size. Reads as a std::string_view. Not thread-safe (like the
// records that hold it: the core thread's).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace floorwatch {

class CompactId {
 public:
  CompactId() { Reset(); }
  CompactId(std::string_view s) {  // NOLINT: reads like the std::string it replaces
    Reset();
    assign(s.data(), s.size());
  }
  CompactId(const CompactId& o) : CompactId(std::string_view(o)) {}
  CompactId(CompactId&& o) noexcept {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    o.Reset();
  }
  CompactId& operator=(const CompactId& o) {
    if (this != &o) assign(o.data(), o.size());
    return *this;
  }
  CompactId& operator=(CompactId&& o) noexcept {
    if (this != &o) {
      Free();
      std::memcpy(bytes_, o.bytes_, sizeof bytes_);
      o.Reset();
    }
    return *this;
  }
  ~CompactId() { Free(); }

  void assign(const char* p, size_t n) {
    Free();
    if (n <= kInline) {
      std::memcpy(bytes_, p, n);
      bytes_[kTag] = static_cast<char>(kInline - n);  // 0 for 15 bytes: doubles as a NUL
      return;
    }
    char* heap = new char[n];
    std::memcpy(heap, p, n);
    const uint32_t size = static_cast<uint32_t>(n);
    std::memcpy(bytes_, &heap, sizeof heap);
    std::memcpy(bytes_ + sizeof heap, &size, sizeof size);
    bytes_[kTag] = kHeap;
  }

  const char* data() const {
    if (!OnHeap()) return bytes_;
    char* heap;
    std::memcpy(&heap, bytes_, sizeof heap);
    return heap;
  }
  size_t size() const {
    if (!OnHeap()) return kInline - static_cast<unsigned char>(bytes_[kTag]);
    uint32_t size;
    std::memcpy(&size, bytes_ + sizeof(char*), sizeof size);
    return size;
  }
  bool empty() const { return size() == 0; }
  operator std::string_view() const { return {data(), size()}; }  // NOLINT
  bool operator==(std::string_view s) const { return std::string_view(*this) == s; }

 private:
  static constexpr size_t kInline = 15;
  static constexpr size_t kTag = 15;  // last byte: kInline - size, or kHeap
  static constexpr char kHeap = static_cast<char>(0x7f);

  bool OnHeap() const { return bytes_[kTag] == kHeap; }
  void Reset() {
    std::memset(bytes_, 0, sizeof bytes_);
    bytes_[kTag] = static_cast<char>(kInline);
  }
  void Free() {
    if (OnHeap()) delete[] const_cast<char*>(data());
    Reset();
  }

  char bytes_[16];
};
static_assert(sizeof(CompactId) == 16);

}  // namespace floorwatch
