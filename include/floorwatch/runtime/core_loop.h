// The core thread: owns the Core and the input sockets, receives messages in batches,
// applies them, ticks the windows once a second, and runs tasks other threads post.
//
// Threads: Run() is called on the core thread and returns after Stop(). Post(), Stop()
// and ready() may be called from any thread; everything else belongs to the core thread.
// Posting is the only way another thread reaches the state: the task runs on the core
// thread between batches (a batch is at most kBatch messages, so a task waits for at most
// a few milliseconds under full load).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "floorwatch/alerts/alert_engine.h"
#include "floorwatch/core/clock.h"
#include "floorwatch/core/core.h"
#include "floorwatch/input/inputs.h"
#include "floorwatch/log/log.h"
#include "floorwatch/state/state_store.h"

namespace floorwatch {

class CoreLoop {
 public:
  using Task = std::function<void(CoreLoop&)>;
  static constexpr int kBatch = 4096;
  // Alert rules are evaluated this often: an alert leaves at most this long after the event
  // (or the passing of `for`) that fired or resolved it, plus its delivery.
  static constexpr int64_t kAlertEvalMs = 200;

  // Alert transitions go to `on_alerts` (called on the core thread; it must not block).
  CoreLoop(const Config& config, const Clock& clock,
           std::function<void(std::vector<AlertTransition>)> on_alerts = nullptr);
  ~CoreLoop();

  // With `state.dir` set: restores the state from it and starts journaling. Call once,
  // before OpenInputs and before the core thread starts; false (with `error`) stops start-up.
  bool RestoreState(std::string* error);
  // Opens the inputs; false (with `error`) if one cannot be set up. Core thread or before
  // the core thread starts.
  bool OpenInputs(std::string* error);
  // Runs until Stop(); then closes the inputs and, with durable state, writes a snapshot.
  void Run();
  void Stop();
  void Post(Task task);
  // Destroys tasks posted but never run (after Run() returned). They may hold HTTP sessions,
  // which must go while their io_context still exists. Any thread, once the loop has stopped.
  void DropPendingTasks();
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  // Monotonic ms of the core thread's latest loop iteration (it polls at least every 100 ms),
  // for the systemd watchdog: a stale value means the core thread is stuck.
  int64_t heartbeat_ms() const { return heartbeat_ms_.load(std::memory_order_relaxed); }
  // Loop iterations that received input so far (any thread): grows while input arrives, for
  // the memory trimmer's "idle after a burst" (memory_trim.h).
  uint64_t batches_received() const { return batches_received_.load(std::memory_order_relaxed); }

  // Core-thread only.
  Core& core() { return core_; }
  AlertEngine& alerts() { return alerts_; }
  // Durable-state figures; nullopt when state.dir is not set.
  std::optional<StateStoreStats> state_stats() const {
    return store_ ? std::optional(store_->stats()) : std::nullopt;
  }
  const Clock& clock() const { return clock_; }
  // Applies a validated config; reopens inputs if they changed. False if they could not
  // be opened (the old inputs are kept, the rest of the config applies).
  bool Reconfigure(const Config& config, std::string* error);

 private:
  // Waits for input at most until the next timer is due (PollTimeoutMs).
  void PollOnce(std::vector<zmq::pollitem_t>& items);
  // Until the tick or alert evaluation is due, at most 100 ms (replay time-outs and the
  // heartbeat are checked at that pace).
  int PollTimeoutMs() const;
  void HandleReady(const std::vector<zmq::pollitem_t>& items);
  void RunTimers();  // replay time-outs, the tick, alert evaluation
  void ReceiveBatch(zmq::socket_t& socket);
  void RunTasks();
  void LogReject(const ApplyResult& r, std::string_view payload);
  void EvaluateAlerts();
  // ZeroMQ authentication (ZAP, RFC 27) for CURVE inputs: answers the library's requests on
  // inproc://zeromq.zap.01 from each input's allow-list of client public keys.
  void HandleZapRequests();
  void SetAllowedClients(const std::vector<InputConfig>& inputs);
  // Replay (docs/protocol.md): one DEALER per source being replayed, connected to the replay
  // endpoint of the input its gap arrived on, closed at replay.end or the time-out (so a
  // late answer can never be mistaken for a later replay's).
  struct Replay {
    std::string source;
    zmq::socket_t dealer;
    int64_t timeout_ms;
    int64_t deadline_ms;  // moves on with every frame received: a long replay is not cut
  };
  bool StartReplay(std::string_view source, uint64_t from_seq);
  void ReceiveReplay(Replay& replay);
  void EndExpiredReplays();      // time-outs; also drops the replays that ended
  void Persist();                // journal flush and sync, periodic snapshot: once per tick
  void JournalReplayCounters();  // when they changed since the last record
  void TakeSnapshot();           // and restarts the snapshot interval
  // Installs the core's callbacks: reject log, gap handler, and with durable state the
  // journal. Not during a restore (see RestoreState).
  void ConnectCore();
  ReplayCounters journaled_replay_counters_;

  std::unique_ptr<StateStore> store_;
  int64_t last_snapshot_ms_ = 0;
  std::vector<std::unique_ptr<Replay>> replays_;
  size_t current_input_ = 0;  // the input whose messages are being applied (for replays)
  const Clock& clock_;
  Core core_;
  AlertEngine alerts_;
  std::function<void(std::vector<AlertTransition>)> on_alerts_;
  int64_t last_alert_eval_ms_ = 0;
  int64_t last_tick_ms_ = 0;
  zmq::context_t context_;
  zmq::socket_t zap_;  // REP, bound before any input so every CURVE handshake is checked
  std::map<std::string, std::set<std::string>> allowed_clients_;  // ZAP domain -> 32-byte keys
  Inputs inputs_;
  int wake_fd_;             // eventfd: Post() and Stop() write to it to end the core thread's poll
  std::mutex tasks_mutex_;  // guards tasks_ (the only state shared between threads)
  std::vector<Task> tasks_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ready_{false};
  std::atomic<int64_t> heartbeat_ms_{0};
  std::atomic<uint64_t> batches_received_{0};  // written by the core thread only
  zmq::message_t frame_;
  zmq::message_t extra_;
  LogRateLimiter reject_log_limit_{10, 1000};
  int64_t now_ms_ = 0;
};

}  // namespace floorwatch
