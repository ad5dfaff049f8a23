// Reads this process's CPU, memory and file descriptor figures from /proc for the
// process_* metrics. Linux only; leaves has_process false where /proc is unreadable.
#pragma once

#include "floorwatch/render/metrics_text.h"

namespace floorwatch {

void ReadProcessStats(DaemonInfo& info);
// Resident set size in bytes, or 0 if unknown (used by benchmarks too).
double ResidentBytes();

// Makes allocations of 4 MiB and more mapped, and so given back whole when freed. glibc's
// default raises that threshold after each such free, so the outcome memories' tables,
// growing in turn, would leave outgrown arrays resident in the heap (measured: 28 MiB more
// after tests/integration/test_outcome_flood.py). The daemon calls it first thing, and the
// benchmarks that measure memory do too.
void MapLargeAllocations();

}  // namespace floorwatch
