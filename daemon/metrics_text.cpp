#include "floorwatch/metrics_text.h"

#include <charconv>
#include <cmath>
#include <span>

#include "floorwatch/figures.h"

namespace floorwatch {
namespace {

constexpr std::array<std::string_view, 6> kOutcomes = {
    "offered", "answered", "answered_in_sl", "abandoned", "short_abandoned", "handled"};

int64_t OutcomeCount(const Tally& t, size_t i) {
  switch (i) {
    case 0:
      return t.offered;
    case 1:
      return t.answered;
    case 2:
      return t.answered_in_sl;
    case 3:
      return t.abandoned;
    case 4:
      return t.short_abandoned;
    default:
      return t.handled;
  }
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void Family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  // `labels` is the pre-rendered inside of {...}, without braces; may be empty.
  void Sample(std::string_view name, std::string_view labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    AppendValue(out_, value);
    out_ += '\n';
  }
  std::string& out() { return out_; }

 private:
  std::string& out_;
};

// `queue="q",channel="c"` for every queue/channel, rendered once per scrape.
std::vector<std::string> QueueChannelLabels(const Core& core) {
  std::vector<std::string> labels;
  labels.reserve(core.queue_channels().size());
  for (const QueueChannel& qc : core.queue_channels()) {
    std::string l = "queue=\"";
    AppendLabelValue(l, core.queues()[qc.queue].id);
    l += "\",channel=\"";
    l += ChannelName(qc.channel);
    l += '"';
    labels.push_back(std::move(l));
  }
  return labels;
}

bool Live(const Core& core, const QueueChannel& qc) { return core.queues().InUse(qc.queue); }

void RenderQueueGauges(const Core& core, const std::vector<std::string>& labels, int64_t now,
                       Writer& w) {
  const auto& qcs = core.queue_channels();
  struct Simple {
    const char* name;
    const char* type;
    const char* help;
    double (*value)(const Core&, uint32_t, int64_t);
  };
  static const Simple kSimple[] = {
      {"floorwatch_queue_waiting_contacts", "gauge", "Contacts waiting now.",
       [](const Core& c, uint32_t i, int64_t) { return double(c.queue_channels()[i].waiting); }},
      {"floorwatch_queue_oldest_wait_seconds", "gauge",
       "Age of the oldest waiting contact (scrape time - queued ts); 0 when none.",
       [](const Core& c, uint32_t i, int64_t now) { return c.OldestWaitSeconds(i, now); }},
      {"floorwatch_queue_active_contacts", "gauge",
       "Contacts connected to an agent, not yet ended.",
       [](const Core& c, uint32_t i, int64_t) { return double(c.queue_channels()[i].active); }},
      {"floorwatch_queue_offered_total", "counter",
       "Contacts that entered the queue (transfers in included).",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.offered);
       }},
      {"floorwatch_queue_answered_total", "counter", "Contacts answered.",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.answered);
       }},
      {"floorwatch_queue_answered_in_sl_total", "counter",
       "Contacts answered with wait <= the service-level threshold.",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.answered_in_sl);
       }},
      {"floorwatch_queue_abandoned_total", "counter",
       "Contacts abandoned (short abandons included).",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.abandoned);
       }},
      {"floorwatch_queue_short_abandoned_total", "counter",
       "Contacts abandoned with wait < short_abandon_seconds.",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.short_abandoned);
       }},
      {"floorwatch_queue_transferred_out_total", "counter",
       "Contacts transferred away, waiting or connected (a connected one is also handled).",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].transferred_out);
       }},
      {"floorwatch_queue_handled_total", "counter", "Answered contacts whose conversation ended.",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.handled);
       }},
      {"floorwatch_queue_talk_seconds_total", "counter", "Sum of talk time of handled contacts.",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.talk_ms) / 1000.0;
       }},
      {"floorwatch_queue_acw_seconds_total", "counter", "Sum of after-contact work time.",
       [](const Core& c, uint32_t i, int64_t) {
         return double(c.queue_channels()[i].totals.acw_ms) / 1000.0;
       }},
      {"floorwatch_queue_service_level_threshold_seconds", "gauge",
       "The configured service-level threshold for this queue and channel.",
       [](const Core& c, uint32_t i, int64_t) {
         return c.queue_channels()[i].settings.sl_threshold_seconds;
       }},
      {"floorwatch_queue_service_level_target", "gauge",
       "The configured service-level target (0..1) for this queue and channel.",
       [](const Core& c, uint32_t i, int64_t) { return c.queue_channels()[i].settings.sl_target; }},
  };
  for (const Simple& m : kSimple) {
    w.Family(m.name, m.type, m.help);
    for (uint32_t i = 0; i < qcs.size(); ++i) {
      if (Live(core, qcs[i])) w.Sample(m.name, labels[i], m.value(core, i, now));
    }
  }
}

