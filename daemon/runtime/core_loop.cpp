#include "floorwatch/runtime/core_loop.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>

namespace floorwatch {

CoreLoop::CoreLoop(const Config& config, const Clock& clock,
                   std::function<void(std::vector<AlertTransition>)> on_alerts)
    : clock_(clock),
      core_(config),
      alerts_(config),
      on_alerts_(std::move(on_alerts)),
      context_(1),
      zap_(context_, zmq::socket_type::rep),
      inputs_(context_),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  ConnectCore();
  zap_.set(zmq::sockopt::linger, 0);
  zap_.bind("inproc://zeromq.zap.01");
}

CoreLoop::~CoreLoop() {
  inputs_.Close();
  if (wake_fd_ >= 0) close(wake_fd_);
}

void CoreLoop::ConnectCore() {
  core_.set_reject_log([this](const ApplyResult& r, std::string_view p) { LogReject(r, p); });
  core_.set_gap_handler(
      [this](std::string_view source, uint64_t from) { return StartReplay(source, from); });
  if (store_) {
    core_.set_input_log([this](int64_t now, std::string_view p, std::optional<RejectReason> m) {
      store_->Append(now, p, m);
    });
  }
}

bool CoreLoop::RestoreState(std::string* error) {
  const StateConfig& state = core_.config().state;
  if (state.dir.empty()) return true;
  store_ = std::make_unique<StateStore>(state.dir, state.fsync, state.fsync_interval_ms);
  // Rejections in the journal were logged when they arrived; and a journal is re-applied
  // as it was processed, so no gap in it may start a replay (live, those events were
  // applied after their replay ended, with whatever gap was left counted).
  core_.set_reject_log(nullptr);
  core_.set_gap_handler(nullptr);
  now_ms_ = clock_.NowMs();
  if (!store_->Restore(core_, now_ms_, error)) return false;  // ends with a snapshot
  ConnectCore();
  last_snapshot_ms_ = now_ms_;
  journaled_replay_counters_ = core_.replay_stats();
  return true;
}

void CoreLoop::JournalReplayCounters() {
  const ReplayCounters& now = core_.replay_stats();
  if (now == journaled_replay_counters_) return;
  journaled_replay_counters_ = now;
  store_->AppendReplayCounters(now_ms_, now);
}

void CoreLoop::TakeSnapshot() {
  store_->Snapshot(core_, now_ms_);
  last_snapshot_ms_ = now_ms_;
}

void CoreLoop::Persist() {
  if (!store_) return;
  store_->AppendTick(now_ms_);
  store_->Flush();  // the writer thread syncs as state.fsync says
  if (now_ms_ - last_snapshot_ms_ >= core_.config().state.snapshot_interval_ms) TakeSnapshot();
}

bool CoreLoop::OpenInputs(std::string* error) {
  SetAllowedClients(core_.config().inputs);
  const bool ok = inputs_.Open(core_.config().inputs, core_.config().limits.max_event_bytes, error);
  ready_.store(ok, std::memory_order_release);
  return ok;
}

bool CoreLoop::Reconfigure(const Config& config, std::string* error) {
  bool ok = true;
  if (config.inputs != inputs_.configs() ||
      config.limits.max_event_bytes != core_.config().limits.max_event_bytes) {
    ok = inputs_.Open(config.inputs, config.limits.max_event_bytes, error);
  }
  if (ok) SetAllowedClients(config.inputs);
  Config applied = config;
  if (!ok) applied.inputs = inputs_.configs();
  if (config.state.dir != core_.config().state.dir) {
    LogWarn("state.dir changed to \"" + config.state.dir +
            "\"; this takes a restart, still using \"" + core_.config().state.dir + "\"");
    applied.state.dir = core_.config().state.dir;
  }
  core_.Reconfigure(applied);
  alerts_.Reconfigure(applied);
  // The journal replays under the config of the next start: a snapshot now keeps the
  // events before this reload counted under the settings they were applied with.
  if (store_) {
    store_->SetFsync(applied.state.fsync, applied.state.fsync_interval_ms);
    TakeSnapshot();
  }
  return ok;
}

void CoreLoop::Post(Task task) {
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    tasks_.push_back(std::move(task));
  }
  const uint64_t one = 1;
  const ssize_t n = write(wake_fd_, &one, sizeof one);
  (void)n;
}

void CoreLoop::DropPendingTasks() {
  std::vector<Task> dropped;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    dropped.swap(tasks_);
  }
}

void CoreLoop::Stop() {
  stop_.store(true, std::memory_order_release);
  const uint64_t one = 1;
  const ssize_t n = write(wake_fd_, &one, sizeof one);
  (void)n;
}

void CoreLoop::RunTasks() {
  uint64_t counter;
  while (read(wake_fd_, &counter, sizeof counter) > 0) {
  }
  std::vector<Task> tasks;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    tasks.swap(tasks_);
  }
  for (Task& task : tasks) {
    try {
      task(*this);
    } catch (const std::exception& e) {
      LogError(std::string("core task failed: ") + e.what());
    }
  }
}

void CoreLoop::LogReject(const ApplyResult& r, std::string_view payload) {
  uint64_t suppressed = 0;
  if (!reject_log_limit_.Allow(now_ms_, &suppressed)) return;
  std::string line = "event rejected reason=";
  line += kRejectReasonNames[r.reason];
  line += " detail=\"";
  line += r.detail;
  line += "\"";
  if (!payload.empty()) {
    line += " payload=";
    // Printable ASCII as is, every other byte as \xNN: log lines stay valid text whatever
    // a source sends.
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : payload) {
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        line += static_cast<char>(c);
      } else {
        line += "\\x";
        line += kHex[c >> 4];
        line += kHex[c & 15];
      }
    }
  }
  if (suppressed > 0) line += " (" + std::to_string(suppressed) + " similar lines suppressed)";
  LogWarn(line);
}

