#include "floorwatch/runtime/run.h"

#include <malloc.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "floorwatch/alerts/alert_json.h"
#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/exposition.h"
#include "floorwatch/http/basic_auth.h"
#include "floorwatch/http/http_server.h"
#include "floorwatch/log/log.h"
#include "floorwatch/notify/notifier.h"
#include "floorwatch/render/metrics_text.h"
#include "floorwatch/render/wallboard_page.h"
#include "floorwatch/runtime/core_loop.h"
#include "floorwatch/runtime/memory_trim.h"
#include "floorwatch/runtime/metrics_scrape.h"
#include "floorwatch/runtime/process_stats.h"
#include "floorwatch/runtime/sd_notify.h"

namespace floorwatch {
namespace {

namespace asio = boost::asio;

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A TLS server context from the configured PEM files; null when TLS is not configured.
// Throws (with OpenSSL's reason) when the files do not hold a usable certificate and key.
std::shared_ptr<asio::ssl::context> MakeTlsContext(const HttpConfig& http) {
  if (http.tls_cert_file.empty()) return nullptr;
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  ctx->use_certificate_chain_file(http.tls_cert_file);
  ctx->use_private_key_file(http.tls_key_file, asio::ssl::context::pem);
  return ctx;
}

// Routes requests. Lives on the io_context (main) thread; reaches the state only by
// posting to the core thread and posting the rendered answer back.
class Daemon {
 public:
  Daemon(asio::io_context& io, CoreLoop& loop, std::string config_path, std::string listen)
      : io_(io),
        loop_(loop),
        scrape_(io, loop),
        config_path_(std::move(config_path)),
        listen_(std::move(listen)) {
    // Before the core thread starts, so reading the config here is safe.
    rules_ = loop_.core().config().alerts;
    auth_ = std::make_unique<BasicAuth>(loop_.core().config().http.basic_auth_users);
    info_.config_reload_timestamp_seconds = NowSeconds();
  }

  void Handle(const HttpRequest& request, std::function<void(HttpResponse)> respond) {
    const std::string_view method = request.method;
    const std::string_view target = request.target;
    const std::string_view path = target.substr(0, target.find('?'));
    if (!auth_->Check(request.authorization)) {
      HttpResponse r{401, "text/plain; charset=utf-8", "authentication required\n"};
      r.www_authenticate = "Basic realm=\"floorwatch\"";
      return respond(std::move(r));
    }
    if (method != "GET" && method != "HEAD")
      return respond({405, "text/plain; charset=utf-8", "only GET\n"});
    if (path == "/healthz") return respond({200, "text/plain; charset=utf-8", "ok\n"});
    if (path == "/readyz") {
      return loop_.ready() ? respond({200, "text/plain; charset=utf-8", "ready\n"})
                           : respond({503, "text/plain; charset=utf-8", "not ready\n"});
    }
    if (path == "/metrics") return ScrapeMetrics(respond);
    if (path == "/api/v1/queues") return RenderOnCore(std::move(respond), &Core::RenderQueuesJson);
    if (path == "/api/v1/teams") return RenderOnCore(std::move(respond), &Core::RenderTeamsJson);
    if (path == "/api/v1/escalations")
      return RenderOnCore(std::move(respond), &Core::RenderEscalationsJson);
    if (path == "/api/v1/alerts") {
      loop_.Post([this, respond = std::move(respond)](CoreLoop& loop) mutable {
        HttpResponse r{200, "application/json",
                       ActiveAlertsJson(loop.alerts().Active(loop.core()))};
        asio::post(io_, [respond = std::move(respond), r = std::move(r)]() mutable {
          respond(std::move(r));
        });
      });
      return;
    }
    if (path == "/")
      return respond({200, "text/html; charset=utf-8", std::string(WallboardHtml())});
    respond({404, "text/plain; charset=utf-8", "not found\n"});
  }

