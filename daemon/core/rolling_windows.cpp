#include "floorwatch/core/rolling_windows.h"

#include <algorithm>
#include <cassert>
#include <cstddef>

namespace floorwatch {
namespace {
int64_t FloorSeconds(int64_t ms) { return ms >= 0 ? ms / 1000 : (ms - 999) / 1000; }
}  // namespace

RollingWindows::RollingWindows(const std::vector<int64_t>& rolling_seconds) {
  for (int64_t s : rolling_seconds) {
    windows_.push_back(Window{s, INT64_MIN, 0, {}});
    longest_s_ = std::max(longest_s_, s);
  }
}

void RollingWindows::Record(int64_t ts_ms, int64_t now_ms, const TimeZone& zone,
                            const Tally& delta) {
  ts_ms = std::min(ts_ms, now_ms);  // a source clock ahead of ours: count it as now
  Advance(now_ms, zone);

  const int64_t day = zone.LocalDay(ts_ms);
  if (day == today_day_) today_.Add(delta);

  if (windows_.empty()) return;
  const int64_t second = FloorSeconds(ts_ms);
  if (second <= FloorSeconds(now_ms) - longest_s_) return;  // already outside every window

  // Find or insert the bucket; nearly always the last one or a new last one.
  size_t pos = buckets_.size();
  while (pos > 0 && buckets_[pos - 1].second > second) --pos;
  const bool exists = pos > 0 && buckets_[pos - 1].second == second;
  if (exists) {
    buckets_[pos - 1].tally.Add(delta);
  } else {
    buckets_.insert(buckets_.begin() + static_cast<std::ptrdiff_t>(pos), Bucket{second, delta});
  }
  for (Window& w : windows_) {
    if (second > w.boundary_s) {
      w.sum.Add(delta);
    } else if (!exists) {
      ++w.first;  // an outside bucket was inserted at or before this window's first one
    }
  }
}

void RollingWindows::AdvanceRolling(int64_t now_s) {
  size_t min_first = buckets_.size();
  for (Window& w : windows_) {
    const int64_t boundary = now_s - w.length_s;
    if (boundary > w.boundary_s) {
      w.boundary_s = boundary;
      while (w.first < buckets_.size() && buckets_[w.first].second <= boundary) {
        w.sum.Add(buckets_[w.first].tally, -1);
        ++w.first;
      }
    }
    min_first = std::min(min_first, w.first);
  }
  // Buckets before every window's first are outside all of them: drop them.
  for (size_t i = 0; i < min_first; ++i) buckets_.pop_front();
  for (Window& w : windows_) w.first -= min_first;
}

void RollingWindows::Advance(int64_t now_ms, const TimeZone& zone) {
  const int64_t day = zone.LocalDay(now_ms);
  if (day > today_day_) {
    today_day_ = day;
    today_ = Tally{};
  }
  if (!windows_.empty()) AdvanceRolling(FloorSeconds(now_ms));
}

void RollingWindows::Save(BinaryWriter& w) const {
  w.U64(buckets_.size());
  for (const auto& b : buckets_) {
    w.I64(b.second);
    PutTally(w, b.tally);
  }
  w.U64(windows_.size());
  for (const auto& win : windows_) {
    w.I64(win.length_s);
    w.I64(win.boundary_s);
    w.U64(win.first);
    PutTally(w, win.sum);
  }
  w.I64(today_day_);
  PutTally(w, today_);
}

bool RollingWindows::Load(BinaryReader& r, bool keep) {
  const uint64_t buckets = r.Count(8 + kTallyBytes);
  for (uint64_t i = 0; i < buckets && !r.failed(); ++i) {
    const int64_t second = r.I64();
    const Tally t = GetTally(r);
    if (keep) buckets_.push_back({second, t});
  }
  const uint64_t windows = r.Count(24 + kTallyBytes);
  if (keep && windows != windows_.size()) return false;
  for (uint64_t i = 0; i < windows && !r.failed(); ++i) {
    Window win{r.I64(), r.I64(), r.U64(), GetTally(r)};
    if (!keep) continue;
    if (win.length_s != windows_[i].length_s || win.first > buckets_.size()) return false;
    windows_[i] = win;
  }
  today_day_ = r.I64();
  today_ = GetTally(r);
  return !r.failed();
}

}  // namespace floorwatch
