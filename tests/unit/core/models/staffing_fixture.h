// Shared by the staffing tests: a core with a voice and a chat channel, demand fed into the
// 15-minute staffing window, agents logged in with a state, and the model's figures.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "support/core_fixture.h"

namespace floorwatch::testing {

// Staffing window 15m, 80% in 20 s, occupancy cap 0.85; chat agents take 3 contacts at once.
inline constexpr const char* kStaffingConfig = R"(
windows: [15m, 1h, today]
defaults:
  service_level: {threshold_seconds: 20, target: 0.8}
  staffing: {window: 15m, max_occupancy: 0.85}
queues:
  - id: q
    channels: {voice: {}, chat: {staffing: {concurrency: 3}}}
  - id: q2
    channels: {voice: {}, chat: {}}
)";

// The end of the fed demand: every outcome of FeedDemand lies inside the 15m window then.
inline constexpr int64_t kDemandEnd = 900'000;

// `offered` contacts queued in `queue`/`channel` over the 15 minutes before kDemandEnd; the
// first `handled` of them answered at once (by an agent that is not logged in, so that no
// agent's slots are used) and ended `aht_ms` later. The clock follows the events and ends
// at kT0 + kDemandEnd.
inline void FeedDemand(CoreFixture& f, const std::string& queue, const std::string& channel,
                       int offered, int handled, int64_t aht_ms, const std::string& tag = "d") {
  std::vector<std::pair<int64_t, std::string>> events;
  const int64_t step = (kDemandEnd - 1000 - aht_ms) / std::max(offered, 1);
  for (int i = 0; i < offered; ++i) {
    const int64_t at = kT0 + 1000 + i * step;
    const std::string c = R"(,"contact":")" + tag + std::to_string(i) + "\"";
    events.push_back({at, R"({"type":"contact.queued","ts":)" + std::to_string(at) + c +
                              R"(,"queue":")" + queue + R"(","channel":")" + channel + "\"}"});
    if (i >= handled) continue;
    events.push_back({at, R"({"type":"contact.answered","ts":)" + std::to_string(at) + c +
                              R"(,"agent":"nobody"})"});
    events.push_back(
        {at + aht_ms, R"({"type":"contact.ended","ts":)" + std::to_string(at + aht_ms) + c + "}"});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [at, json] : events) {
    f.clock.Set(at);
    REQUIRE(f.Feed(json).outcome == Outcome::kApplied);
  }
  f.clock.Set(kT0 + kDemandEnd);
}

// Logs `agent` in to `queues` (a JSON list) with optional extra fields, in `state`.
inline void AgentIn(CoreFixture& f, const std::string& agent, const std::string& queues,
                    const std::string& state, const std::string& extra = "") {
  REQUIRE(f.Agent("login", agent, R"(,"queues":)" + queues + extra).outcome == Outcome::kApplied);
  if (state != "not_ready") {
    REQUIRE(f.Agent("state", agent, R"(,"state":")" + state + "\"").outcome == Outcome::kApplied);
  }
}

// The staffing figures of one queue/channel after a Tick at the clock's time.
inline StaffingFigures StaffingOf(CoreFixture& f, const std::string& queue,
                                  Channel channel = Channel::kVoice) {
  f.core.Tick(f.clock.NowMs());
  return f.core.models().staffing.Figures(f.QcIndex(queue, channel));
}

}  // namespace floorwatch::testing
