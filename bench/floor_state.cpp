#include "floor_state.h"

#include <cstdarg>
#include <cstdio>

namespace floorwatch::bench {

std::string Payload(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

namespace {

// An answered contact's outcomes, then its end (FeedTraffic).
void FeedOutcomes(Core& core, int q, int k, const std::string& id, int64_t t, bool chat,
                  int64_t now) {
  if (chat) {
    core.OnPayload(
        Payload(R"({"type":"contact.message","ts":%lld,"contact":"%s","from":"customer"})",
                (long long)t + 16'000, id.c_str()),
        now);
    core.OnPayload(Payload(R"({"type":"contact.message","ts":%lld,"contact":"%s","from":"agent"})",
                           (long long)t + 16'000 + 1'000 * (q % 50 + k), id.c_str()),
                   now);
  }
  if (k == 5)
    core.OnPayload(Payload(R"({"type":"contact.escalated","ts":%lld,"contact":"%s","tier":2,)"
                           R"("reason":"billing","team":"escalations-%d"})",
                           (long long)t + 20'000, id.c_str(), q % 10),
                   now);
  core.OnPayload(Payload(R"({"type":"contact.ended","ts":%lld,"contact":"%s"})",
                         (long long)t + 200'000, id.c_str()),
                 now);
  core.OnPayload(
      Payload(
          R"({"type":"contact.survey","ts":%lld,"contact":"%s","csat":%d,"nps":%d,"resolved":%s})",
          (long long)t + 260'000, id.c_str(), 1 + (q + k) % 5, (q * 3 + k) % 11,
          (q + k) % 3 ? "true" : "false"),
      now);
  core.OnPayload(Payload(R"({"type":"contact.evaluated","ts":%lld,"contact":"%s","score":%d})",
                         (long long)t + 300'000, id.c_str(), 50 + (q * 7 + k) % 50),
                 now);
}

}  // namespace

void FeedTraffic(Core& core, int queues, int channels, int64_t now) {
  static const char* kChannels[] = {"voice", "chat", "email"};
  long contact = 0;
  for (int q = 0; q < queues; ++q) {
    for (int c = 0; c < channels; ++c) {
      for (int k = 0; k < 12; ++k) {
        const int64_t t = now - 3'500'000 + k * 290'000 + q;
        const std::string id = "c" + std::to_string(contact++);
        core.OnPayload(
            Payload(R"({"type":"contact.queued","ts":%lld,"contact":"%s","queue":"queue-%04d",)"
                    R"("channel":"%s","customer":"cust-%d-%d"})",
                    (long long)t, id.c_str(), q, kChannels[c], q, k % 5),
            now);
        if (k % 4 != 3) {
          core.OnPayload(
              Payload(R"({"type":"contact.answered","ts":%lld,"contact":"%s","agent":"a"})",
                      (long long)t + 15'000, id.c_str()),
              now);
          if (k % 2) FeedOutcomes(core, q, k, id, t, c == 1, now);
        } else if (k < 11) {
          core.OnPayload(Payload(R"({"type":"contact.abandoned","ts":%lld,"contact":"%s"})",
                                 (long long)t + 40'000, id.c_str()),
                         now);
        }
      }
    }
  }
}

constexpr int kBenchTeams = 1000;

void FeedAgents(Core& core, int queues, int agents, int64_t now) {
  static const char* kStates[] = {"available", "on_contact", "acw", "not_ready"};
  for (int a = 0; a < agents; ++a) {
    core.OnPayload(
        Payload(
            R"({"type":"agent.login","ts":%lld,"agent":"agent-%06d","queues":["queue-%04d","queue-%04d","queue-%04d"],"team":"team-%04d"})",
            (long long)now, a, a % queues, (a * 7 + 1) % queues, (a * 13 + 2) % queues,
            a % kBenchTeams),
        now);
    core.OnPayload(Payload(R"({"type":"agent.state","ts":%lld,"agent":"agent-%06d","state":"%s"})",
                           (long long)now, a, kStates[a % 4]),
                   now);
  }
}

}  // namespace floorwatch::bench
