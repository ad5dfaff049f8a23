// Remembers the last N event ids (as 64-bit hashes) to spot duplicates. Fixed memory:
// about 24 bytes per remembered id, allocated once. The oldest id is forgotten when a new
// one arrives at capacity. A false "duplicate" needs a 64-bit hash collision among N live
// ids (p ~ N^2 / 2^65; for N = 262144, about 2e-9). Single-threaded.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace floorwatch {

class RecentIds {
 public:
  explicit RecentIds(size_t capacity);
  // True if `id` was seen among the last N ids; otherwise remembers it and returns false.
  bool SeenBefore(std::string_view id);
  size_t size() const { return count_; }

 private:
  bool Contains(uint64_t h) const;
  void Insert(uint64_t h);
  void Remove(uint64_t h);

  std::vector<uint64_t> ring_;   // insertion order, for forgetting the oldest
  std::vector<uint64_t> table_;  // open addressing; 0 = empty
  size_t mask_;
  size_t head_ = 0;
  size_t count_ = 0;
};

}  // namespace floorwatch
