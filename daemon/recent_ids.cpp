#include "floorwatch/recent_ids.h"

#include <bit>
#include <functional>

namespace floorwatch {
namespace {
uint64_t Mix(uint64_t h) {  // murmur3 finaliser: spreads std::hash bits over the table
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;
}
}  // namespace

RecentIds::RecentIds(size_t capacity)
    : ring_(capacity == 0 ? 1 : capacity, 0),
      table_(std::bit_ceil((capacity == 0 ? 1 : capacity) * 2), 0),
      mask_(table_.size() - 1) {}

bool RecentIds::SeenBefore(std::string_view id) {
  const uint64_t h = Mix(std::hash<std::string_view>{}(id));
  if (Contains(h)) return true;
  if (count_ == ring_.size()) {
    Remove(ring_[head_]);
    --count_;
  }
  ring_[head_] = h;
  head_ = (head_ + 1) % ring_.size();
  ++count_;
  Insert(h);
  return false;
}

bool RecentIds::Contains(uint64_t h) const {
  for (size_t i = h & mask_;; i = (i + 1) & mask_) {
    if (table_[i] == h) return true;
    if (table_[i] == 0) return false;
  }
}

void RecentIds::Insert(uint64_t h) {
  size_t i = h & mask_;
  while (table_[i] != 0) i = (i + 1) & mask_;
  table_[i] = h;
}

void RecentIds::Remove(uint64_t h) {
  size_t i = h & mask_;
  while (table_[i] != h) i = (i + 1) & mask_;
  size_t hole = i;
  for (size_t j = (hole + 1) & mask_; table_[j] != 0; j = (j + 1) & mask_) {
    const size_t home = table_[j] & mask_;
    const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      table_[hole] = table_[j];
      hole = j;
    }
  }
  table_[hole] = 0;
}

}  // namespace floorwatch
