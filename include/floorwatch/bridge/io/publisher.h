// The bridge's ZeroMQ side, on a thread of its own: the live outputs (PUB sockets it binds,
// PUSH sockets it connects; every event goes to each, as [topic, payload]) and the replay
// ROUTER it binds (PROTOCOL.md "Replay"), answered from the replay buffer it owns.
//
// The bridge thread posts sequenced events over an inproc PAIR; this thread sends each on
// every output and then adds it to the buffer, so a replay answers with exactly what was
// published. A PUSH whose peer is away queues up to its high-water mark (1,000,000); past
// that this thread stops taking posts (still answering replays), so Post waits: the
// input is then read no further and nothing is dropped. A PUB drops for a subscriber that
// falls that far behind (ZeroMQ's PUB rule); replay fills the gap.
//
// Threads: construct, Post, Stop on the bridge thread; counts() from any thread. Every
// socket but the posting end of the PAIR belongs to the publisher thread.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "floorwatch/bridge/core/bridge_stats.h"
#include "floorwatch/bridge/core/replay_ring.h"

namespace floorwatch::bridge {

struct PublisherConfig {
  std::vector<std::string> publish;  // PUB, bind
  std::vector<std::string> push;     // PUSH, connect
  std::string replay;                // ROUTER, bind; empty: none
  std::string source;                // answered in replays
  int linger_ms = 10'000;            // at Stop: how long undelivered events may still go out
};

class Publisher {
 public:
  // Opens every socket and starts the thread; throws std::runtime_error naming the endpoint
  // that cannot be bound or connected.
  Publisher(const PublisherConfig& config, ReplayRing ring);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Hands one event over; waits while the publisher is behind (see above). False if `stop`
  // became true while waiting (the event is then not sent; it is journaled).
  bool Post(const BufferedEvent& event, const std::atomic<bool>& stop);
  // Sends what was posted (waiting up to linger_ms for an absent PUSH peer), then ends the
  // thread and closes the sockets (lingering as long). Idempotent.
  void Stop();

  // As bound (a "*" port replaced by the one taken): PUB endpoints, then the replay ROUTER.
  const std::vector<std::string>& publish_endpoints() const { return publish_endpoints_; }
  const std::string& replay_endpoint() const { return replay_endpoint_; }
  PublisherCounts counts() const;

 private:
  struct Pending {
    uint64_t seq = 0;
    zmq::message_t topic;
    zmq::message_t payload;
    std::vector<bool> sent;  // per output
  };
  void Loop();
  bool TrySend(Pending& p);  // true when sent on every output
  void AnswerReplays();
  void Drop(const Pending* p);  // at a Stop past linger: count what will not go out

  PublisherConfig config_;
  ReplayRing ring_;
  zmq::context_t context_;
  std::vector<zmq::socket_t> outputs_;
  zmq::socket_t router_;
  zmq::socket_t pair_in_;   // publisher thread
  zmq::socket_t pair_out_;  // bridge thread
  std::vector<std::string> publish_endpoints_;
  std::string replay_endpoint_;
  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> done_{false};  // the thread has left its loop
  bool stopped_ = false;
  std::atomic<uint64_t> published_{0}, replay_requests_{0}, replay_events_{0}, replay_truncated_{0},
      buffered_{0};
};

}  // namespace floorwatch::bridge
