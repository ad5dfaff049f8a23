#include "floorwatch/notify/notifier.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <zmq.hpp>

#include "floorwatch/alerts/alert_json.h"
#include "floorwatch/log/log.h"
#include "floorwatch/notify/http_client.h"

namespace floorwatch {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

int64_t WallMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr milliseconds kHttpTimeout{5000};
constexpr size_t kWebhookQueue = 1000;
constexpr int kWebhookAttempts = 5;

}  // namespace

struct Notifier::State {
  State(Notifier& owner, std::string generator)
      : n(owner), generator_url(std::move(generator)), resend(n.io_) {}

  void Count(NotifySink s, NotifyResult r) {
    n.counts_[static_cast<int>(s)][static_cast<int>(r)].fetch_add(1, std::memory_order_relaxed);
  }

  // ---- configuration ----
  void Configure(const NotifyConfig& c) {
    config = c;
    am_targets.clear();
    for (const std::string& u : c.alertmanager_urls) {
      auto url = ParseHttpUrl(u);
      if (!url) continue;
      // Configured as the Alertmanager's base URL (possibly with a path prefix).
      if (!url->target.empty() && url->target.back() == '/') url->target.pop_back();
      url->target += "/api/v2/alerts";
      am_targets.push_back(AmTarget{*url, u});
    }
    std::map<std::string, Webhook> kept;
    for (const std::string& u : c.webhook_urls) {
      auto url = ParseHttpUrl(u);
      if (!url) continue;
      auto old = webhooks.find(u);
      if (old != webhooks.end()) {
        // A request or retry of the old generation is ignored when it completes, so the
        // message at the front is sent again (at least once, never lost).
        old->second.in_flight = false;
        old->second.attempts = 0;
        old->second.retry.reset();
        kept.emplace(u, std::move(old->second));
      } else {
        kept.emplace(u, Webhook{*url});
      }
    }
    webhooks = std::move(kept);
    if (c.zmq_pub != zmq_endpoint) {
      pub.reset();
      zmq_endpoint = c.zmq_pub;
      if (!zmq_endpoint.empty()) {
        try {
          pub = std::make_unique<zmq::socket_t>(zmq_context, zmq::socket_type::pub);
          pub->set(zmq::sockopt::linger, 0);
          pub->bind(zmq_endpoint);
          LogInfo("alerts: zmq pub bound to " + pub->get(zmq::sockopt::last_endpoint));
        } catch (const zmq::error_t& e) {
          pub.reset();
          LogError("alerts: notify.zmq_pub " + zmq_endpoint + ": " + e.what());
        }
      }
    }
    ScheduleResend();
  }

  // ---- transitions ----
  void Handle(const std::vector<AlertTransition>& transitions) {
    const int64_t now = WallMs();
    for (const AlertTransition& t : transitions) {
      Log(t);
      RecordForAlertmanager(t, now);
      const std::string json = TransitionJson(t);
      for (auto& [u, hook] : webhooks) Enqueue(hook, json);
      if (pub) {
        try {
          pub->send(zmq::buffer("alert." + t.alertname), zmq::send_flags::sndmore);
          pub->send(zmq::buffer(json), zmq::send_flags::none);
          Count(NotifySink::kZmq, NotifyResult::kSuccess);
        } catch (const zmq::error_t&) {
          Count(NotifySink::kZmq, NotifyResult::kError);
        }
      }
    }
    if (!transitions.empty()) SendAlertmanager();
  }

  void Log(const AlertTransition& t) {
    std::string line = std::string("alert ") + (t.firing ? "firing" : "resolved") +
                       " alertname=" + t.alertname + " severity=" + t.severity +
                       " queue=" + t.queue + " channel=" + t.channel;
    auto v = t.annotations.find("value");
    if (v != t.annotations.end()) line += " value=" + v->second;
    auto s = t.annotations.find("summary");
    if (s != t.annotations.end()) line += " summary=\"" + s->second + "\"";
    LogInfo(line);
  }

  // ---- Alertmanager ----
  struct AmEntry {
    AlertmanagerAlert alert;
    bool firing = true;
    int64_t resolved_at_ms = 0;
  };
  struct AmTarget {
    HttpUrl url;
    std::string text;
    bool in_flight = false;
    bool again = false;
  };

  void RecordForAlertmanager(const AlertTransition& t, int64_t now) {
    if (am_targets.empty()) return;
    const std::string key =
        t.alertname + '\x1f' + t.queue + '\x1f' + t.channel + '\x1f' + t.severity;
    AmEntry& e = am_alerts[key];
    e.alert.labels = t.labels;
    e.alert.annotations = t.annotations;
    e.alert.starts_at_ms = t.starts_at_ms;
    e.alert.generator_url = generator_url + "?alertname=" + t.alertname + "&queue=" + t.queue;
    e.firing = t.firing;
    if (!t.firing) {
      e.alert.ends_at_ms = t.ends_at_ms;
      e.resolved_at_ms = now;
    }
  }

  std::string AlertmanagerBody(int64_t now) {
    const int64_t interval = config.alertmanager_resend_interval_ms;
    std::vector<AlertmanagerAlert> alerts;
    for (auto it = am_alerts.begin(); it != am_alerts.end();) {
      AmEntry& e = it->second;
      if (!e.firing && now - e.resolved_at_ms > 5 * interval) {
        it = am_alerts.erase(it);
        continue;
      }
      if (e.firing) e.alert.ends_at_ms = now + 3 * interval;
      alerts.push_back(e.alert);
      ++it;
    }
    std::string body;
    AppendAlertmanagerAlerts(body, alerts);
    return alerts.empty() ? std::string() : body;
  }

