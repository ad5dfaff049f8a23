// Config durations: "500ms", "30s", "5m", "1h", "1d", or a plain number of seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace floorwatch {

// Returns milliseconds, or nullopt for anything malformed, negative or absurdly large.
std::optional<int64_t> ParseDurationMs(std::string_view text);

// Shortest exact spelling in the largest whole unit: 900000 -> "15m", 3600000 -> "1h".
// Used for the `window` label, so "900s" and "15m" in config both show as window="15m".
std::string FormatDurationMs(int64_t ms);

}  // namespace floorwatch
