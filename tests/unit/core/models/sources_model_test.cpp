// Replay holding (docs/protocol.md, Replay) and the input log that feeds the journal.
#include <tuple>
#include <vector>

#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

std::string Seq(uint64_t seq) { return R"(,"source":"acd-1","seq":)" + std::to_string(seq); }

struct ReplayFixture : CoreFixture {
  ReplayFixture() {
    core.set_gap_handler([this](std::string_view source, uint64_t from) {
      requests.emplace_back(std::string(source), from);
      return answer;
    });
  }
  std::vector<std::pair<std::string, uint64_t>> requests;
  bool answer = true;
  uint64_t Gap() const {
    return core.models()
        .sources.sources()[core.models().sources.sources().Find("acd-1")]
        .gap_events;
  }
  uint64_t NextSeq() const {
    return core.models().sources.sources()[core.models().sources.sources().Find("acd-1")].next_seq;
  }
};

}  // namespace

TEST_CASE("a gap from a known source asks for a replay from the first missing seq") {
  ReplayFixture f;
  f.Queued("c1", "q", 0, Seq(1));
  CHECK(f.Queued("c5", "q", 0, Seq(5)).outcome == Outcome::kHeld);
  REQUIRE(f.requests.size() == 1);
  CHECK(f.requests[0] == std::make_pair(std::string("acd-1"), uint64_t{2}));
  CHECK(f.Qc("q").waiting == 1);  // held, not applied
  CHECK(f.core.replay_stats().held == 1);
}

TEST_CASE("the first event of an unknown source is applied without asking for a replay") {
  ReplayFixture f;
  CHECK(f.Queued("c1", "q", 0, Seq(40)).outcome == Outcome::kApplied);
  CHECK(f.requests.empty());
}

TEST_CASE(
    "live events of a replaying source are held, then applied in seq order after the replay") {
  ReplayFixture f;
  f.Queued("c1", "q", 0, Seq(1));
  f.On("answered", "c2", 3000, R"(,"agent":"a1")" + Seq(3));  // c2 was queued at seq 2: lost
  f.Queued("c4", "q", 4000, Seq(4));
  CHECK(f.Qc("q").waiting == 1);
  CHECK(f.core
            .OnReplayPayload(R"({"type":"contact.queued","ts":)" + std::to_string(kT0 + 1000) +
                                 R"(,"contact":"c2","queue":"q")" + Seq(2) + "}",
                             f.clock.NowMs())
            .outcome == Outcome::kApplied);
  CHECK(f.core
            .OnReplayPayload(R"({"type":"contact.answered","ts":)" + std::to_string(kT0 + 3000) +
                                 R"(,"contact":"c2","agent":"a1")" + Seq(3) + "}",
                             f.clock.NowMs())
            .outcome == Outcome::kApplied);
  f.core.EndReplay("acd-1", f.clock.NowMs());
  CHECK(f.Gap() == 0);
  CHECK(f.NextSeq() == 5);
  CHECK(f.Qc("q").totals.offered == 3);
  CHECK(f.Qc("q").totals.answered == 1);
  CHECK(f.Qc("q").waiting == 2);
  // The held answered (seq 3) arrived twice: once live, once replayed.
  CHECK(f.core.stats().duplicate == 1);
  CHECK(f.core.replay_stats().held == 0);
}

TEST_CASE("received equals the sum of outcomes plus the events held") {
  ReplayFixture f;
  f.Queued("c1", "q", 0, Seq(1));
  f.Queued("c4", "q", 0, Seq(4));
  f.Queued("c5", "q", 0, Seq(5));
  const IntakeStats& st = f.core.stats();
  auto outcomes = [&] {
    uint64_t n = st.applied + st.duplicate + f.core.replay_stats().held;
    for (uint64_t r : st.rejected) n += r;
    for (uint64_t i : st.ignored) n += i;
    return n;
  };
  CHECK(st.received == 3);
  CHECK(outcomes() == 3);
  f.core.EndReplay("acd-1", f.clock.NowMs());
  CHECK(st.received == 3);
  CHECK(outcomes() == 3);
}

TEST_CASE("events a replay could not supply count as a gap when the held ones are applied") {
  ReplayFixture f;
  f.Queued("c1", "q", 0, Seq(1));
  f.Queued("c6", "q", 0, Seq(6));
  // Truncated: the source only still has seq 4 onwards; 2 and 3 are lost.
  f.core.OnReplayPayload(R"({"type":"contact.queued","ts":)" + std::to_string(kT0) +
                             R"(,"contact":"c4","queue":"q")" + Seq(4) + "}",
                         f.clock.NowMs());
  f.core.EndReplay("acd-1", f.clock.NowMs());  // seq 5 never came either (time-out)
  CHECK(f.Gap() == 3);
  CHECK(f.Qc("q").waiting == 3);
  CHECK(f.NextSeq() == 7);
}

TEST_CASE("a gap is counted at once when no replay could be requested") {
  ReplayFixture f;
  f.answer = false;
  f.Queued("c1", "q", 0, Seq(1));
  CHECK(f.Queued("c5", "q", 0, Seq(5)).outcome == Outcome::kApplied);
  CHECK(f.Gap() == 3);
}

TEST_CASE("a gap inside the released events does not ask for another replay") {
  ReplayFixture f;
  f.Queued("c1", "q", 0, Seq(1));
  f.Queued("c3", "q", 0, Seq(3));
  f.Queued("c9", "q", 0, Seq(9));
  f.core.EndReplay("acd-1", f.clock.NowMs());
  CHECK(f.requests.size() == 1);
  CHECK(f.Gap() == 6);  // 2 and 4..8
  CHECK(f.Qc("q").waiting == 3);
}

TEST_CASE("the input log replayed into a fresh core reproduces its figures") {
  ReplayFixture f;
  std::vector<std::tuple<int64_t, std::string, std::optional<RejectReason>>> log;
  f.core.set_input_log([&](int64_t now, std::string_view payload, std::optional<RejectReason> m) {
    log.emplace_back(now, std::string(payload), m);
  });
  f.Queued("c1", "q", 0, Seq(1));
  f.Queued("c4", "q", 0, Seq(4));  // held
  f.core.OnReplayPayload(R"({"type":"contact.queued","ts":)" + std::to_string(kT0) +
                             R"(,"contact":"c2","queue":"q")" + Seq(2) + "}",
                         f.clock.NowMs());
  f.clock.Advance(2000);
  f.core.EndReplay("acd-1", f.clock.NowMs());
  f.Feed("not json");
  f.core.OnMalformedMessage(RejectReason::kFrames, f.clock.NowMs());
  f.Answered("c1", 2000);

  CoreFixture copy;
  for (const auto& [now, payload, malformed] : log) {
    if (malformed) {
      copy.core.OnMalformedMessage(*malformed, now);
    } else {
      copy.core.OnPayload(payload, now);
    }
  }
  CHECK(log.size() == 6);
  CHECK(copy.core.stats().received == f.core.stats().received);
  CHECK(copy.core.stats().applied == f.core.stats().applied);
  CHECK(copy.core.stats().rejected == f.core.stats().rejected);
  CHECK(copy.Qc("q").waiting == f.Qc("q").waiting);
  CHECK(copy.Qc("q").totals.answered == 1);
  const auto& sources = copy.core.models().sources.sources();
  CHECK(sources[sources.Find("acd-1")].gap_events == 1);  // seq 3 never came
  CHECK(sources[sources.Find("acd-1")].next_seq == 5);
}
