// floorwatch-core-bench prediction mode (prediction_bench.cpp), called from core_bench.cpp's main.
#pragma once

namespace floorwatch::bench {

// Prediction figures of QUEUES x 3 queue/channels with AGENTS agents and WAITING waiting
// contacts: one JSON line.
int PredictionBench(int queues, int agents, int waiting);

}  // namespace floorwatch::bench
