// Outcome counts and time sums for one queue/channel over some span of time. Times are
// integer milliseconds so that adding and later subtracting them is exact.
#pragma once

#include <cstdint>

#include "floorwatch/core/binary_io.h"

namespace floorwatch {

struct Tally {
  int64_t offered = 0;
  int64_t answered = 0;
  int64_t answered_in_sl = 0;
  int64_t abandoned = 0;
  int64_t short_abandoned = 0;
  int64_t abandoned_in_sl = 0;  // Bsl: non-short abandons that waited <= the SL threshold
  int64_t handled = 0;
  int64_t wait_ms = 0;  // of answered
  int64_t talk_ms = 0;  // of handled
  int64_t acw_ms = 0;   // of wrapped

  // As Windows<T> wants it (rolling_windows.h): snapshots write the ten fields as i64.
  static constexpr size_t kBytes = 10 * 8;
  void Put(BinaryWriter& w) const;
  static Tally Get(BinaryReader& r);

  void Add(const Tally& o, int64_t sign = 1) {
    offered += sign * o.offered;
    answered += sign * o.answered;
    answered_in_sl += sign * o.answered_in_sl;
    abandoned += sign * o.abandoned;
    short_abandoned += sign * o.short_abandoned;
    abandoned_in_sl += sign * o.abandoned_in_sl;
    handled += sign * o.handled;
    wait_ms += sign * o.wait_ms;
    talk_ms += sign * o.talk_ms;
    acw_ms += sign * o.acw_ms;
  }
};

// A Tally in snapshots: its ten fields as i64, in declaration order.
inline constexpr size_t kTallyBytes = Tally::kBytes;
inline void PutTally(BinaryWriter& w, const Tally& t) {
  for (int64_t v : {t.offered, t.answered, t.answered_in_sl, t.abandoned, t.short_abandoned,
                    t.abandoned_in_sl, t.handled, t.wait_ms, t.talk_ms, t.acw_ms}) {
    w.I64(v);
  }
}
inline Tally GetTally(BinaryReader& r) {
  Tally t;
  for (int64_t* v : {&t.offered, &t.answered, &t.answered_in_sl, &t.abandoned, &t.short_abandoned,
                     &t.abandoned_in_sl, &t.handled, &t.wait_ms, &t.talk_ms, &t.acw_ms}) {
    *v = r.I64();
  }
  return t;
}

inline void Tally::Put(BinaryWriter& w) const { PutTally(w, *this); }
inline Tally Tally::Get(BinaryReader& r) { return GetTally(r); }

}  // namespace floorwatch
