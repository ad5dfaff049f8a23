// GET /metrics: the Prometheus text exposition (format 0.0.4) of the core's models, followed
// by what the daemon knows about itself (build, config reloads, alerts, durable state,
// process). Built from state at the moment of the scrape; nothing is registered or kept
// between scrapes. Runs on the core thread (it reads the Core); cost is linear in
// queues x channels x windows plus agents (docs/performance.md has measured times). A scrape
// is rendered part by part (RenderMetricsPart), events applied between parts, so the core
// thread never holds events for the whole body.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "floorwatch/core/core.h"
#include "floorwatch/state/state_stats.h"

namespace floorwatch {

// What the daemon knows about itself, beyond the core's state.
struct DaemonInfo {
  std::string version = FLOORWATCH_VERSION;
  bool config_reload_ok = true;
  double config_reload_timestamp_seconds = 0;
  double last_render_seconds = 0;        // how long the previous /metrics render took (core thread)
  double last_render_pause_seconds = 0;  // its longest slice: events waited that long at most
  // Process figures (process_* metrics); absent when has_process is false.
  bool has_process = false;
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
  double start_time_seconds = 0;
  // Alerting: firing alerts per (alertname, severity), every configured pair present
  // (zeros included); delivery outcomes per (sink, result).
  std::vector<std::tuple<std::string, std::string, int64_t>> alerts_firing;
  std::vector<std::tuple<std::string, std::string, uint64_t>> notifications;
  // Durable state (floorwatch_state_*); absent when state.dir is not set.
  std::optional<StateStoreStats> state;
};

// Appends the exposition to `out` (cleared first). `core.Tick(now_ms)` should run first.
void RenderMetrics(const Core& core, const DaemonInfo& info, int64_t now_ms, std::string& out);

// The same body in parts: the core's (Core::MetricParts, in its order), then the daemon's
// figures as the last. The count can grow between parts (core.h); ask again after events.
// RenderMetricsPart appends part `part` to `out`; Tick(now) before each part.
size_t MetricsParts(const Core& core);
void RenderMetricsPart(const Core& core, const DaemonInfo& info, size_t part, int64_t now_ms,
                       std::string& out);

}  // namespace floorwatch
