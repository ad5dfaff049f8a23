// The windowed figures of one queue/channel (or team): several rolling windows plus `today`,
// over a struct of counters T (Tally for the service-level figures; each model that counts
// outcomes in windows brings its own).
//
// Each outcome is recorded at its own event time. Rolling windows share one list of sparse
// one-second buckets (only seconds that saw an outcome exist) and each keeps a running
// sum, so reading a window is O(1) and advancing time is O(buckets that expire). Memory is
// bounded by the longest rolling window in seconds. `today` is one T for the current local
// calendar day of the queue's time zone (see TimeZone).
//
// T: a struct of integer counters with `void Add(const T&, int64_t sign)`, `void Put(
// BinaryWriter&) const`, `static T Get(BinaryReader&)` and `static constexpr size_t kBytes`
// (what Put writes). Integer sums, so adding and later subtracting is exact.
//
// Resolution: one second. An outcome at second s is in a window of length W read at now
// when s > floor(now/1000) - W/1000. Outcomes stamped in the future count at "now".
// Owned and used by the core thread only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "floorwatch/core/binary_io.h"
#include "floorwatch/core/config.h"
#include "floorwatch/core/tally.h"
#include "floorwatch/core/timezone.h"

namespace floorwatch {

inline int64_t FloorSeconds(int64_t ms) { return ms >= 0 ? ms / 1000 : (ms - 999) / 1000; }

template <typename T>
class Windows {
 public:
  // `rolling_seconds`: one entry per rolling window, in config order.
  explicit Windows(const std::vector<int64_t>& rolling_seconds) {
    for (int64_t s : rolling_seconds) {
      windows_.push_back(Window{s, INT64_MIN, 0, {}});
      longest_s_ = std::max(longest_s_, s);
    }
  }

  // Records `delta` at event time `ts_ms`, given the current time and the queue's zone.
  void Record(int64_t ts_ms, int64_t now_ms, const TimeZone& zone, const T& delta);
  // Expires buckets and rolls `today` over; call before reading.
  void Advance(int64_t now_ms, const TimeZone& zone) {
    const int64_t day = zone.LocalDay(now_ms);
    if (day > today_day_) {
      today_day_ = day;
      today_ = T{};
    }
    if (!windows_.empty()) AdvanceRolling(FloorSeconds(now_ms));
  }

  const T& Rolling(size_t index) const { return windows_[index].sum; }
  const T& Today() const { return today_; }
  size_t bucket_count() const { return buckets_.size(); }

  // Snapshots: buckets, windows and `today`. With `keep` false (the window list changed
  // since the snapshot) Load reads past the buckets and keeps the fresh, empty windows, as
  // a reload that changes the list does; `today` is kept either way. False: bad layout.
  void Save(BinaryWriter& out) const;
  bool Load(BinaryReader& in, bool keep);

 private:
  struct Bucket {
    int64_t second;
    T tally;
  };
  struct Window {
    int64_t length_s;
    int64_t boundary_s;  // buckets with second > boundary_s are inside
    size_t first;        // index in buckets_ of the first bucket inside
    T sum;
  };

  void AdvanceRolling(int64_t now_s);

  std::deque<Bucket> buckets_;  // ascending by second
  std::vector<Window> windows_;
  int64_t longest_s_ = 0;
  int64_t today_day_ = INT64_MIN;
  T today_;
};

using RollingWindows = Windows<Tally>;

// The rolling windows' lengths in seconds, in config order (`today` left out): what a
// Windows<T> is built with.
inline std::vector<int64_t> RollingSeconds(const std::vector<WindowSpec>& windows) {
  std::vector<int64_t> seconds;
  for (const WindowSpec& w : windows) {
    if (!w.today) seconds.push_back(w.duration_ms / 1000);
  }
  return seconds;
}

// True when a reload changed the window list (by label): windows then restart empty.
inline bool WindowListChanged(const std::vector<WindowSpec>& now,
                              const std::vector<WindowSpec>& old) {
  if (now.size() != old.size()) return true;
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i].label != old[i].label) return true;
  }
  return false;
}