void RenderWaitHistogram(const Core& core, const std::vector<std::string>& labels, Writer& w) {
  const auto& bounds = core.config().wait_buckets;
  std::vector<std::string> le;  // `,le="5"` etc.
  for (double b : bounds) {
    std::string s = ",le=\"";
    AppendValue(s, b);
    le.push_back(s + '"');
  }
  le.push_back(",le=\"+Inf\"");
  w.Family("floorwatch_queue_wait_seconds", "histogram",
           "Wait of answered contacts (ASA = _sum / _count).");
  std::string l;
  const auto& qcs = core.queue_channels();
  for (uint32_t i = 0; i < qcs.size(); ++i) {
    if (!Live(core, qcs[i])) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b < le.size(); ++b) {
      cumulative += qcs[i].wait_buckets[b];
      l.assign(labels[i]).append(le[b]);
      w.Sample("floorwatch_queue_wait_seconds_bucket", l, double(cumulative));
    }
    w.Sample("floorwatch_queue_wait_seconds_sum", labels[i],
             double(qcs[i].wait_bucket_sum_ms) / 1000.0);
    w.Sample("floorwatch_queue_wait_seconds_count", labels[i], double(cumulative));
  }
}

void RenderWindows(const Core& core, const std::vector<std::string>& labels, Writer& w) {
  const auto& windows = core.config().windows;
  const auto& qcs = core.queue_channels();
  std::vector<std::string> window_labels;
  for (const WindowSpec& spec : windows) {
    std::string s = ",window=\"";
    AppendLabelValue(s, spec.label);
    window_labels.push_back(s + '"');
  }
  std::string l;
  w.Family("floorwatch_queue_window_contacts", "gauge",
           "Contacts in the window, by outcome (each counted at its own event time).");
  for (uint32_t i = 0; i < qcs.size(); ++i) {
    if (!Live(core, qcs[i])) continue;
    for (size_t win = 0; win < windows.size(); ++win) {
      const Tally& t = core.WindowTally(qcs[i], win);
      for (size_t o = 0; o < kOutcomes.size(); ++o) {
        l.assign(labels[i])
            .append(window_labels[win])
            .append(",outcome=\"")
            .append(kOutcomes[o])
            .append("\"");
        w.Sample("floorwatch_queue_window_contacts", l, double(OutcomeCount(t, o)));
      }
    }
  }
  struct Ratio {
    const char* name;
    const char* help;
    double WindowFigures::*field;
  };
  static const Ratio kRatios[] = {
      {"floorwatch_queue_service_level_ratio",
       "Service level in the window, by the queue's formula.", &WindowFigures::service_level_ratio},
      {"floorwatch_queue_abandon_ratio",
       "(abandoned - short) / (answered + abandoned - short) in the window.",
       &WindowFigures::abandon_ratio},
      {"floorwatch_queue_asa_seconds", "Mean wait of contacts answered in the window.",
       &WindowFigures::asa_seconds},
      {"floorwatch_queue_aht_seconds",
       "Mean (talk + after-contact work) of contacts handled in the window.",
       &WindowFigures::aht_seconds},
  };
  // Figures once per queue/channel and window, then one family at a time.
  std::vector<WindowFigures> figures(qcs.size() * windows.size());
  for (uint32_t i = 0; i < qcs.size(); ++i) {
    if (!Live(core, qcs[i])) continue;
    for (size_t win = 0; win < windows.size(); ++win) {
      figures[i * windows.size() + win] =
          ComputeFigures(core.WindowTally(qcs[i], win), qcs[i].settings.formula);
    }
  }
  for (const Ratio& r : kRatios) {
    w.Family(r.name, "gauge", r.help);
    for (uint32_t i = 0; i < qcs.size(); ++i) {
      if (!Live(core, qcs[i])) continue;
      for (size_t win = 0; win < windows.size(); ++win) {
        l.assign(labels[i]).append(window_labels[win]);
        w.Sample(r.name, l, figures[i * windows.size() + win].*r.field);
      }
    }
  }
}