  void SendAlertmanager() {
    for (size_t i = 0; i < am_targets.size(); ++i) SendTo(i);
  }

  void SendTo(size_t i) {
    AmTarget& target = am_targets[i];
    if (target.in_flight) {
      target.again = true;  // send the newest state once this one is answered
      return;
    }
    std::string body = AlertmanagerBody(WallMs());
    if (body.empty()) return;
    target.in_flight = true;
    target.again = false;
    const size_t generation = config_generation;
    HttpPost(n.io_, target.url, std::move(body), kHttpTimeout,
             [this, i, generation](bool ok, std::string detail) {
               Count(NotifySink::kAlertmanager, ok ? NotifyResult::kSuccess : NotifyResult::kError);
               if (generation != config_generation || i >= am_targets.size())
                 return;  // reconfigured meanwhile
               AmTarget& t = am_targets[i];
               t.in_flight = false;
               if (!ok) Warn("alertmanager " + t.text + ": " + detail);
               if (t.again) SendTo(i);
             });
  }

  void ScheduleResend() {
    resend.expires_after(milliseconds(config.alertmanager_resend_interval_ms));
    resend.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      SendAlertmanager();
      ScheduleResend();
    });
  }

  // ---- webhooks ----
  struct Webhook {
    HttpUrl url;
    std::deque<std::string> queue;
    bool in_flight = false;
    int attempts = 0;
    std::shared_ptr<asio::steady_timer> retry;
  };

  void Enqueue(Webhook& hook, const std::string& json) {
    // The front is being sent (or waits for its retry) while in flight: that send completes
    // it, so it is not one of the kWebhookQueue waiting, and never the one dropped.
    const size_t in_flight = hook.in_flight && !hook.queue.empty() ? 1 : 0;
    if (hook.queue.size() - in_flight >= kWebhookQueue) {
      hook.queue.erase(hook.queue.begin() + in_flight);  // the oldest waiting
      Count(NotifySink::kWebhook, NotifyResult::kDropped);
    }
    hook.queue.push_back(json);
    SendWebhook(hook);
  }

  void SendWebhook(Webhook& hook) {
    if (hook.in_flight || hook.queue.empty()) return;
    hook.in_flight = true;
    Webhook* h = &hook;
    const size_t generation = config_generation;
    HttpPost(n.io_, hook.url, hook.queue.front(), kHttpTimeout,
             [this, h, generation](bool ok, std::string detail) {
               Count(NotifySink::kWebhook, ok ? NotifyResult::kSuccess : NotifyResult::kError);
               if (generation != config_generation) return;
               h->in_flight = false;
               if (ok) {
                 h->queue.pop_front();
                 h->attempts = 0;
                 return SendWebhook(*h);
               }
               Warn("webhook " + h->url.host + ":" + h->url.port + h->url.target + ": " + detail);
               if (++h->attempts >= kWebhookAttempts) {
                 h->queue.pop_front();
                 h->attempts = 0;
                 Count(NotifySink::kWebhook, NotifyResult::kDropped);
                 return SendWebhook(*h);
               }
               h->in_flight = true;  // waiting for the retry
               if (!h->retry) h->retry = std::make_shared<asio::steady_timer>(n.io_);
               h->retry->expires_after(milliseconds(500 << (h->attempts - 1)));
               h->retry->async_wait([this, h, generation](const boost::system::error_code& ec) {
                 if (ec || generation != config_generation) return;
                 h->in_flight = false;
                 SendWebhook(*h);
               });
             });
  }

  void Warn(const std::string& line) {
    uint64_t suppressed = 0;
    if (warn_limit.Allow(WallMs(), &suppressed)) {
      LogWarn("alert delivery failed: " + line +
              (suppressed ? " (" + std::to_string(suppressed) + " similar lines suppressed)" : ""));
    }
  }

  Notifier& n;
  std::string generator_url;
  NotifyConfig config;
  size_t config_generation = 0;
  std::vector<AmTarget> am_targets;
  std::map<std::string, AmEntry> am_alerts;
  asio::steady_timer resend;
  std::map<std::string, Webhook> webhooks;
  zmq::context_t zmq_context{1};
  std::unique_ptr<zmq::socket_t> pub;
  std::string zmq_endpoint;
  LogRateLimiter warn_limit{5, 10'000};
};

Notifier::Notifier(const NotifyConfig& config, std::string generator_url)
    : state_(std::make_unique<State>(*this, std::move(generator_url))) {
  state_->Configure(config);
  thread_ = std::thread([this] {
    auto guard = asio::make_work_guard(io_);
    for (;;) {
      try {
        io_.run();
        break;
      } catch (const std::exception& e) {
        LogError(std::string("alert notifier: ") + e.what());
      }
    }
  });
}

Notifier::~Notifier() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
  state_.reset();
}

void Notifier::Post(std::vector<AlertTransition> transitions) {
  asio::post(io_, [this, t = std::move(transitions)] { state_->Handle(t); });
}

void Notifier::Reconfigure(const NotifyConfig& config) {
  asio::post(io_, [this, config] {
    ++state_->config_generation;
    state_->Configure(config);
  });
}

NotifyCounts Notifier::counts() const {
  NotifyCounts out{};
  for (int s = 0; s < 3; ++s) {
    for (int r = 0; r < 3; ++r) out[s][r] = counts_[s][r].load(std::memory_order_relaxed);
  }
  return out;
}

}  // namespace floorwatch
