// The windowed figures of one queue/channel: several rolling windows plus `today`.
//
// Each outcome is recorded at its own event time. Rolling windows share one list of sparse
// one-second buckets (only seconds that saw an outcome exist) and each keeps a running
// sum, so reading a window is O(1) and advancing time is O(buckets that expire). Memory is
// bounded by the longest rolling window in seconds. `today` is one Tally for the current
// local calendar day of the queue's time zone (see TimeZone).
//
// Resolution: one second. An outcome at second s is in a window of length W read at now
// when s > floor(now/1000) - W/1000. Outcomes stamped in the future count at "now".
// Owned and used by the core thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "floorwatch/core/binary_io.h"
#include "floorwatch/core/tally.h"
#include "floorwatch/core/timezone.h"

namespace floorwatch {

class RollingWindows {
 public:
  // `rolling_seconds`: one entry per rolling window, in config order.
  explicit RollingWindows(const std::vector<int64_t>& rolling_seconds);

  // Records `delta` at event time `ts_ms`, given the current time and the queue's zone.
  void Record(int64_t ts_ms, int64_t now_ms, const TimeZone& zone, const Tally& delta);
  // Expires buckets and rolls `today` over; call before reading.
  void Advance(int64_t now_ms, const TimeZone& zone);

  const Tally& Rolling(size_t index) const { return windows_[index].sum; }
  const Tally& Today() const { return today_; }
  size_t bucket_count() const { return buckets_.size(); }

  // Snapshots: buckets, windows and `today`. With `keep` false (the window list changed
  // since the snapshot) Load reads past the buckets and keeps the fresh, empty windows, as
  // a reload that changes the list does; `today` is kept either way. False: bad layout.
  void Save(BinaryWriter& out) const;
  bool Load(BinaryReader& in, bool keep);

 private:
  struct Bucket {
    int64_t second;
    Tally tally;
  };
  struct Window {
    int64_t length_s;
    int64_t boundary_s;  // buckets with second > boundary_s are inside
    size_t first;        // index in buckets_ of the first bucket inside
    Tally sum;
  };

  void AdvanceRolling(int64_t now_s);

  std::deque<Bucket> buckets_;  // ascending by second
  std::vector<Window> windows_;
  int64_t longest_s_ = 0;
  int64_t today_day_ = INT64_MIN;
  Tally today_;
};

}  // namespace floorwatch
