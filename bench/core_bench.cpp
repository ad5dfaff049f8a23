// floorwatch-core-bench: in-process measurements of the pure core (no sockets).
//   apply  N [LIMITS] events/s through Core::Stage (parse + apply) on the bench stream; LIMITS
//                     (YAML, e.g. "max_closed_contacts: 1000") is added to the bench's limits
//   render Q C A      /metrics and /api/v1/queues render time with Q queues x C channels, A agents
//   memory N          RSS bytes per waiting contact with N contacts waiting
//   restore N         journal N events as the daemon does, then time the restore from that
//                     journal, and a snapshot of the resulting state (write and load)
//   snapshot N        write and load a snapshot holding N waiting contacts
//   staffing Q C A [N] every staffing figure of Q queues x C channels with A agents
//                     (staffing_bench.cpp)
//   customers N       RSS bytes per remembered customer after N distinct customers
//   closed N          RSS bytes per remembered closed contact after N distinct closed contacts
//   prediction Q A W  the prediction figures of Q queues x 3 channels, A agents, W waiting
//                     (prediction_bench.cpp)
// Prints one JSON object per run; bench/run.py collects them into docs/performance.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "event_stream.h"
#include "floor_state.h"
#include "floorwatch/alerts/alert_engine.h"
#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/core.h"
#include "floorwatch/core/exposition.h"
#include "floorwatch/core/snapshot.h"
#include "floorwatch/render/metrics_text.h"
#include "floorwatch/runtime/process_stats.h"
#include "floorwatch/state/state_store.h"
#include "outcome_memory.h"
#include "prediction_bench.h"
#include "staffing_bench.h"

using namespace floorwatch;
using floorwatch::bench::FeedAgents;
using floorwatch::bench::FeedTraffic;
using floorwatch::bench::Payload;
using Clock = std::chrono::steady_clock;

namespace {

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// `more_limits`: further keys of `limits` ("max_closed_contacts: 1000"), after the bench's own.
Config BenchConfig(const std::string& extra = "", const std::string& more_limits = "") {
  ConfigResult r = LoadConfigFromString(
      "limits: {max_queues: 100000, max_agents: 1000000, max_contacts: 2000000" +
      (more_limits.empty() ? "" : ", " + more_limits) + "}\n" + extra);
  if (auto* e = std::get_if<ConfigError>(&r)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    std::exit(1);
  }
  return std::get<Config>(r);
}

int Apply(long n, const std::string& limits) {
  const int64_t now = WallMs();
  bench::EventStream stream(200, 10000, now);
  std::string data;
  std::vector<std::pair<size_t, size_t>> events;
  char buf[512];
  for (long i = 0; i < n; ++i) {
    const size_t len = stream.Next(buf);
    events.emplace_back(data.size(), len);
    data.append(buf, len);
  }
  Core core(BenchConfig("", limits));
  const auto start = Clock::now();
  // As the core loop does: pipelined (Stage), flushed at the end.
  for (const auto& [offset, len] : events)
    core.Stage(std::string_view(data.data() + offset, len), now);
  core.Flush();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "{\"bench\":\"apply\",\"events\":%ld,\"seconds\":%.3f,\"events_per_second\":%.0f,\"applied\":"
      "%llu}\n",
      n, secs, n / secs, static_cast<unsigned long long>(core.stats().applied));
  return core.stats().applied == static_cast<uint64_t>(n) ? 0 : 1;
}

// Seconds to load a snapshot of `core` into a fresh core; `contacts`: how many it then holds
// (0 if the load failed).
double TimeSnapshotLoad(const Core& core, size_t* contacts) {
  std::string bytes;
  SaveSnapshot(core, {}, bytes);
  const auto start = Clock::now();
  Core loaded(BenchConfig());
  SnapshotMeta meta;
  std::string error;
  const bool ok = LoadSnapshot(bytes, loaded, &meta, &error) == SnapshotLoad::kOk;
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  *contacts = ok ? loaded.models().contacts.contacts().size() : 0;
  return secs;
}

