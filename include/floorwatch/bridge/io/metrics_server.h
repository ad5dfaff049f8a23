// --metrics HOST:PORT: the bridge's own /metrics (core/bridge_stats.h) and /healthz, over
// the daemon's HTTP server (floorwatch/http/http_server.h), on a thread of its own.
//
// The bridge thread publishes a copy of its figures (Update, at most every 100 ms or so);
// a scrape renders the latest copy with the publisher's counters, at scrape time. The copy
// is the only state the two threads share, behind one mutex.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "floorwatch/bridge/core/bridge_stats.h"

namespace floorwatch::bridge {

class MetricsServer {
 public:
  // Binds `listen` (port 0: a free one) and starts serving; throws std::runtime_error if it
  // cannot bind. `publisher` is called on the server's thread at each scrape.
  MetricsServer(const std::string& listen, std::function<PublisherCounts()> publisher);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  void Update(const BridgeStats& stats);  // bridge thread
  std::string address() const;            // host:port as bound
  void Stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace floorwatch::bridge
