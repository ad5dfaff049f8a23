// floorwatch-core-bench staffing mode (staffing_bench.cpp), called from core_bench.cpp's main.
#pragma once

namespace floorwatch::bench {

// Staffing figures of QUEUES x CHANNELS queue/channels with AGENTS agents and `per_window`
// contacts per queue/channel in the staffing window: one JSON line.
int StaffingBench(int queues, int channels, int agents, int per_window);

}  // namespace floorwatch::bench
