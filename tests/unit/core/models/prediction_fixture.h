// Shared by the prediction tests: the staffing tests' core (T = 20 s on every channel, chat
// agents take 3 contacts at once), an AHT fed into the staffing window without leaving
// anybody waiting, contacts queued at a given age, and the model's figures.
#pragma once

#include <string>

#include "staffing_fixture.h"

namespace floorwatch::testing {

// `handled` contacts of `queue`/`channel`, each answered at once and ended `aht_ms` later,
// inside the staffing window: the window's AHT is aht_ms and nobody is left waiting.
inline void FeedAht(CoreFixture& f, const std::string& queue, const std::string& channel,
                    int handled, int64_t aht_ms) {
  FeedDemand(f, queue, channel, handled, handled, aht_ms, "aht-" + channel + "-");
}

// `n` agents `prefix`0.. in `queues` (a JSON list), in `state`.
inline void Agents(CoreFixture& f, int n, const std::string& state,
                   const std::string& queues = R"(["q"])", const std::string& prefix = "a") {
  for (int i = 0; i < n; ++i) AgentIn(f, prefix + std::to_string(i), queues, state);
}

// A contact queued `age_ms` before the clock's time, with optional extra fields.
inline void WaitingFor(CoreFixture& f, const std::string& contact, int64_t age_ms,
                       const std::string& extra = "", const std::string& queue = "q") {
  REQUIRE(f.Queued(contact, queue, f.clock.NowMs() - kT0 - age_ms, extra).outcome ==
          Outcome::kApplied);
}

// The prediction figures of one queue/channel at the clock's time, after a Tick.
inline PredictionFigures PredictionOf(CoreFixture& f, const std::string& queue = "q",
                                      Channel channel = Channel::kVoice) {
  f.core.Tick(f.clock.NowMs());
  return f.core.models().prediction.Figures(f.QcIndex(queue, channel), f.clock.NowMs());
}

}  // namespace floorwatch::testing
