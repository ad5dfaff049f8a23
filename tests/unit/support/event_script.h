// A deterministic stream of realistic protocol events for tests that need many of them
// (snapshot and journal round trips): contacts through their whole lifecycle across a few
// queues and channels, agents changing state, sequenced sources with ids, and a sprinkling
// of duplicates and bad payloads.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace floorwatch::testing {

class EventScript {
 public:
  explicit EventScript(uint64_t seed, int64_t start_ms) : rng_(seed), ts_(start_ms) {}

  // The next payload; the script's clock moves 0-400 ms per event.
  std::string Next() {
    ts_ += Pick(400);
    const int roll = static_cast<int>(Pick(100));
    if (roll < 2) return "{\"type\":\"contact.queued\"";  // not JSON
    if (roll < 4 && !last_.empty()) return last_;         // a repeat: duplicate by id and seq
    std::string body;
    if (roll < 10) {
      const std::string agent = "a" + std::to_string(Pick(12));
      static const char* kStates[] = {"available", "on_contact", "acw", "not_ready"};
      body = roll < 6 ? R"("type":"agent.login","agent":")" + agent + R"(","queues":["q)" +
                            std::to_string(Pick(3)) + R"("],"team":"t1")"
                      : R"("type":"agent.state","agent":")" + agent + R"(","state":")" +
                            kStates[Pick(4)] + "\"";
    } else {
      body = ContactEvent();
    }
    last_ = "{" + body + R"(,"ts":)" + std::to_string(ts_) + R"(,"id":"e)" +
            std::to_string(next_id_++) + R"(","source":"acd","seq":)" + std::to_string(seq_++) +
            "}";
    return last_;
  }
  int64_t now_ms() const { return ts_; }

 private:
  uint64_t Pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }

  std::string ContactEvent() {
    static const char* kChannels[] = {"voice", "chat", "email"};
    if (open_.empty() || Pick(3) == 0) {
      const std::string c = "c" + std::to_string(next_contact_++);
      open_.push_back({c, 0});
      // Two draws in one expression would be taken in the compiler's order (gcc's and
      // clang's differ): the channel first, then the queue, as gcc took them when the
      // fixtures were made. Priorities -1..2 from the contact's number: the random sequence
      // stays as it was.
      const char* channel = kChannels[Pick(3)];
      const uint64_t queue = Pick(3);
      return R"("type":"contact.queued","contact":")" + c + R"(","queue":"q)" +
             std::to_string(queue) + R"(","channel":")" + channel + R"(","priority":)" +
             std::to_string(static_cast<int>(next_contact_ % 4) - 1);
    }
    const size_t i = Pick(open_.size());
    Open& o = open_[i];
    const std::string head = R"("contact":")" + o.id + "\"";
    std::string out;
    switch (o.stage) {
      case 0:
        out = Pick(4) == 0 ? R"("type":"contact.abandoned",)" + head
                           : R"("type":"contact.answered","agent":"a)" + std::to_string(Pick(12)) +
                                 "\"," + head;
        o.stage = out.find("abandoned") != std::string::npos ? 9 : 1;
        break;
      case 1:
        out = Pick(5) == 0 ? R"("type":"contact.transferred","queue":"q2",)" + head
                           : R"("type":"contact.ended",)" + head;
        o.stage = out.find("transferred") != std::string::npos ? 0 : 2;
        break;
      default:
        out = R"("type":"contact.wrapped",)" + head;
        o.stage = 9;
        break;
    }
    if (o.stage == 9) open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(i));
    return out;
  }

  struct Open {
    std::string id;
    int stage;  // 0 waiting, 1 connected, 2 ended (wrap due), 9 done
  };
  std::mt19937_64 rng_;
  int64_t ts_;
  uint64_t seq_ = 1;
  uint64_t next_id_ = 1;
  uint64_t next_contact_ = 1;
  std::vector<Open> open_;
  std::string last_;
};

}  // namespace floorwatch::testing
