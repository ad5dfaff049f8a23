#include "floorwatch/bridge/io/runner.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include "floorwatch/bridge/core/pacer.h"
#include "floorwatch/bridge/io/metrics_server.h"
#include "floorwatch/bridge/io/publisher.h"
#include "floorwatch/bridge/io/state_store.h"
#include "floorwatch/log/log.h"
#include "floorwatch/runtime/sd_notify.h"

namespace floorwatch::bridge {
namespace {

std::atomic<bool> g_stop{false};

void OnStopSignal(int) { g_stop.store(true); }

void InstallSignals() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string DefaultSource(std::string_view platform) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return std::string(platform);
  return std::string(platform) + "-" + host;
}

constexpr int64_t kSnapshotIntervalMs = 10'000;
constexpr int64_t kSyncIntervalMs = 1'000;
constexpr int64_t kStatsIntervalMs = 100;
constexpr size_t kMaxBatch = 4096;  // events sequenced before a commit at the latest

class Runner : public RecordSink {
 public:
  Runner(const Options& options, Adapter& adapter) : options_(options), adapter_(adapter) {
    stats_.platform = adapter.platform();
    stats_.source =
        options.common.source.empty() ? DefaultSource(adapter.platform()) : options.common.source;
    stats_.start_ms = WallMs();
    if (options.asterisk.speed > 0) pacer_.emplace(options.asterisk.speed);
  }

  bool Start(std::string* error);
  void Run();

  void Record(std::vector<OutEvent>& events, std::string_view redo, int64_t ts_ms) override;
  void Skip(std::string_view reason, std::string_view kind, std::string_view detail,
            int64_t ts_ms) override;

 private:
  void Pace(int64_t ts_ms);
  // The newest record's time for the lag figure (with --speed, as shifted when published).
  void NoteTime(int64_t ts_ms) {
    if (ts_ms > 0) stats_.last_record_ts_ms = ts_ms + (pacer_ ? pacer_->shift_ms() : 0);
  }
  void Commit();  // the journal write, then the posts
  void Tick();    // sync, snapshot, figures, as they fall due
  void UpdateStats();
  void Finish();

  const Options& options_;
  Adapter& adapter_;
  BridgeStats stats_;
  uint64_t next_seq_ = 1;
  std::optional<Pacer> pacer_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<Publisher> publisher_;
  std::unique_ptr<MetricsServer> metrics_;
  std::vector<BufferedEvent> pending_;
  std::string json_;
  bool changed_ = false;  // since the last snapshot
  int64_t last_sync_ms_ = 0, last_snapshot_ms_ = 0, last_stats_ms_ = 0;
  LogRateLimiter skip_log_{10, 1000};
};

bool Runner::Start(std::string* error) {
  ReplayRing ring(options_.common.replay_buffer);
  if (!options_.common.state_dir.empty()) {
    store_ = std::make_unique<StateStore>(options_.common.state_dir, options_.common.replay_buffer);
    if (!store_->Restore(adapter_, ring, &next_seq_, error)) return false;
  }
  if (!adapter_.Open(error)) return false;
  PublisherConfig pc{options_.common.publish, options_.common.push, options_.common.replay,
                     stats_.source};
  try {
    publisher_ = std::make_unique<Publisher>(pc, std::move(ring));
    for (const std::string& e : publisher_->publish_endpoints()) LogInfo("publish bound to " + e);
    for (const std::string& e : options_.common.push) LogInfo("push connected to " + e);
    if (!options_.common.replay.empty()) {
      LogInfo("replay bound to " + publisher_->replay_endpoint());
    }
    if (!options_.common.metrics.empty()) {
      Publisher* p = publisher_.get();
      metrics_ =
          std::make_unique<MetricsServer>(options_.common.metrics, [p] { return p->counts(); });
      LogInfo("metrics listening on " + metrics_->address());
    }
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  stats_.next_seq = next_seq_;
  UpdateStats();
  LogInfo("bridge " + stats_.platform + " running as source " + stats_.source + ", next seq " +
          std::to_string(next_seq_));
  SdNotify("READY=1\nSTATUS=publishing as " + stats_.source);
  return true;
}

void Runner::Run() {
  while (!g_stop.load()) {
    const bool more = adapter_.Poll(*this, 100);
    Commit();
    Tick();
    if (!more) break;
  }
  Finish();
}

void Runner::Finish() {
  SdNotify("STOPPING=1");
  Commit();
  if (store_ && !store_->Snapshot(adapter_, next_seq_)) LogWarn("state: no snapshot at exit");
  publisher_->Stop();  // sends what is still queued (lingering for an absent PUSH peer)
  UpdateStats();
  if (metrics_) metrics_->Stop();
  LogInfo("bridge stopped: " + std::to_string(stats_.records_read) + " records read, " +
          std::to_string(stats_.events_sequenced) + " events sequenced, " +
          std::to_string(publisher_->counts().published) + " published; next seq " +
          std::to_string(next_seq_));
}

void Runner::Pace(int64_t ts_ms) {
  const int64_t due = pacer_->DueAt(ts_ms, WallMs());
  for (int64_t now = WallMs(); now < due && !g_stop.load(); now = WallMs()) {
    Commit();
    Tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(due - now, 100)));
  }
}

