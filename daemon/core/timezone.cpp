#include "floorwatch/core/timezone.h"

#include <date/tz.h>

namespace floorwatch {
namespace {

const date::time_zone* Locate(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

bool IsValidTimeZone(const std::string& name) { return Locate(name) != nullptr; }

TimeZone::TimeZone(const std::string& name) : name_(name), zone_(Locate(name)) {
  if (zone_ == nullptr) zone_ = Locate("UTC");
}

int64_t TimeZone::OffsetSeconds(int64_t utc_ms) const {
  if (utc_ms >= cached_begin_ms_ && utc_ms < cached_end_ms_) return cached_offset_s_;
  const auto* zone = static_cast<const date::time_zone*>(zone_);
  if (zone == nullptr) return 0;
  const date::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds(utc_ms)};
  const date::sys_info info = zone->get_info(t);
  cached_offset_s_ = info.offset.count();
  cached_begin_ms_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(info.begin.time_since_epoch()).count();
  cached_end_ms_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(info.end.time_since_epoch()).count();
  return cached_offset_s_;
}

int TimeZone::LocalToUtc(int64_t local_ms, int64_t out[2]) const {
  const auto* zone = static_cast<const date::time_zone*>(zone_);
  const date::local_time<std::chrono::milliseconds> t{std::chrono::milliseconds(local_ms)};
  const date::local_info info = zone->get_info(t);
  const auto utc = [&](const date::sys_info& i) { return local_ms - i.offset.count() * 1000; };
  switch (info.result) {
    case date::local_info::unique:
      out[0] = utc(info.first);
      return 1;
    case date::local_info::ambiguous:
      out[0] = utc(info.first);
      out[1] = utc(info.second);
      return 2;
    default:
      return 0;
  }
}

int64_t TimeZone::LocalDay(int64_t utc_ms) const {
  return FloorDiv(utc_ms + OffsetSeconds(utc_ms) * 1000, 86'400'000);
}

}  // namespace floorwatch
