// Remembers recent event ids (as 64-bit hashes) to spot duplicates, in fixed memory: 8 bytes
// per remembered id, allocated once, touched one 64-byte cache line per event.
//
// Ids hash into buckets of 8 (one cache line); a bucket keeps its 8 newest ids and forgets
// the oldest when a ninth arrives. So "recent" means: an id is forgotten once 8 newer ids
// have landed in its bucket. With capacity N (N/8 buckets), an id survives the next N/4
// ids with probability 0.999 and the next N/2 with probability 0.95 (Poisson tails), and on
// average about N. A false "duplicate" needs a 64-bit hash collision within one bucket.
// Single-threaded.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "floorwatch/core/binary_io.h"

namespace floorwatch {

class RecentIds {
 public:
  static constexpr int kWays = 8;

  explicit RecentIds(size_t capacity);
  // True if `id` is among the remembered ids; otherwise remembers it and returns false.
  bool SeenBefore(std::string_view id) { return SeenBefore(Hash(id)); }
  // Starts loading the id's bucket into cache (a hint; call early, use later).
  void Prefetch(std::string_view id) const { Prefetch(Hash(id)); }
  // The same by the id's hash, for a caller that hashes once and uses it twice.
  static uint64_t Hash(std::string_view id);
  bool SeenBefore(uint64_t hash);
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&buckets_[(hash >> 7) & mask_]); }
  size_t capacity() const { return buckets_.size() * kWays; }

  // Snapshots: every bucket as it is. A snapshot of another capacity (limits.dedup_ids
  // changed) is read past and the memory starts empty: a duplicate older than the restart is
  // then applied again (the seq check still catches sequenced ones).
  void Save(BinaryWriter& out) const;
  void Load(BinaryReader& in);

 private:
  struct alignas(64) Bucket {
    uint64_t ids[kWays];  // newest first; 0 = empty
  };
  Bucket& BucketOf(uint64_t h) { return buckets_[(h >> 7) & mask_]; }

  std::vector<Bucket> buckets_;
  size_t mask_;
};

}  // namespace floorwatch
