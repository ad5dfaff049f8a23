#include "floorwatch/bridge/core/bridge_stats.h"

#include "floorwatch/core/exposition.h"

namespace floorwatch::bridge {

void SkipCounts::Count(std::string_view reason, std::string_view kind) {
  ++total_;
  std::pair<std::string, std::string> key{std::string(reason), std::string(kind)};
  auto it = counts_.find(key);
  if (it == counts_.end() && counts_.size() >= kMaxKeys) {
    key.second = "other";
    it = counts_.find(key);
  }
  if (it == counts_.end()) it = counts_.emplace(std::move(key), 0).first;
  ++it->second;
}

uint64_t SkipCounts::Get(std::string_view reason, std::string_view kind) const {
  const auto it = counts_.find({std::string(reason), std::string(kind)});
  return it == counts_.end() ? 0 : it->second;
}

namespace {

void Info(MetricWriter& w, const BridgeStats& s) {
  std::string labels = "platform=\"";
  AppendLabelValue(labels, s.platform);
  labels += "\",source=\"";
  AppendLabelValue(labels, s.source);
  labels += "\",version=\"" FLOORWATCH_VERSION "\"";
  w.Family("floorwatch_bridge_info", "gauge", "The bridge: its platform, source name, version.");
  w.Sample("floorwatch_bridge_info", labels, 1);
}

void Skipped(MetricWriter& w, const SkipCounts& skipped) {
  w.Family("floorwatch_bridge_records_skipped_total", "counter",
           "Input records skipped (nothing published), by reason and kind (an unmapped "
           "record's verb or type).");
  std::string labels;
  for (const auto& [key, n] : skipped.counts()) {
    labels = "reason=\"";
    AppendLabelValue(labels, key.first);
    labels += "\",kind=\"";
    AppendLabelValue(labels, key.second);
    labels += '"';
    w.Sample("floorwatch_bridge_records_skipped_total", labels, double(n));
  }
}

}  // namespace

std::string RenderBridgeMetrics(const BridgeStats& s, const PublisherCounts& p, int64_t now_ms) {
  std::string out;
  MetricWriter w(out);
  Info(w, s);
  w.Single("floorwatch_bridge_start_time_seconds", "gauge", "When the bridge started.",
           double(s.start_ms) / 1000.0);
  w.Single("floorwatch_bridge_records_read_total", "counter",
           "Input records read (queue_log lines, requests' records), skipped ones included.",
           double(s.records_read));
  Skipped(w, s.skipped);
  w.Single("floorwatch_bridge_events_sequenced_total", "counter",
           "Events given a seq and saved (with --state-dir) before they are published.",
           double(s.events_sequenced));
  w.Single("floorwatch_bridge_events_published_total", "counter",
           "Events sent live on the --publish / --push sockets.", double(p.published));
  w.Single("floorwatch_bridge_next_seq", "gauge", "The seq the next event will carry.",
           double(s.next_seq));
  w.Single("floorwatch_bridge_lag_seconds", "gauge",
           "Now minus the newest input record's own time (grows while the input is quiet; "
           "see floorwatch_bridge_input_pending_bytes for data not read yet).",
           s.last_record_ts_ms > 0 ? double(now_ms - s.last_record_ts_ms) / 1000.0 : 0.0);
  w.Single("floorwatch_bridge_replay_requests_total", "counter", "replay.request frames answered.",
           double(p.replay_requests));
  w.Single("floorwatch_bridge_replay_events_total", "counter", "Events sent in replays.",
           double(p.replay_events));
  w.Single("floorwatch_bridge_replay_truncated_total", "counter",
           "Replays that asked for more than the buffer holds (replay.truncated sent).",
           double(p.replay_truncated));
  w.Single("floorwatch_bridge_replay_buffer_events", "gauge", "Events in the replay buffer.",
           double(p.buffered));
  w.Single("floorwatch_bridge_state_write_errors_total", "counter",
           "Journal writes that failed (--state-dir).", double(s.journal_write_errors));
  w.Single("floorwatch_bridge_snapshots_total", "counter", "State snapshots written.",
           double(s.snapshots));
  w.Single("floorwatch_bridge_snapshot_errors_total", "counter", "State snapshots that failed.",
           double(s.snapshot_errors));
  for (const Figure& f : s.input) w.Single(f.name, f.type, f.help, f.value);
  return out;
}

}  // namespace floorwatch::bridge
