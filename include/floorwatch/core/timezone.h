// IANA time zones from the OS database (/usr/share/zoneinfo), for `today` windows and
// business hours. A TimeZone maps an instant to its local calendar day; DST is handled by
// the database, so a 23- or 25-hour day is simply one local date.
// Thread-safety: LocalDay is const and uses a per-object cache; use one object per thread.
#pragma once

#include <cstdint>
#include <string>

namespace floorwatch {

// a / b rounded towards minus infinity (b != 0): the day or interval a time before the epoch
// or a negative offset falls in, where C++'s division would round towards zero.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool IsValidTimeZone(const std::string& name);

class TimeZone {
 public:
  // `name` must be valid (IsValidTimeZone); "UTC" is always valid.
  explicit TimeZone(const std::string& name);

  // Local calendar day (days since 1970-01-01 in local time) of an instant.
  int64_t LocalDay(int64_t utc_ms) const;
  // UTC offset in seconds in force at an instant.
  int64_t OffsetSeconds(int64_t utc_ms) const;
  // The instants (UTC ms) a local wall-clock time (ms since 1970-01-01 00:00 local) names:
  // none in a DST gap, two when clocks went back (earlier first), else one.
  int LocalToUtc(int64_t local_ms, int64_t out[2]) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  const void* zone_;  // const date::time_zone*, owned by the process-wide tz database
  // The offset found last time and the UTC range [begin, end) it holds for: events arrive
  // in roughly time order, so most look-ups hit it.
  mutable int64_t cached_begin_ms_ = 1;
  mutable int64_t cached_end_ms_ = 0;
  mutable int64_t cached_offset_s_ = 0;
};

}  // namespace floorwatch