void Runner::Record(std::vector<OutEvent>& events, std::string_view redo, int64_t ts_ms) {
  ++stats_.records_read;
  if (pacer_ && !events.empty()) Pace(events.front().ts_ms);
  NoteTime(ts_ms);
  const size_t first = pending_.size();
  for (OutEvent& e : events) {
    if (pacer_) e.ts_ms += pacer_->shift_ms();
    BufferedEvent& b = pending_.emplace_back();
    b.seq = next_seq_++;
    AppendTopic(e, b.topic);
    WriteEventJson(e, stats_.source, b.seq, b.payload);
  }
  stats_.events_sequenced += events.size();
  if (store_) store_->Append(redo, std::span(pending_).subspan(first));
  changed_ = true;
  if (pending_.size() >= kMaxBatch) Commit();
}

void Runner::Skip(std::string_view reason, std::string_view kind, std::string_view detail,
                  int64_t ts_ms) {
  ++stats_.records_read;
  NoteTime(ts_ms);
  stats_.skipped.Count(reason, kind);
  // Normal traffic (RINGNOANSWER, INITIATED, reservation.created...): said once per kind.
  if (reason == "unmapped_verb" || reason == "unmapped_type") {
    if (stats_.skipped.Get(reason, kind) == 1) {
      LogInfo(std::string(reason == "unmapped_verb" ? "verb " : "type ") + std::string(kind) +
              " is not mapped: counted, nothing published");
    }
    return;
  }
  uint64_t suppressed = 0;
  if (!skip_log_.Allow(WallMs(), &suppressed)) return;
  std::string line = "skipped a record (" + std::string(reason);
  if (!kind.empty()) line.append(" ").append(kind);
  line.append("): ").append(detail.substr(0, 200));
  if (suppressed > 0) line.append(" (" + std::to_string(suppressed) + " more skips not logged)");
  LogWarn(line);
}

void Runner::Commit() {
  if (pending_.empty()) return;
  if (store_) store_->Flush();  // before anything of it is published
  for (const BufferedEvent& e : pending_) {
    if (!publisher_->Post(e, g_stop)) break;  // stopping: the rest stays journaled
  }
  pending_.clear();
  stats_.next_seq = next_seq_;
}

void Runner::Tick() {
  const int64_t now = WallMs();
  if (store_ && now - last_sync_ms_ >= kSyncIntervalMs) {
    store_->Sync();
    last_sync_ms_ = now;
  }
  if (store_ && changed_ && now - last_snapshot_ms_ >= kSnapshotIntervalMs) {
    store_->Snapshot(adapter_, next_seq_);
    changed_ = false;
    last_snapshot_ms_ = now;
  }
  if (now - last_stats_ms_ >= kStatsIntervalMs) UpdateStats();
}

void Runner::UpdateStats() {
  last_stats_ms_ = WallMs();
  if (store_) {
    stats_.journal_write_errors = store_->write_errors();
    stats_.snapshots = store_->snapshots();
    stats_.snapshot_errors = store_->snapshot_errors();
  }
  stats_.input.clear();
  adapter_.Figures(stats_.input);
  if (metrics_) metrics_->Update(stats_);
}

}  // namespace

int RunBridge(const Options& options) {
  InstallSignals();
  if (std::string error = CheckOptions(options, true); !error.empty()) {
    LogError(error);
    return 1;
  }
  std::string error;
  std::unique_ptr<Adapter> adapter = MakeAdapter(options, &error);
  if (!adapter) {
    LogError(error);
    return 1;
  }
  Runner runner(options, *adapter);
  if (!runner.Start(&error)) {
    LogError("cannot start: " + error);
    return 1;
  }
  runner.Run();
  return 0;
}

}  // namespace floorwatch::bridge