void RenderAgents(const Core& core, Writer& w) {
  const auto& queues = core.queues();
  // Per queue slot and state; every live queue gets all four states, zeros included.
  const Core::AgentCounts per_queue = core.AgentsByQueue();
  std::array<int64_t, kAgentStateCount> global{};
  core.agents().ForEach([&](uint32_t, const Agent& a) { ++global[static_cast<int>(a.state)]; });
  std::string l;
  w.Family("floorwatch_queue_agents", "gauge",
           "Logged-in agents that are members of the queue, by state.");
  queues.ForEach([&](uint32_t slot, const Queue& q) {
    for (int s = 0; s < kAgentStateCount; ++s) {
      l.assign("queue=\"");
      AppendLabelValue(l, q.id);
      l.append("\",state=\"").append(kAgentStateNames[s]).append("\"");
      w.Sample("floorwatch_queue_agents", l, double(per_queue[slot][s]));
    }
  });
  w.Family("floorwatch_agents", "gauge", "Logged-in agents, each counted once, by state.");
  for (int s = 0; s < kAgentStateCount; ++s) {
    l.assign("state=\"").append(kAgentStateNames[s]).append("\"");
    w.Sample("floorwatch_agents", l, double(global[s]));
  }
}

// A series without labels, with its HELP and TYPE: the daemon's own figures.
struct Unlabelled {
  const char* name;
  const char* type;
  const char* help;
  double value;
};

void RenderUnlabelled(Writer& w, std::span<const Unlabelled> figures) {
  for (const Unlabelled& f : figures) {
    w.Family(f.name, f.type, f.help);
    w.Sample(f.name, "", f.value);
  }
}

