#include "floorwatch/core/models/intake_model.h"

namespace floorwatch {
namespace {

// Reasons are only ever appended: a snapshot with fewer starts the new ones at 0, and the
// counts of reasons this build does not know are dropped.
template <size_t N>
void ReadCounts(BinaryReader& r, std::array<uint64_t, N>& counts) {
  const uint32_t n = r.U32();
  if (n > r.remaining() / 8) return r.Fail();
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t v = r.U64();
    if (i < N) counts[i] = v;
  }
}

}  // namespace

IntakeModel::IntakeModel(const Config& config, const SourcesModel& sources)
    : sources_(sources), recent_ids_(config.limits.dedup_ids) {}

void IntakeModel::RenderMetrics(MetricWriter& w, int64_t) const {
  std::string l;
  w.Single("floorwatch_events_received_total", "counter", "Messages taken off the inputs.",
           double(stats_.received));
  w.Single("floorwatch_events_applied_total", "counter", "Events that changed state.",
           double(stats_.applied));
  w.Family("floorwatch_events_rejected_total", "counter", "Events dropped, by reason.");
  for (int r = 0; r < kRejectReasonCount; ++r) {
    l.assign("reason=\"").append(kRejectReasonNames[r]).append("\"");
    w.Sample("floorwatch_events_rejected_total", l, double(stats_.rejected[r]));
  }
  w.Single("floorwatch_events_duplicate_total", "counter",
           "Ignored repeats (same id, or a seq already applied).", double(stats_.duplicate));
  w.Family("floorwatch_events_ignored_total", "counter",
           "Valid events that changed nothing (e.g. a repeated contact.queued), by reason.");
  for (int r = 0; r < kIgnoreReasonCount; ++r) {
    l.assign("reason=\"").append(kIgnoreReasonNames[r]).append("\"");
    w.Sample("floorwatch_events_ignored_total", l, double(stats_.ignored[r]));
  }
  w.Single("floorwatch_event_lag_seconds", "gauge",
           "Daemon time minus source ts of the last applied event (negative: source clock ahead).",
           double(stats_.last_event_lag_ms) / 1000.0);
  w.Single("floorwatch_input_auth_denied_total", "counter",
           "Connections to CURVE inputs refused because the client key is not allowed.",
           double(stats_.input_auth_denied));
}

// Snapshot section "intake", version 1: u64 received (less the events held for a replay,
// which are not in the snapshot), u64 applied, u64 duplicate, u32 n + n x u64 rejected by
// reason, u32 m + m x u64 ignored by reason, u64 input auth denied, i64 last lag, then the
// recent ids (RecentIds::Save).
void IntakeModel::Save(BinaryWriter& w) const {
  w.U64(stats_.received - sources_.replay().held);
  w.U64(stats_.applied);
  w.U64(stats_.duplicate);
  w.U32(kRejectReasonCount);
  for (uint64_t v : stats_.rejected) w.U64(v);
  w.U32(kIgnoreReasonCount);
  for (uint64_t v : stats_.ignored) w.U64(v);
  w.U64(stats_.input_auth_denied);
  w.I64(stats_.last_event_lag_ms);
  recent_ids_.Save(w);
}

bool IntakeModel::Load(BinaryReader& r, uint32_t, const LoadContext&) {
  stats_.received = r.U64();
  stats_.applied = r.U64();
  stats_.duplicate = r.U64();
  ReadCounts(r, stats_.rejected);
  ReadCounts(r, stats_.ignored);
  stats_.input_auth_denied = r.U64();
  stats_.last_event_lag_ms = r.I64();
  recent_ids_.Load(r);
  return !r.failed();
}

}  // namespace floorwatch
