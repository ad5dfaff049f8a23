// Delivers alert transitions (from AlertEngine, posted by the core thread) to every
// configured sink, each independent of the others and of event ingestion:
//  - Alertmanager API v2 (each URL on its own): a transition is sent at once; every
//    `resend_interval` all firing alerts are re-sent with endsAt three intervals ahead;
//    resolved alerts carry their endsAt and are re-sent for five intervals more.
//  - JSON webhooks: one POST per transition, in order, retried with back-off (0.5 s
//    doubling, 5 attempts), from a bounded queue (1,000; the oldest is dropped when full).
//  - ZeroMQ PUB (bound at notify.zmq_pub): [ "alert.<alertname>", transition JSON ].
//  - One structured log line per transition.
// Runs on its own thread; Post, Reconfigure and counts() may be called from any thread.
// Outcomes are counted per sink and result (success, error, dropped) in atomics read at
// scrape time.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "floorwatch/alerts/alert_engine.h"
#include "floorwatch/core/config.h"

namespace floorwatch {

enum class NotifySink { kAlertmanager, kWebhook, kZmq };
enum class NotifyResult { kSuccess, kError, kDropped };
inline constexpr std::array<const char*, 3> kNotifySinkNames = {"alertmanager", "webhook", "zmq"};
inline constexpr std::array<const char*, 3> kNotifyResultNames = {"success", "error", "dropped"};

using NotifyCounts = std::array<std::array<uint64_t, 3>, 3>;  // [sink][result]

class Notifier {
 public:
  // `generator_url`: where an alert links back to (this daemon's /api/v1/alerts).
  Notifier(const NotifyConfig& config, std::string generator_url);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void Post(std::vector<AlertTransition> transitions);
  void Reconfigure(const NotifyConfig& config);
  NotifyCounts counts() const;

 private:
  struct State;  // lives on, and is touched only by, the notifier thread
  boost::asio::io_context io_;
  std::unique_ptr<State> state_;
  std::array<std::array<std::atomic<uint64_t>, 3>, 3> counts_{};
  std::thread thread_;
};

}  // namespace floorwatch
