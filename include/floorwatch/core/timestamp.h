// Event timestamps: RFC 3339 strings to ms since the Unix epoch. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace floorwatch {

// Parses "2026-11-23T10:15:30Z", "2026-11-23T10:15:30.250+01:00" (also 't', 'z', or a space
// for 'T'). Fractions beyond ms are truncated. Returns nullopt on anything malformed or
// out of range, including dates before 1970.
std::optional<int64_t> ParseRfc3339Ms(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace floorwatch