void CoreLoop::EvaluateAlerts() {
  std::vector<AlertTransition> transitions = alerts_.Evaluate(core_, now_ms_);
  if (!transitions.empty() && on_alerts_) on_alerts_(std::move(transitions));
}

void CoreLoop::ReceiveBatch(zmq::socket_t& socket) {
  for (int i = 0; i < kBatch; ++i) {
    zmq::recv_result_t got;
    try {
      got = socket.recv(frame_, zmq::recv_flags::dontwait);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) LogWarn(std::string("input receive failed: ") + e.what());
      return;
    }
    if (!got) return;
    zmq::message_t* payload = &frame_;
    if (frame_.more()) {
      (void)socket.recv(extra_);  // parts of one message arrive together: never blocks
      payload = &extra_;
      if (extra_.more()) {
        while (extra_.more()) (void)socket.recv(extra_);
        core_.OnMalformedMessage(RejectReason::kFrames, now_ms_);
        continue;
      }
    }
    core_.Stage(std::string_view(static_cast<const char*>(payload->data()), payload->size()),
                now_ms_);
  }
}

void CoreLoop::PollOnce(std::vector<zmq::pollitem_t>& items) {
  auto& sockets = inputs_.sockets();
  items.clear();
  for (auto& s : sockets) items.push_back({s.handle(), 0, ZMQ_POLLIN, 0});
  for (auto& r : replays_) items.push_back({r->dealer.handle(), 0, ZMQ_POLLIN, 0});
  items.push_back({zap_.handle(), 0, ZMQ_POLLIN, 0});
  items.push_back({nullptr, wake_fd_, ZMQ_POLLIN, 0});
  try {
    zmq::poll(items.data(), items.size(), std::chrono::milliseconds(PollTimeoutMs()));
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) LogWarn(std::string("poll failed: ") + e.what());
  }
  now_ms_ = clock_.NowMs();
  heartbeat_ms_.store(SteadyMs(), std::memory_order_relaxed);
}

void CoreLoop::HandleReady(const std::vector<zmq::pollitem_t>& items) {
  auto& sockets = inputs_.sockets();
  bool received = false;
  for (size_t i = 0; i < sockets.size(); ++i) {
    if (!(items[i].revents & ZMQ_POLLIN)) continue;
    received = true;
    current_input_ = i;
    ReceiveBatch(sockets[i]);
    core_.Flush();  // a gap found in this batch asks this input's replay endpoint
  }
  if (received) {  // one writer: a relaxed load and store, no locked add
    batches_received_.store(batches_received_.load(std::memory_order_relaxed) + 1,
                            std::memory_order_relaxed);
  }
  // Replays started by this batch are not in `items` yet: they are polled next round.
  const size_t polled_replays = items.size() - sockets.size() - 2;
  for (size_t i = 0; i < polled_replays; ++i) {
    if (items[sockets.size() + i].revents & ZMQ_POLLIN) ReceiveReplay(*replays_[i]);
  }
  core_.Flush();  // nothing stays staged while tasks or renders read the state
  if (store_) {
    JournalReplayCounters();
    store_->Flush();  // one write per batch: applied means journaled
  }
  if (items[items.size() - 2].revents & ZMQ_POLLIN) HandleZapRequests();
  if (items.back().revents & ZMQ_POLLIN) RunTasks();
}

int CoreLoop::PollTimeoutMs() const {
  // With a fixed 100 ms wait, the event that woke the loop restarted it, and the evaluation
  // due meanwhile came 100 or 200 ms after the event (measured: 101 - 204 ms to
  // Alertmanager); waiting only until it is due makes that 0 - 200 ms.
  const int64_t due = std::min(last_alert_eval_ms_ + kAlertEvalMs, last_tick_ms_ + 1000);
  return static_cast<int>(std::clamp<int64_t>(due - clock_.NowMs(), 0, 100));
}

void CoreLoop::RunTimers() {
  now_ms_ = clock_.NowMs();
  EndExpiredReplays();
  if (now_ms_ - last_tick_ms_ >= 1000) {
    last_tick_ms_ = now_ms_;
    core_.Tick(now_ms_);
    Persist();
  }
  // Every 200 ms: an alert fires well within a second of its `for` having passed.
  if (now_ms_ - last_alert_eval_ms_ >= kAlertEvalMs) {
    last_alert_eval_ms_ = now_ms_;
    EvaluateAlerts();
  }
}

void CoreLoop::Run() {
  std::vector<zmq::pollitem_t> items;
  while (!stop_.load(std::memory_order_acquire)) {
    PollOnce(items);
    try {
      HandleReady(items);
      RunTimers();
    } catch (const std::exception& e) {
      // Never expected; if it happens the event in flight is lost, the daemon goes on.
      LogError(std::string("core loop error: ") + e.what());
    }
  }
  inputs_.Close();
  // Events still held for a replay are not applied: they lie past their source's restored
  // next seq, so the next start asks for them again.
  replays_.clear();
  core_.Flush();
  if (store_) {
    const bool ok = store_->Snapshot(core_, clock_.NowMs());
    LogInfo(ok ? "state saved to " + store_->dir() : "state NOT saved: snapshot failed");
  }
}

}  // namespace floorwatch