void RenderStateStats(Writer& w, const StateStoreStats& st) {
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

void RenderDaemon(const Core& core, const DaemonInfo& info, Writer& w) {
  const CoreStats& st = core.stats();
  std::string l;
  w.Family("floorwatch_events_received_total", "counter", "Messages taken off the inputs.");
  w.Sample("floorwatch_events_received_total", "", double(st.received));
  w.Family("floorwatch_events_applied_total", "counter", "Events that changed state.");
  w.Sample("floorwatch_events_applied_total", "", double(st.applied));
  w.Family("floorwatch_events_rejected_total", "counter", "Events dropped, by reason.");
  for (int r = 0; r < kRejectReasonCount; ++r) {
    l.assign("reason=\"").append(kRejectReasonNames[r]).append("\"");
    w.Sample("floorwatch_events_rejected_total", l, double(st.rejected[r]));
  }
  w.Family("floorwatch_events_duplicate_total", "counter",
           "Ignored repeats (same id, or a seq already applied).");
  w.Sample("floorwatch_events_duplicate_total", "", double(st.duplicate));
  w.Family("floorwatch_events_ignored_total", "counter",
           "Valid events that changed nothing (e.g. a repeated contact.queued), by reason.");
  for (int r = 0; r < kIgnoreReasonCount; ++r) {
    l.assign("reason=\"").append(kIgnoreReasonNames[r]).append("\"");
    w.Sample("floorwatch_events_ignored_total", l, double(st.ignored[r]));
  }
  w.Family("floorwatch_events_gap_total", "counter", "Events missing by seq, per source.");
  core.sources().ForEach([&](uint32_t, const Source& s) {
    l.assign("source=\"");
    AppendLabelValue(l, s.id);
    l += '"';
    w.Sample("floorwatch_events_gap_total", l, double(s.gap_events));
  });
  w.Family("floorwatch_event_lag_seconds", "gauge",
           "Daemon time minus source ts of the last applied event (negative: source clock ahead).");
  w.Sample("floorwatch_event_lag_seconds", "", double(st.last_event_lag_ms) / 1000.0);
  w.Family("floorwatch_contacts", "gauge", "Contacts held in memory, by state.");
  std::array<int64_t, 3> by_state{};
  core.contacts().ForEach(
      [&](uint32_t, const Contact& c) { ++by_state[static_cast<int>(c.state)]; });
  static constexpr const char* kStates[] = {"waiting", "connected", "ended"};
  for (int s = 0; s < 3; ++s) {
    l.assign("state=\"").append(kStates[s]).append("\"");
    w.Sample("floorwatch_contacts", l, double(by_state[s]));
  }
  w.Family("floorwatch_contacts_expired_total", "counter",
           "Contacts dropped after limits.contact_ttl or limits.wrap_timeout without an event.");
  w.Sample("floorwatch_contacts_expired_total", "", double(st.contacts_expired));
  w.Family("floorwatch_input_auth_denied_total", "counter",
           "Connections to CURVE inputs refused because the client key is not allowed.");
  w.Sample("floorwatch_input_auth_denied_total", "", double(st.input_auth_denied));
  const ReplayStats& rs = core.replay_stats();
  const Unlabelled replay[] = {
      {"floorwatch_replay_requests_total", "counter",
       "Replays requested from sources after a gap in seq.", double(rs.requests)},
      {"floorwatch_replay_events_total", "counter", "Events received on replay connections.",
       double(rs.delivered)},
      {"floorwatch_replay_truncated_total", "counter",
       "Replays whose source no longer had the first missing event (the rest is a gap).",
       double(rs.truncated)},
      {"floorwatch_replay_timeouts_total", "counter",
       "Replays ended by inputs[].replay_timeout instead of replay.end.", double(rs.timeouts)},
      {"floorwatch_replay_overflows_total", "counter",
       "Replays cut short because the live events held meanwhile reached their memory bound.",
       double(rs.overflows)},
      {"floorwatch_events_held", "gauge",
       "Live events held until their source's replay ends (counted as received already).",
       double(rs.held)},
  };
  RenderUnlabelled(w, replay);
  if (info.state) RenderStateStats(w, *info.state);
  w.Family("floorwatch_queue_info", "gauge", "The queue's configured labels, for PromQL joins.");
  core.queues().ForEach([&](uint32_t, const Queue& q) {
    l.assign("queue=\"");
    AppendLabelValue(l, q.id);
    l += '"';
    for (const auto& [k, v] : q.labels) {
      l.append(",").append(k).append("=\"");
      AppendLabelValue(l, v);
      l += '"';
    }
    w.Sample("floorwatch_queue_info", l, 1);
  });
  w.Family("floorwatch_build_info", "gauge", "Build information.");
  l.assign("version=\"");
  AppendLabelValue(l, info.version);
  l += '"';
  w.Sample("floorwatch_build_info", l, 1);
  w.Family("floorwatch_config_last_reload_successful", "gauge",
           "1 if the last config load (start or SIGHUP) succeeded, else 0.");
  w.Sample("floorwatch_config_last_reload_successful", "", info.config_reload_ok ? 1 : 0);
  w.Family("floorwatch_config_last_reload_success_timestamp_seconds", "gauge",
           "When the config was last loaded successfully.");
  w.Sample("floorwatch_config_last_reload_success_timestamp_seconds", "",
           info.config_reload_timestamp_seconds);
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
  w.Family("floorwatch_metrics_render_seconds", "gauge",
           "How long rendering the previous /metrics took.");
  w.Sample("floorwatch_metrics_render_seconds", "", info.last_render_seconds);
  if (info.has_process) {
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
}

}  // namespace

void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    std::to_chars_result r;
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
      r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(value));
    } else {
      r = std::to_chars(buf, buf + sizeof buf, value);
    }
    out.append(buf, r.ptr);
  }
}

void RenderMetrics(const Core& core, const DaemonInfo& info, int64_t now_ms, std::string& out) {
  out.clear();
  out.reserve(256 + core.queue_channels().size() * 6000 + core.queues().size() * 400);
  Writer w(out);
  const std::vector<std::string> labels = QueueChannelLabels(core);
  RenderQueueGauges(core, labels, now_ms, w);
  RenderWaitHistogram(core, labels, w);
  RenderWindows(core, labels, w);
  RenderAgents(core, w);
  RenderDaemon(core, info, w);
}

}  // namespace floorwatch