int Restore(long n) {
  const int64_t now = WallMs();
  char pattern[] = "/tmp/floorwatch-bench-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  std::string error;
  uint64_t journal_bytes = 0;
  std::string expected;
  {
    Core core(BenchConfig());
    StateStore store(dir);
    if (!store.Restore(core, now, &error)) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
    core.set_input_log([&](int64_t t, std::string_view p, std::optional<RejectReason> m) {
      store.Append(t, p, m);
    });
    bench::EventStream stream(200, 10000, now);
    char buf[512];
    for (long i = 0; i < n; ++i) {
      core.Stage(std::string_view(buf, stream.Next(buf)), now + i / 1000);
      if (i % 4096 == 0) {  // CoreLoop::kBatch: one journal write per batch
        core.Flush();
        store.Flush();
      }
      if (i % 100'000 == 0) store.AppendTick(now + i / 1000);
    }
    core.Flush();
    store.Drain();  // the writer thread's bytes, all written
    journal_bytes = store.stats().journal_bytes;
  }
  Core restored(BenchConfig());
  StateStore store(dir);
  if (!store.Restore(restored, now + n / 1000, &error)) {
    return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  }
  const StateStoreStats& st = store.stats();
  size_t loaded_contacts = 0;
  const double load_secs = TimeSnapshotLoad(restored, &loaded_contacts);
  std::printf(
      "{\"bench\":\"restore\",\"events\":%ld,\"journal_bytes\":%llu,\"restored_records\":%llu,"
      "\"restore_seconds\":%.3f,\"records_per_second\":%.0f,\"contacts\":%zu,"
      "\"snapshot_bytes\":%llu,\"snapshot_write_seconds\":%.3f,\"snapshot_load_seconds\":%.3f}\n",
      n, static_cast<unsigned long long>(journal_bytes),
      static_cast<unsigned long long>(st.restored_records), st.restore_seconds,
      st.restored_records / st.restore_seconds, restored.models().contacts.contacts().size(),
      static_cast<unsigned long long>(st.snapshot_bytes), st.last_snapshot_duration_seconds,
      load_secs);
  std::filesystem::remove_all(dir);
  const bool exact = restored.stats().applied == static_cast<uint64_t>(n) &&
                     loaded_contacts == restored.models().contacts.contacts().size();
  return exact ? 0 : 1;
}

int SnapshotLarge(long n) {
  const int64_t now = WallMs();
  Core core(BenchConfig());
  char buf[256];
  for (long i = 0; i < n; ++i) {
    const int len = std::snprintf(
        buf, sizeof buf,
        R"({"type":"contact.queued","ts":%lld,"contact":"contact-%ld","queue":"queue-%03ld"})",
        static_cast<long long>(now - (i % 600) * 1000), i, i % 200);
    core.OnPayload(std::string_view(buf, static_cast<size_t>(len)), now);
  }
  char pattern[] = "/tmp/floorwatch-bench-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  StateStore store(dir);
  std::string error;
  Core scratch(BenchConfig());
  if (!store.Restore(scratch, now, &error)) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  store.Snapshot(core, now);
  const StateStoreStats st = store.stats();
  size_t loaded_contacts = 0;
  const double load_secs = TimeSnapshotLoad(core, &loaded_contacts);
  std::printf(
      "{\"bench\":\"snapshot\",\"waiting_contacts\":%ld,\"snapshot_bytes\":%llu,"
      "\"write_seconds\":%.3f,\"load_seconds\":%.3f}\n",
      n, static_cast<unsigned long long>(st.snapshot_bytes), st.last_snapshot_duration_seconds,
      load_secs);
  std::filesystem::remove_all(dir);
  return loaded_contacts == static_cast<size_t>(n) ? 0 : 1;
}

int Render(int queues, int channels, int agents) {
  const int64_t now = WallMs();
  Core core(BenchConfig());
  FeedTraffic(core, queues, channels, now);
  FeedAgents(core, queues, agents, now);
  std::vector<double> metrics_ms, json_ms;
  std::string out;
  size_t metrics_bytes = 0, lines = 0, json_bytes = 0;
  for (int i = 0; i < 15; ++i) {
    auto t0 = Clock::now();
    core.Tick(now);
    DaemonInfo info;
    RenderMetrics(core, info, now, out);
    metrics_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    metrics_bytes = out.size();
    lines = std::count(out.begin(), out.end(), '\n');
    t0 = Clock::now();
    core.RenderQueuesJson(out, now);
    json_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    json_bytes = out.size();
  }
  std::sort(metrics_ms.begin(), metrics_ms.end());
  std::sort(json_ms.begin(), json_ms.end());
  std::printf(
      "{\"bench\":\"render\",\"queues\":%d,\"channels\":%d,\"agents\":%zu,\"metrics_median_ms\":%."
      "1f,"
      "\"metrics_max_ms\":%.1f,\"metrics_bytes\":%zu,\"metrics_lines\":%zu,\"json_median_ms\":%.1f,"
      "\"json_bytes\":%zu}\n",
      queues, channels, core.models().agents.agents().size(), metrics_ms[metrics_ms.size() / 2],
      metrics_ms.back(), metrics_bytes, lines, json_ms[json_ms.size() / 2], json_bytes);
  return 0;
}

// Alert evaluation cost: `rules` rules over queues x 3 channels with traffic, evaluated 50 times.
int Alerts(int queues, int rules) {
  std::string yaml = "alerts:\n";
  static const char* kMeasures[] = {"waiting_contacts", "oldest_wait_seconds", "agents_available",
                                    "waiting_contacts_no_agent_available"};
  for (int r = 0; r < rules; ++r) {
    if (r % 2) {
      yaml += "  - {name: R" + std::to_string(r) +
              ", measure: service_level_ratio, window: 15m, op: \"<\", threshold: 0.8, "
              "min_contacts: 5, queues: [\"queue-0*\", \"queue-1*\"]}\n";
    } else {
      yaml += "  - {name: R" + std::to_string(r) + ", measure: " + kMeasures[r / 2 % 4] +
              ", op: \">\", threshold: 100}\n";
    }
  }
  Config config = BenchConfig(yaml);
  Core core(config);
  AlertEngine engine(config);
  const int64_t now = WallMs();
  static const char* kChannels[] = {"voice", "chat", "email"};
  for (int q = 0; q < queues; ++q) {
    for (int c = 0; c < 3; ++c) {
      core.OnPayload(
          Payload(
              R"({"type":"contact.queued","ts":%lld,"contact":"c%d-%d","queue":"queue-%04d","channel":"%s"})",
              (long long)now - 60'000, q, c, q, kChannels[c]),
          now);
    }
  }
  core.Tick(now);
  std::vector<double> ms;
  for (int i = 0; i < 50; ++i) {
    const auto t0 = Clock::now();
    engine.Evaluate(core, now + i * 200);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "{\"bench\":\"alerts\",\"queue_channels\":%zu,\"rules\":%d,\"evaluate_median_ms\":%.2f,"
      "\"evaluate_max_ms\":%.2f}\n",
      core.directory().queue_channels().size(), rules, ms[ms.size() / 2], ms.back());
  return 0;
}

int Memory(long n) {
  const int64_t now = WallMs();
  Core core(BenchConfig());
  // Warm up: queues, channels and parser buffers exist before the baseline.
  for (int q = 0; q < 200; ++q) {
    core.OnPayload(
        Payload(R"({"type":"contact.queued","ts":%lld,"contact":"warm%d","queue":"queue-%04d"})",
                (long long)now, q, q),
        now);
  }
  const double before = ResidentBytes();
  for (long i = 0; i < n; ++i) {
    core.OnPayload(
        Payload(
            R"({"type":"contact.queued","ts":%lld,"id":"e%ld","contact":"c-%09ld","queue":"queue-%04ld","customer":"cust-%ld"})",
            (long long)(now - 600'000 + i % 600'000), i, i, i % 200, i),
        now);
  }
  const double after = ResidentBytes();
  const double waiting = static_cast<double>(core.models().contacts.contacts().size() - 200);
  std::printf(
      "{\"bench\":\"memory\",\"waiting_contacts\":%.0f,\"rss_before_bytes\":%.0f,\"rss_after_"
      "bytes\":%.0f,"
      "\"bytes_per_waiting_contact\":%.1f}\n",
      waiting, before, after, (after - before) / waiting);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  MapLargeAllocations();  // as the daemon does, so RSS figures are the daemon's
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "apply" && (argc == 3 || argc == 4)) {
    return Apply(std::atol(argv[2]), argc == 4 ? argv[3] : "");
  }
  if (mode == "render" && argc == 5)
    return Render(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]));
  if (mode == "memory" && argc == 3) return Memory(std::atol(argv[2]));
  if (mode == "restore" && argc == 3) return Restore(std::atol(argv[2]));
  if (mode == "snapshot" && argc == 3) return SnapshotLarge(std::atol(argv[2]));
  if (mode == "customers" && argc == 3) return bench::CustomersMemory(std::atol(argv[2]));
  if (mode == "closed" && argc == 3) return bench::ClosedContactsMemory(std::atol(argv[2]));
  if (mode == "alerts" && argc == 4) return Alerts(std::atoi(argv[2]), std::atoi(argv[3]));
  if (mode == "staffing" && (argc == 5 || argc == 6)) {
    return bench::StaffingBench(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]),
                                argc == 6 ? std::atoi(argv[5]) : 20);
  }
  if (mode == "prediction" && argc == 5)
    return bench::PredictionBench(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]));
  std::fprintf(stderr,
               "usage: floorwatch-core-bench apply N | render QUEUES CHANNELS AGENTS | memory N | "
               "alerts QUEUES RULES | restore N | snapshot N | staffing QUEUES CHANNELS AGENTS "
               "[CONTACTS] | customers N | closed N | prediction QUEUES AGENTS WAITING\n");
  return 2;
}
