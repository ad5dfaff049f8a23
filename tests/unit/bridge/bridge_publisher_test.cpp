// The ZeroMQ side (bridge/io/publisher.cpp) against real sockets on wildcard ports.
#include <doctest/doctest.h>

#include "floorwatch/bridge/io/publisher.h"
#include "floorwatch/core/replay_message.h"

using namespace floorwatch;
using namespace floorwatch::bridge;

namespace {

struct Sink {
  zmq::context_t ctx;
  zmq::socket_t pull{ctx, zmq::socket_type::pull};
  std::string endpoint;
  Sink() {
    pull.set(zmq::sockopt::rcvtimeo, 5000);
    pull.bind("tcp://127.0.0.1:*");
    endpoint = pull.get(zmq::sockopt::last_endpoint);
  }
  std::vector<std::string> Receive() {  // [topic, payload]
    std::vector<std::string> frames;
    zmq::message_t m;
    do {
      REQUIRE(pull.recv(m));
      frames.push_back(m.to_string());
    } while (m.more());
    return frames;
  }
};

BufferedEvent Event(uint64_t seq) {
  return BufferedEvent{seq, "contact.IT", "{\"seq\":" + std::to_string(seq) + "}"};
}

std::vector<std::string> Replay(zmq::context_t& ctx, const std::string& endpoint,
                                const std::string& source, uint64_t from) {
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::rcvtimeo, 5000);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect(endpoint);
  dealer.send(zmq::buffer(ReplayRequestJson(source, from)));
  std::vector<std::string> frames;
  for (;;) {
    zmq::message_t m;
    REQUIRE(dealer.recv(m));
    frames.push_back(m.to_string());
    if (ParseReplayControl(frames.back()).kind == ReplayControl::Kind::kEnd) return frames;
  }
}

}  // namespace

TEST_CASE("posted events go out on a PUSH as [topic, payload], in order") {
  Sink sink;
  std::atomic<bool> stop{false};
  Publisher p(PublisherConfig{{}, {sink.endpoint}, {}, "acd"}, ReplayRing(10));
  for (uint64_t s = 1; s <= 3; ++s) REQUIRE(p.Post(Event(s), stop));
  CHECK(sink.Receive() == std::vector<std::string>{"contact.IT", "{\"seq\":1}"});
  CHECK(sink.Receive()[1] == "{\"seq\":2}");
  CHECK(sink.Receive()[1] == "{\"seq\":3}");
  p.Stop();
  CHECK(p.counts().published == 3);
}

TEST_CASE("the replay ROUTER answers from what was published, and from what was restored") {
  Sink sink;
  std::atomic<bool> stop{false};
  ReplayRing restored(10, 1);
  restored.Add(1, "contact.IT", "{\"seq\":1}");  // from the journal of an earlier run
  Publisher p(PublisherConfig{{}, {sink.endpoint}, "tcp://127.0.0.1:*", "acd"},
              std::move(restored));
  REQUIRE(p.Post(Event(2), stop));
  REQUIRE(p.Post(Event(3), stop));
  sink.Receive();
  sink.Receive();  // both published: both buffered
  const auto frames = Replay(sink.ctx, p.replay_endpoint(), "acd", 1);
  CHECK(frames == std::vector<std::string>{"{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}",
                                           R"({"type":"replay.end","source":"acd","next_seq":4})"});
  CHECK(p.counts().replay_requests == 1);
  CHECK(p.counts().replay_events == 3);
  p.Stop();
}

TEST_CASE("with no PUSH peer, Stop gives up after the linger and says so") {
  std::atomic<bool> stop{false};
  PublisherConfig config{{}, {"tcp://127.0.0.1:1"}, {}, "acd"};
  config.linger_ms = 200;
  Publisher p(config, ReplayRing(10));
  REQUIRE(p.Post(Event(1), stop));
  p.Stop();  // returns: an absent peer never blocks the bridge's exit for long
  CHECK(p.counts().published <= 1);
}

TEST_CASE("a PUB binds a wildcard port and reports the one taken") {
  Publisher p(PublisherConfig{{"tcp://127.0.0.1:*"}, {}, {}, "acd"}, ReplayRing(10));
  REQUIRE(p.publish_endpoints().size() == 1);
  CHECK(p.publish_endpoints()[0].find("tcp://127.0.0.1:") == 0);
  CHECK(p.publish_endpoints()[0].find('*') == std::string::npos);
}

TEST_CASE("an endpoint that cannot be bound throws with its name") {
  Publisher first(PublisherConfig{{"tcp://127.0.0.1:*"}, {}, {}, "acd"}, ReplayRing(10));
  const std::string taken = first.publish_endpoints()[0];
  CHECK_THROWS_WITH_AS(Publisher(PublisherConfig{{taken}, {}, {}, "acd"}, ReplayRing(10)),
                       doctest::Contains(taken.c_str()), std::runtime_error);
}
