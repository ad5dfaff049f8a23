#include "floorwatch/render/metrics_text.h"

#include <span>

#include "floorwatch/core/exposition.h"

namespace floorwatch {
namespace {

// A series without labels, with its HELP and TYPE: the daemon's own figures.
struct Unlabelled {
  const char* name;
  const char* type;
  const char* help;
  double value;
};

void RenderUnlabelled(MetricWriter& w, std::span<const Unlabelled> figures) {
  for (const Unlabelled& f : figures) w.Single(f.name, f.type, f.help, f.value);
}

void RenderStateStats(MetricWriter& w, const StateStoreStats& st) {
  const Unlabelled figures[] = {
      {"floorwatch_state_journal_records_total", "counter", "Journal records written.",
       double(st.journal_records)},
      {"floorwatch_state_journal_bytes_total", "counter", "Journal bytes written.",
       double(st.journal_bytes)},
      {"floorwatch_state_write_errors_total", "counter",
       "Failed journal writes or syncs (state since the last snapshot is not durable).",
       double(st.write_errors)},
      {"floorwatch_state_snapshots_total", "counter", "Snapshots written.", double(st.snapshots)},
      {"floorwatch_state_snapshot_errors_total", "counter", "Snapshots that could not be written.",
       double(st.snapshot_errors)},
      {"floorwatch_state_snapshot_bytes", "gauge", "Size of the latest snapshot.",
       double(st.snapshot_bytes)},
      {"floorwatch_state_last_snapshot_timestamp_seconds", "gauge",
       "When the latest snapshot was written.", st.last_snapshot_seconds},
      {"floorwatch_state_snapshot_duration_seconds", "gauge",
       "How long the latest snapshot took (the core thread pauses meanwhile).",
       st.last_snapshot_duration_seconds},
      {"floorwatch_state_restore_seconds", "gauge", "How long restoring the state at start took.",
       st.restore_seconds},
      {"floorwatch_state_restored_records", "gauge",
       "Journal records applied at start, on top of the snapshot.", double(st.restored_records)},
      {"floorwatch_state_discarded_bytes", "gauge",
       "Torn or corrupt journal bytes skipped at start.", double(st.discarded_bytes)},
      {"floorwatch_state_damaged_snapshots", "gauge",
       "Snapshots set aside at start because their checksum failed.", double(st.damaged_snapshots)},
  };
  RenderUnlabelled(w, figures);
}

void RenderProcess(MetricWriter& w, const DaemonInfo& info) {
  const Unlabelled process[] = {
      {"process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
       info.cpu_seconds},
      {"process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
       info.resident_bytes},
      {"process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
       info.virtual_bytes},
      {"process_open_fds", "gauge", "Number of open file descriptors.", info.open_fds},
      {"process_max_fds", "gauge", "Maximum number of open file descriptors.", info.max_fds},
      {"process_start_time_seconds", "gauge",
       "Start time of the process since unix epoch in seconds.", info.start_time_seconds},
  };
  RenderUnlabelled(w, process);
}

void RenderAlerting(MetricWriter& w, const DaemonInfo& info) {
  std::string l;
  w.Family("floorwatch_alerts_firing", "gauge", "Firing alerts by alertname and severity.");
  for (const auto& [name, severity, count] : info.alerts_firing) {
    l.assign("alertname=\"");
    AppendLabelValue(l, name);
    l.append("\",severity=\"");
    AppendLabelValue(l, severity);
    l += '"';
    w.Sample("floorwatch_alerts_firing", l, double(count));
  }
  w.Family("floorwatch_alert_notifications_total", "counter",
           "Alert deliveries by sink (alertmanager, webhook, zmq) and result (success, error, "
           "dropped).");
  for (const auto& [sink, result, count] : info.notifications) {
    l.assign("sink=\"").append(sink).append("\",result=\"").append(result).append("\"");
    w.Sample("floorwatch_alert_notifications_total", l, double(count));
  }
}

void RenderDaemon(const DaemonInfo& info, MetricWriter& w) {
  if (info.state) RenderStateStats(w, *info.state);
  std::string l = "version=\"";
  AppendLabelValue(l, info.version);
  l += '"';
  w.Family("floorwatch_build_info", "gauge", "Build information.");
  w.Sample("floorwatch_build_info", l, 1);
  w.Single("floorwatch_config_last_reload_successful", "gauge",
           "1 if the last config load (start or SIGHUP) succeeded, else 0.",
           info.config_reload_ok ? 1 : 0);
  w.Single("floorwatch_config_last_reload_success_timestamp_seconds", "gauge",
           "When the config was last loaded successfully.", info.config_reload_timestamp_seconds);
  RenderAlerting(w, info);
  w.Single("floorwatch_metrics_render_seconds", "gauge",
           "How long rendering the previous /metrics took.", info.last_render_seconds);
  w.Single("floorwatch_metrics_render_pause_seconds", "gauge",
           "The longest the core thread held events while rendering the previous /metrics.",
           info.last_render_pause_seconds);
  if (info.has_process) RenderProcess(w, info);
}

}  // namespace

void RenderMetrics(const Core& core, const DaemonInfo& info, int64_t now_ms, std::string& out) {
  out.clear();
  out.reserve(256 + core.directory().size() * 6000 + core.directory().queues().size() * 400);
  MetricWriter w(out);
  core.RenderMetrics(w, now_ms);
  RenderDaemon(info, w);
}

size_t MetricsParts(const Core& core) { return core.MetricParts() + 1; }

void RenderMetricsPart(const Core& core, const DaemonInfo& info, size_t part, int64_t now_ms,
                       std::string& out) {
  MetricWriter w(out);
  if (part < core.MetricParts()) return core.RenderMetricsPart(w, part, now_ms);
  RenderDaemon(info, w);
}

}  // namespace floorwatch
