// The per-queue settings blocks that may sit under `defaults:`, a queue, or a queue's channel
// (docs/config.md): `service_level:` and `staffing:`. Each key is checked here; a bad value
// is an error naming the key and line, never clamped.
#include "config/config_parse.h"

namespace floorwatch::config_internal {
namespace {

std::string RollingLabels(const std::vector<WindowSpec>& windows) {
  std::string out;
  for (const WindowSpec& w : windows) {
    if (w.today) continue;
    out += out.empty() ? w.label : ", " + w.label;
  }
  return out.empty() ? "none is configured" : out;
}

// The staffing window: a duration equal to one of the configured rolling windows (so that
// "900s" names the 15m window), never `today`, whose length changes through the day.
int64_t ParseStaffingWindow(const Node& n, const std::vector<WindowSpec>& windows) {
  const std::string text = n.Str();
  const std::optional<int64_t> ms = ParseDurationMs(text);
  for (const WindowSpec& w : windows) {
    if (ms && !w.today && w.duration_ms == *ms) return *ms;
  }
  n.Fail("must be one of the configured rolling windows (" + RollingLabels(windows) + "), got '" +
         text + "'");
}

}  // namespace

ServiceLevelOverride ParseServiceLevel(const Node& n) {
  n.ExpectMap({"threshold_seconds", "target", "formula"});
  ServiceLevelOverride sl;
  if (!n["threshold_seconds"].IsNull()) {
    const double t = n["threshold_seconds"].Number();
    if (!(t > 0) || t > 86400) n["threshold_seconds"].Fail("must be more than 0 and at most 86400");
    sl.threshold_seconds = t;
  }
  if (!n["target"].IsNull()) {
    const double t = n["target"].Number();
    if (!(t >= 0 && t <= 1)) {
      n["target"].Fail("must be between 0 and 1, got " + std::to_string(t));
    }
    sl.target = t;
  }
  if (!n["formula"].IsNull()) {
    sl.formula = n["formula"].OneOf<SlFormula>(
        {{"answered_plus_abandoned", SlFormula::kAnsweredPlusAbandoned},
         {"answered", SlFormula::kAnswered},
         {"abandons_positive", SlFormula::kAbandonsPositive}});
  }
  return sl;
}

StaffingOverride ParseStaffing(const Node& n, const std::vector<WindowSpec>& windows) {
  n.ExpectMap({"window", "max_occupancy", "concurrency"});
  StaffingOverride s;
  if (!n["window"].IsNull()) s.window_ms = ParseStaffingWindow(n["window"], windows);
  if (!n["max_occupancy"].IsNull()) {
    const Node key = n["max_occupancy"];
    const double v = key.Number();
    if (!(v > 0 && v <= 1)) key.Fail("must be more than 0 and at most 1, got " + key.Str());
    s.max_occupancy = v;
  }
  if (!n["concurrency"].IsNull()) {
    const Node key = n["concurrency"];
    const int64_t v = key.Integer();
    if (v < 1 || v > 1000) key.Fail("must be an integer from 1 to 1000, got " + key.Str());
    s.concurrency = v;
  }
  return s;
}

void ParseDefaultStaffing(const Node& n, const std::vector<WindowSpec>& windows,
                          StaffingConfig& staffing) {
  const StaffingOverride o = ParseStaffing(n, windows);
  staffing.max_occupancy = o.max_occupancy.value_or(staffing.max_occupancy);
  staffing.concurrency = o.concurrency.value_or(staffing.concurrency);
  if (o.window_ms) {
    staffing.window_ms = *o.window_ms;
    return;
  }
  // Unset: 15m when it is configured, else the first rolling window, else none (then no
  // arrival rate is known and the figures that need one are NaN).
  int64_t fallback = 0;
  for (const WindowSpec& w : windows) {
    if (w.today) continue;
    if (w.duration_ms == staffing.window_ms) return;
    if (fallback == 0) fallback = w.duration_ms;
  }
  staffing.window_ms = fallback;
}

}  // namespace floorwatch::config_internal
