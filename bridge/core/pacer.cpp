#include "floorwatch/bridge/core/pacer.h"

#include <algorithm>

namespace floorwatch::bridge {

int64_t Pacer::DueAt(int64_t ts_ms, int64_t now_ms) {
  if (!started_) {
    started_ = true;
    shift_ms_ = now_ms - ts_ms;
    previous_ts_ = ts_ms;
    previous_due_ = now_ms;
    return now_ms;
  }
  const int64_t gap = std::max<int64_t>(0, ts_ms - previous_ts_);
  const int64_t wait = std::min<int64_t>(static_cast<int64_t>(double(gap) / speed_), max_idle_ms_);
  previous_ts_ = std::max(previous_ts_, ts_ms);
  previous_due_ += wait;
  return previous_due_;
}

}  // namespace floorwatch::bridge
