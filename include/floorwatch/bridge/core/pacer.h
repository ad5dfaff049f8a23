// --speed N: replays a recorded input at N times the pace of its own timestamps, for demos.
//
// The first record is published at once; each later one (ts - previous ts) / N after the
// previous one, but never more than max_idle after it, so a night or a weekend in the
// file passes in a moment. Published events keep their own spacing in time: every ts is
// shifted by one constant, (wall clock at the first record) - (its ts), so waits and talk
// times stay those of the file, while the events arrive N times faster than their ts
// advance (they run ahead of the wall clock). Pure: the caller passes now and sleeps.
#pragma once

#include <cstdint>

namespace floorwatch::bridge {

class Pacer {
 public:
  explicit Pacer(double speed, int64_t max_idle_ms = 2000)
      : speed_(speed), max_idle_ms_(max_idle_ms) {}

  // Wall-clock ms at which the record stamped `ts_ms` is due (at or before now: at once).
  // Records must come in file order; a ts earlier than the previous one is due at once.
  int64_t DueAt(int64_t ts_ms, int64_t now_ms);
  // What to add to every published ts; 0 before the first record.
  int64_t shift_ms() const { return shift_ms_; }

 private:
  double speed_;
  int64_t max_idle_ms_;
  bool started_ = false;
  int64_t shift_ms_ = 0;
  int64_t previous_ts_ = 0;
  int64_t previous_due_ = 0;
};

}  // namespace floorwatch::bridge
