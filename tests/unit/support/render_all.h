// Everything a core shows to the outside, as one string: its /metrics families and
// /api/v1/queues after a Tick at `now`. Two cores that render the same are
// indistinguishable to users; the state round-trip tests (snapshots, journals, the replay
// fuzz target) compare these.
#pragma once

#include <string>

#include "floorwatch/core/core.h"
#include "floorwatch/core/exposition.h"

namespace floorwatch::testing {

inline std::string RenderAll(Core& core, int64_t now) {
  core.Tick(now);
  std::string metrics, json;
  MetricWriter writer(metrics);
  core.RenderMetrics(writer, now);
  core.RenderQueuesJson(json, now);
  return metrics + json;
}

}  // namespace floorwatch::testing
