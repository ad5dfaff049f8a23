// Everything a core shows to the outside, as one string: its /metrics families,
// /api/v1/queues, /api/v1/teams and /api/v1/escalations after a Tick at `now`. Two cores that
// render the same are indistinguishable to users; the state round-trip tests (snapshots, journals,
// the replay fuzz target) compare these.
#pragma once

#include <string>

#include "floorwatch/core/core.h"
#include "floorwatch/core/exposition.h"

namespace floorwatch::testing {

inline std::string RenderAll(Core& core, int64_t now) {
  core.Tick(now);
  std::string metrics, queues, teams, escalations;
  MetricWriter writer(metrics);
  core.RenderMetrics(writer, now);
  core.RenderQueuesJson(queues, now);
  core.RenderTeamsJson(teams, now);
  core.RenderEscalationsJson(escalations, now);
  return metrics + queues + teams + escalations;
}

}  // namespace floorwatch::testing
