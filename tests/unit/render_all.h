// Everything a core shows to the outside, as one string: /metrics and /api/v1/queues after a
// Tick at `now`. Two cores that render the same are indistinguishable to users; the state
// round-trip tests (snapshots, journals, the replay fuzz target) compare these.
#pragma once

#include <string>

#include "floorwatch/core.h"
#include "floorwatch/json_api.h"
#include "floorwatch/metrics_text.h"

namespace floorwatch::testing {

inline std::string RenderAll(Core& core, int64_t now) {
  core.Tick(now);
  std::string metrics, json;
  RenderMetrics(core, DaemonInfo{}, now, metrics);
  RenderQueuesJson(core, now, json);
  return metrics + json;
}

}  // namespace floorwatch::testing
