#include "floorwatch/bridge/io/metrics_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>

#include "floorwatch/http/http_server.h"

namespace floorwatch::bridge {

struct MetricsServer::Impl {
  boost::asio::io_context io;
  std::unique_ptr<HttpServer> server;
  std::function<PublisherCounts()> publisher;
  std::mutex mutex;  // guards stats
  BridgeStats stats;
  std::thread thread;

  void Handle(const HttpRequest& request, const std::function<void(HttpResponse)>& respond) {
    HttpResponse r;
    if (request.method != "GET" && request.method != "HEAD") {
      r.status = 405;
      r.body = "GET only\n";
    } else if (request.target == "/metrics") {
      const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
      BridgeStats copy;
      {
        std::lock_guard lock(mutex);
        copy = stats;
      }
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      r.body = RenderBridgeMetrics(copy, publisher(), now_ms);
    } else if (request.target == "/healthz") {
      r.body = "ok\n";
    } else {
      r.status = 404;
      r.body = "not found: /metrics and /healthz are served\n";
    }
    respond(std::move(r));
  }
};

MetricsServer::MetricsServer(const std::string& listen, std::function<PublisherCounts()> publisher)
    : impl_(std::make_unique<Impl>()) {
  impl_->publisher = std::move(publisher);
  Impl* impl = impl_.get();
  impl_->server = std::make_unique<HttpServer>(
      impl_->io, listen,
      [impl](const HttpRequest& request, std::function<void(HttpResponse)> respond) {
        impl->Handle(request, respond);
      });
  impl_->thread = std::thread([impl] {
    auto guard = boost::asio::make_work_guard(impl->io);
    impl->io.run();
  });
}

MetricsServer::~MetricsServer() { Stop(); }

void MetricsServer::Update(const BridgeStats& stats) {
  std::lock_guard lock(impl_->mutex);
  impl_->stats = stats;
}

std::string MetricsServer::address() const { return impl_->server->address(); }

void MetricsServer::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->io.stop();
  impl_->thread.join();
  impl_->server.reset();
}

}  // namespace floorwatch::bridge
