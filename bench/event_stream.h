// A synthetic, realistic event stream for benchmarks: K contact slots, each cycling through
// queued -> answered -> agent on_contact -> ended -> agent acw -> wrapped -> agent available,
// spread over Q queues and three channels, with unique event ids and a per-source seq.
// Payloads are written into a caller's buffer from fixed templates (no allocation).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace floorwatch::bench {

class EventStream {
 public:
  EventStream(int queues, int slots, int64_t start_ms)
      : queues_(queues), slots_(slots), ts_(start_ms) {}

  // Writes the next event into buf (at least 512 bytes); returns its length.
  size_t Next(char* buf) {
    const uint64_t n = count_++;
    const int slot = static_cast<int>(n % slots_);
    const uint64_t round = n / slots_;
    const int stage = static_cast<int>(round % 7);
    const uint64_t generation = round / 7;
    const int queue = static_cast<int>((slot * 7919ULL + generation) % queues_);
    static const char* kChannels[] = {"voice", "chat", "email"};
    const char* channel = kChannels[(slot + generation) % 3];
    const int agent = slot;  // one agent per slot keeps agent states consistent
    ts_ += (n % 16 == 0);    // time moves ~1 ms per 16 events
    int len = 0;
    switch (stage) {
      case 0:
        len = std::snprintf(
            buf, 512,
            R"({"type":"contact.queued","ts":%lld,"id":"b%llu","source":"bench","seq":%llu,)"
            R"("contact":"c%d-%llu","queue":"queue-%04d","channel":"%s","priority":0})",
            static_cast<long long>(ts_), static_cast<unsigned long long>(n),
            static_cast<unsigned long long>(n + 1), slot,
            static_cast<unsigned long long>(generation), queue, channel);
        break;
      case 1:
        len = Contact(buf, n, "contact.answered", slot, generation, agent);
        break;
      case 2:
        len = Agent(buf, n, agent, "on_contact");
        break;
      case 3:
        len = Contact(buf, n, "contact.ended", slot, generation, -1);
        break;
      case 4:
        len = Agent(buf, n, agent, "acw");
        break;
      case 5:
        len = Contact(buf, n, "contact.wrapped", slot, generation, -1);
        break;
      default:
        len = Agent(buf, n, agent, "available");
        break;
    }
    return static_cast<size_t>(len);
  }

 private:
  int Contact(char* buf, uint64_t n, const char* type, int slot, uint64_t gen, int agent) {
    if (agent >= 0) {
      return std::snprintf(buf, 512,
                           R"({"type":"%s","ts":%lld,"id":"b%llu","source":"bench","seq":%llu,)"
                           R"("contact":"c%d-%llu","agent":"agent-%05d"})",
                           type, static_cast<long long>(ts_), static_cast<unsigned long long>(n),
                           static_cast<unsigned long long>(n + 1), slot,
                           static_cast<unsigned long long>(gen), agent);
    }
    return std::snprintf(
        buf, 512,
        R"({"type":"%s","ts":%lld,"id":"b%llu","source":"bench","seq":%llu,"contact":"c%d-%llu"})",
        type, static_cast<long long>(ts_), static_cast<unsigned long long>(n),
        static_cast<unsigned long long>(n + 1), slot, static_cast<unsigned long long>(gen));
  }
  int Agent(char* buf, uint64_t n, int agent, const char* state) {
    return std::snprintf(
        buf, 512,
        R"({"type":"agent.state","ts":%lld,"id":"b%llu","source":"bench","seq":%llu,)"
        R"("agent":"agent-%05d","state":"%s"})",
        static_cast<long long>(ts_), static_cast<unsigned long long>(n),
        static_cast<unsigned long long>(n + 1), agent, state);
  }

  int queues_;
  int slots_;
  int64_t ts_;
  uint64_t count_ = 0;
};

}  // namespace floorwatch::bench
