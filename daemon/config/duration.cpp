#include "floorwatch/config/duration.h"

#include <charconv>

namespace floorwatch {

std::optional<int64_t> ParseDurationMs(std::string_view text) {
  constexpr int64_t kMaxMs = int64_t{366} * 86400 * 1000;
  if (text.empty()) return std::nullopt;
  size_t digits_end = 0;
  while (digits_end < text.size() &&
         ((text[digits_end] >= '0' && text[digits_end] <= '9') || text[digits_end] == '.')) {
    ++digits_end;
  }
  if (digits_end == 0) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + digits_end, value);
  if (ec != std::errc() || ptr != text.data() + digits_end) return std::nullopt;
  const std::string_view unit = text.substr(digits_end);
  double factor;
  if (unit.empty() || unit == "s") {
    factor = 1000;
  } else if (unit == "ms") {
    factor = 1;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else if (unit == "d") {
    factor = 86'400'000;
  } else {
    return std::nullopt;
  }
  const double ms = value * factor;
  if (ms > static_cast<double>(kMaxMs)) return std::nullopt;
  return static_cast<int64_t>(ms + 0.5);
}

std::string FormatDurationMs(int64_t ms) {
  struct Unit {
    int64_t ms;
    const char* suffix;
  };
  static constexpr Unit kUnits[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const Unit& u : kUnits) {
    if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + u.suffix;
  }
  return "0s";
}

}  // namespace floorwatch
