// Reads this process's CPU, memory and file descriptor figures from /proc for the
// process_* metrics. Linux only; leaves has_process false where /proc is unreadable.
#pragma once

#include "floorwatch/render/metrics_text.h"

namespace floorwatch {

void ReadProcessStats(DaemonInfo& info);
// Resident set size in bytes, or 0 if unknown (used by benchmarks too).
double ResidentBytes();

}  // namespace floorwatch