// Snapshot sections that hold windows start with the rolling windows they were taken under
// (u64 n + n x i64 seconds): a restore under another window list keeps its windows empty.
inline void PutRollingSeconds(BinaryWriter& w, const std::vector<WindowSpec>& windows) {
  const std::vector<int64_t> rolling = RollingSeconds(windows);
  w.U64(rolling.size());
  for (int64_t s : rolling) w.I64(s);
}
// Reads what PutRollingSeconds wrote; true when it is this config's list (windows kept).
inline bool ReadSameRollingSeconds(BinaryReader& r, const std::vector<WindowSpec>& windows) {
  std::vector<int64_t> rolling(r.Count(8));
  for (int64_t& s : rolling) s = r.I64();
  return rolling == RollingSeconds(windows);
}

// The counts of configured window `window` (an index into Config::windows); `zero` past the
// end of the list.
template <typename T>
const T& WindowOf(const Windows<T>& w, const std::vector<WindowSpec>& windows, size_t window,
                  const T& zero) {
  if (window >= windows.size()) return zero;
  if (windows[window].today) return w.Today();
  size_t rolling = 0;  // its index among the rolling windows
  for (size_t i = 0; i < window; ++i) rolling += windows[i].today ? 0 : 1;
  return w.Rolling(rolling);
}

template <typename T>
void Windows<T>::Record(int64_t ts_ms, int64_t now_ms, const TimeZone& zone, const T& delta) {
  ts_ms = std::min(ts_ms, now_ms);  // a source clock ahead of ours: count it as now
  Advance(now_ms, zone);
  if (zone.LocalDay(ts_ms) == today_day_) today_.Add(delta, 1);
  if (windows_.empty()) return;
  const int64_t second = FloorSeconds(ts_ms);
  if (second <= FloorSeconds(now_ms) - longest_s_) return;  // already outside every window
  // Find or insert the bucket; nearly always the last one or a new last one.
  size_t pos = buckets_.size();
  while (pos > 0 && buckets_[pos - 1].second > second) --pos;
  const bool exists = pos > 0 && buckets_[pos - 1].second == second;
  if (exists) {
    buckets_[pos - 1].tally.Add(delta, 1);
  } else {
    buckets_.insert(buckets_.begin() + static_cast<std::ptrdiff_t>(pos), Bucket{second, delta});
  }
  for (Window& w : windows_) {
    if (second > w.boundary_s) {
      w.sum.Add(delta, 1);
    } else if (!exists) {
      ++w.first;  // an outside bucket was inserted at or before this window's first one
    }
  }
}

template <typename T>
void Windows<T>::AdvanceRolling(int64_t now_s) {
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

template <typename T>
void Windows<T>::Save(BinaryWriter& w) const {
  w.U64(buckets_.size());
  for (const auto& b : buckets_) {
    w.I64(b.second);
    b.tally.Put(w);
  }
  w.U64(windows_.size());
  for (const auto& win : windows_) {
    w.I64(win.length_s);
    w.I64(win.boundary_s);
    w.U64(win.first);
    win.sum.Put(w);
  }
  w.I64(today_day_);
  today_.Put(w);
}

template <typename T>
bool Windows<T>::Load(BinaryReader& r, bool keep) {
  const uint64_t buckets = r.Count(8 + T::kBytes);
  for (uint64_t i = 0; i < buckets && !r.failed(); ++i) {
    const int64_t second = r.I64();
    const T t = T::Get(r);
    if (keep) buckets_.push_back({second, t});
  }
  const uint64_t windows = r.Count(24 + T::kBytes);
  if (keep && windows != windows_.size()) return false;
  for (uint64_t i = 0; i < windows && !r.failed(); ++i) {
    Window win{r.I64(), r.I64(), r.U64(), T::Get(r)};
    if (!keep) continue;
    if (win.length_s != windows_[i].length_s || win.first > buckets_.size()) return false;
    windows_[i] = win;
  }
  today_day_ = r.I64();
  today_ = T::Get(r);
  return !r.failed();
}

}  // namespace floorwatch