  void Reload() {
    LogInfo("SIGHUP: reloading " + config_path_);
    SdNotify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(MonotonicUsec()));
    ConfigResult result = LoadConfigFromFile(config_path_);
    if (auto* error = std::get_if<ConfigError>(&result)) {
      info_.config_reload_ok = false;
      LogError("reload rejected, keeping the running config: " + error->message);
      SdNotify("READY=1\nSTATUS=reload rejected, running the previous config");
      return;
    }
    Config config = std::get<Config>(std::move(result));
    std::shared_ptr<asio::ssl::context> tls;
    try {
      tls = MakeTlsContext(config.http);
    } catch (const std::exception& e) {
      info_.config_reload_ok = false;
      LogError("reload rejected, keeping the running config: http TLS: " + std::string(e.what()));
      SdNotify("READY=1\nSTATUS=reload rejected, running the previous config");
      return;
    }
    if (server_ != nullptr) server_->SetTls(tls);
    if (notifier_ != nullptr) notifier_->Reconfigure(config.notify);
    auth_ =
        std::make_unique<BasicAuth>(config.http.basic_auth_users);  // the web config reloads too
    rules_ = config.alerts;
    if (config.http.listen != listen_) {
      LogWarn("http.listen changed to " + config.http.listen +
              "; this takes a restart, still serving on " + listen_);
    }
    loop_.Post([this, config = std::move(config)](CoreLoop& loop) {
      std::string error;
      const bool ok = loop.Reconfigure(config, &error);
      asio::post(io_, [this, ok, error] {
        info_.config_reload_ok = ok;
        if (ok) {
          info_.config_reload_timestamp_seconds = NowSeconds();
          LogInfo("config reloaded");
        } else {
          LogError("reload: inputs could not be opened, keeping the old ones: " + error);
        }
        SdNotify(ok ? "READY=1\nSTATUS=config reloaded"
                    : "READY=1\nSTATUS=reload failed: inputs kept");
      });
    });
  }

  void set_notifier(Notifier* n) { notifier_ = n; }
  void set_server(HttpServer* s) { server_ = s; }

 private:
  // The header goes out now; the body follows as the core thread renders it (metrics_scrape.h).
  void ScrapeMetrics(const std::function<void(HttpResponse)>& respond) {
    DaemonInfo info = info_;
    ReadProcessStats(info);
    if (notifier_ != nullptr) {
      const NotifyCounts counts = notifier_->counts();
      for (int s = 0; s < 3; ++s) {
        for (int r = 0; r < 3; ++r)
          info.notifications.emplace_back(kNotifySinkNames[s], kNotifyResultNames[r], counts[s][r]);
      }
    }
    HttpResponse r{200, "text/plain; version=0.0.4; charset=utf-8"};
    r.stream = std::make_shared<HttpBodyStream>();
    scrape_.Start(std::move(info), r.stream);
    respond(std::move(r));
  }

  // A JSON body from one of the Core's renderers, rendered whole on the core thread.
  using JsonRender = void (Core::*)(std::string&, int64_t) const;
  void RenderOnCore(std::function<void(HttpResponse)> respond, JsonRender json) {
    loop_.Post([this, json, respond = std::move(respond)](CoreLoop& loop) mutable {
      const int64_t now = loop.clock().NowMs();
      loop.core().Tick(now);
      HttpResponse r;
      if (!spare_json_.empty()) {
        r.body = std::move(spare_json_.back());
        spare_json_.pop_back();
      }
      // The body comes back after it is sent, to be rendered into again (pages already in).
      r.recycle = [this](std::string body) {
        loop_.Post([this, body = std::move(body)](CoreLoop&) mutable {
          if (spare_json_.size() < 2) spare_json_.push_back(std::move(body));
        });
      };
      (loop.core().*json)(r.body, now);
      r.content_type = "application/json";
      asio::post(io_, [respond = std::move(respond), r = std::move(r)]() mutable {
        respond(std::move(r));
      });
    });
  }

  asio::io_context& io_;
  CoreLoop& loop_;
  MetricsScrape scrape_;
  Notifier* notifier_ = nullptr;     // main thread reads counts; Post/Reconfigure are thread-safe
  HttpServer* server_ = nullptr;     // main thread only
  std::vector<AlertRule> rules_;     // main thread only
  std::unique_ptr<BasicAuth> auth_;  // main thread only
  std::string config_path_;
  std::string listen_;
  DaemonInfo info_;                      // main thread only
  std::vector<std::string> spare_json_;  // core thread only: render buffers to reuse
};

// Pings the systemd watchdog at half its interval, but only while the core thread shows a
// recent heartbeat: a stuck core thread gets the daemon restarted. Main thread.
class Watchdog {
 public:
  Watchdog(asio::io_context& io, const CoreLoop& loop, int64_t usec)
      : timer_(io),
        loop_(loop),
        interval_(std::chrono::microseconds(usec / 2)),
        limit_ms_(usec / 1000) {
    Schedule();
  }

