#include "floorwatch/core/recent_ids.h"

#include <bit>
#include <cstring>
#include <functional>

namespace floorwatch {

RecentIds::RecentIds(size_t capacity)
    : buckets_(std::bit_ceil(std::max<size_t>(1, (capacity + kWays - 1) / kWays)), Bucket{}),
      mask_(buckets_.size() - 1) {}

uint64_t RecentIds::Hash(std::string_view id) {
  uint64_t h = std::hash<std::string_view>{}(id);
  h ^= h >> 33;  // murmur3 finaliser: std::hash's low bits are not all well mixed
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;
}

bool RecentIds::SeenBefore(uint64_t h) {
  Bucket& b = BucketOf(h);
  for (uint64_t stored : b.ids) {
    if (stored == h) return true;
  }
  std::memmove(&b.ids[1], &b.ids[0], sizeof(uint64_t) * (kWays - 1));  // drop the oldest
  b.ids[0] = h;
  return false;
}

void RecentIds::Save(BinaryWriter& w) const {
  w.U64(buckets_.size());
  for (const Bucket& b : buckets_) {
    for (uint64_t id : b.ids) w.U64(id);
  }
}

void RecentIds::Load(BinaryReader& r) {
  const uint64_t n = r.Count(8 * kWays);
  const bool keep = n == buckets_.size();
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    for (int k = 0; k < kWays; ++k) {
      const uint64_t id = r.U64();
      if (keep) buckets_[i].ids[k] = id;
    }
  }
}

}  // namespace floorwatch
