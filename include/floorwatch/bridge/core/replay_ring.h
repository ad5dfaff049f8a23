// The bridge's replay buffer (PROTOCOL.md "Replay"): the last `capacity` events it
// sequenced, each with its topic and the exact JSON it published, and the answer to a
// replay.request from them.
//
// Pure (no sockets): the publisher thread owns one and sends the frames Answer gives it;
// the state store fills one from the journal at start, so a restarted bridge still serves
// what it published before. Single-threaded.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

namespace floorwatch::bridge {

struct BufferedEvent {
  uint64_t seq = 0;
  std::string topic;
  std::string payload;
};

struct ReplayAnswer {
  bool answered = false;  // false: the frame was not a replay.request (nothing sent)
  bool truncated = false;
  uint64_t events = 0;
};

class ReplayRing {
 public:
  // `next_seq`: the seq the next event will carry (used while the ring is empty).
  explicit ReplayRing(size_t capacity, uint64_t next_seq = 1);

  // `seq` must be next_seq() (events are buffered in the order they are sequenced).
  void Add(uint64_t seq, std::string topic, std::string payload);
  uint64_t next_seq() const { return next_seq_; }
  uint64_t oldest_seq() const { return events_.empty() ? next_seq_ : events_.front().seq; }
  size_t size() const { return events_.size(); }
  size_t capacity() const { return capacity_; }
  const std::deque<BufferedEvent>& events() const { return events_; }

  // Answers one request frame for `source`: replay.truncated first when the buffer no longer
  // reaches back to from_seq, then every buffered event from from_seq on (one frame each,
  // its payload as published), then replay.end with next_seq. A request naming another
  // source gets replay.end alone. Each frame goes to `send`, in order.
  ReplayAnswer Answer(std::string_view request, std::string_view source,
                      const std::function<void(std::string_view)>& send) const;

 private:
  size_t capacity_;
  uint64_t next_seq_;
  std::deque<BufferedEvent> events_;
};

// The request's source and from_seq; false if the frame is not a well-formed replay.request.
bool ParseReplayRequest(std::string_view frame, std::string* source, uint64_t* from_seq);

}  // namespace floorwatch::bridge