 private:
  void Schedule() {
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      const int64_t now = SteadyMs();
      if (now - loop_.heartbeat_ms() < limit_ms_) {
        SdNotify("WATCHDOG=1");
      } else {
        LogError("core thread silent for " + std::to_string(now - loop_.heartbeat_ms()) +
                 " ms: withholding the watchdog ping");
      }
      Schedule();
    });
  }

  asio::steady_timer timer_;
  const CoreLoop& loop_;
  std::chrono::microseconds interval_;
  int64_t limit_ms_;
};

}  // namespace

int CheckConfig(const std::string& path) {
  ConfigResult result = LoadConfigFromFile(path);
  if (auto* error = std::get_if<ConfigError>(&result)) {
    std::cerr << error->message << "\n";
    return 1;
  }
  std::cout << path << ": ok\n";
  return 0;
}

namespace {

std::unique_ptr<HttpServer> StartHttp(asio::io_context& io, const Config& config, Daemon& daemon) {
  try {
    auto server = std::make_unique<HttpServer>(
        io, config.http.listen,
        [&daemon](const HttpRequest& request, std::function<void(HttpResponse)> r) {
          daemon.Handle(request, std::move(r));
        });
    server->SetTls(MakeTlsContext(config.http));
    return server;
  } catch (const std::exception& e) {
    LogError(std::string("http: ") + e.what());
    return nullptr;
  }
}

// Runs the main thread's io_context until a stop. No exception may end the daemon from a
// handler: log it and keep serving.
void Serve(asio::io_context& io) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      LogError(std::string("http/signal handler failed: ") + e.what());
    }
  }
}

// What the main thread owns while serving; Stop() is the orderly SIGTERM path.
struct Serving {
  asio::io_context& io;
  CoreLoop& loop;
  Daemon& daemon;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<Watchdog> watchdog;

  void Stop() {
    SdNotify("STOPPING=1");
    watchdog.reset();
    loop.Stop();
    daemon.set_server(nullptr);
    server.reset();
    io.stop();
  }
};

void HandleSignals(asio::signal_set& signals, Serving& serving) {
  signals.async_wait([&signals, &serving](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      serving.daemon.Reload();
      return HandleSignals(signals, serving);
    }
    LogInfo(signal == SIGTERM ? "SIGTERM: stopping" : "SIGINT: stopping");
    serving.Stop();
  });
}

bool PrepareCore(CoreLoop& loop) {
  std::string error;
  if (!loop.RestoreState(&error)) {
    LogError("state: " + error);
    return false;
  }
  if (!loop.OpenInputs(&error)) {
    LogError(error);
    return false;
  }
  return true;
}

}  // namespace

int Run(const std::string& config_path) {
  MapLargeAllocations();  // outgrown arrays go back to the system (process_stats.h)
  ConfigResult result = LoadConfigFromFile(config_path);
  if (auto* error = std::get_if<ConfigError>(&result)) {
    LogError(error->message);
    return 1;
  }
  const Config config = std::get<Config>(std::move(result));
  SystemClock clock;
  std::unique_ptr<Notifier> notifier;  // created once the HTTP address is known, before events flow
  CoreLoop loop(config, clock, [&notifier](std::vector<AlertTransition> t) {
    if (notifier) notifier->Post(std::move(t));
  });
  if (!PrepareCore(loop)) return 1;
  asio::io_context io(1);
  Daemon daemon(io, loop, config_path, config.http.listen);
  Serving serving{io, loop, daemon, StartHttp(io, config, daemon), nullptr};
  if (!serving.server) return 1;
  daemon.set_server(serving.server.get());
  const std::string address = serving.server->address();
  const bool tls = !config.http.tls_cert_file.empty();
  LogInfo("floorwatchd " FLOORWATCH_VERSION " config " + config_path + ", http listening on " +
          address + (tls ? " (TLS)" : ""));
  notifier = std::make_unique<Notifier>(
      config.notify, (tls ? "https://" : "http://") + address + "/api/v1/alerts");
  daemon.set_notifier(notifier.get());
  if (const int64_t usec = SdWatchdogUsec(); usec > 0)
    serving.watchdog = std::make_unique<Watchdog>(io, loop, usec);
  MemoryTrimmer trimmer(io, loop);  // main thread: gives a burst's freed heap back
  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  HandleSignals(signals, serving);

  std::thread core_thread([&loop] { loop.Run(); });
  SdNotify("READY=1\nSTATUS=serving on " + address);
  Serve(io);
  loop.Stop();
  core_thread.join();
  loop.DropPendingTasks();  // unanswered requests hold sessions of `io`: release them before it
                            // goes
  notifier.reset();
  LogInfo("stopped");
  return 0;
}

}  // namespace floorwatch
