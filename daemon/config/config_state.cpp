// `state:` (docs/config.md): where durable state lives, how often it is snapshotted and when
// the journal is synced. Each key is checked here; a bad value is an error naming the key and
// line, never clamped.
#include "config/config_parse.h"

namespace floorwatch::config_internal {

void ParseState(const Node& n, StateConfig& state) {
  n.ExpectMap({"dir", "snapshot_interval", "fsync", "fsync_interval"});
  if (!n["dir"].IsNull()) {
    state.dir = n["dir"].Str();
    if (state.dir == "none") state.dir.clear();
  }
  if (!n["snapshot_interval"].IsNull()) {
    state.snapshot_interval_ms = n["snapshot_interval"].DurationMs();
    if (state.snapshot_interval_ms < 1000) n["snapshot_interval"].Fail("must be at least 1s");
  }
  if (!n["fsync"].IsNull()) {
    const std::string fsync = n["fsync"].Str();
    if (fsync == "batch") {
      state.fsync = FsyncPolicy::kBatch;
    } else if (fsync == "interval") {
      state.fsync = FsyncPolicy::kInterval;
    } else if (fsync == "never") {
      state.fsync = FsyncPolicy::kNever;
    } else {
      n["fsync"].Fail("must be batch, interval or never");
    }
  }
  if (!n["fsync_interval"].IsNull()) {
    // Meaningless with the other settings: refused rather than silently ignored.
    if (state.fsync != FsyncPolicy::kInterval) {
      n["fsync_interval"].Fail("applies only with fsync: interval");
    }
    state.fsync_interval_ms = n["fsync_interval"].DurationMs();
    if (state.fsync_interval_ms < 10 || state.fsync_interval_ms > 60'000) {
      n["fsync_interval"].Fail("must be between 10ms and 60s");
    }
  }
}

}  // namespace floorwatch::config_internal
