// How contacts end: abandons by reason, transfers in, resolved contacts and their
// resolution time from the conversation's first queued ts (OUTCOMES.md).
#include <cmath>

#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

using Reasons = ResolutionModel::ReasonCounts;

struct Fixture : CoreFixture {
  using CoreFixture::CoreFixture;
  const ResolutionModel& model() const { return core.models().resolution; }
  Reasons ByReason(const std::string& queue) { return model().AbandonedByReason(QcIndex(queue)); }
  // Window by label, after a Tick at the clock's time.
  ResolutionCounts Counts(const std::string& queue, const std::string& label) {
    core.Tick(clock.NowMs());
    const auto& windows = core.config().windows;
    for (size_t i = 0; i < windows.size(); ++i) {
      if (windows[i].label == label) return model().WindowCounts(QcIndex(queue), i);
    }
    FAIL("no window " << label);
    return {};
  }
  double MeanSeconds(const std::string& queue, const std::string& label = "15m") {
    return Counts(queue, label).MeanResolutionSeconds();
  }
  std::string Metrics() {
    core.Tick(clock.NowMs());
    std::string out;
    MetricWriter writer(out);
    core.RenderMetrics(writer, clock.NowMs());
    return out;
  }
  std::string Json() {
    core.Tick(clock.NowMs());
    std::string out;
    core.RenderQueuesJson(out, clock.NowMs());
    return out;
  }
  bool HasLine(const std::string& line) { return Metrics().find("\n" + line + "\n") != npos; }
  // Queued at `queued`, answered a second later, ended at `ended` (ms after kT0).
  void Resolve(const std::string& contact, const std::string& queue, int64_t queued,
               int64_t ended) {
    Queued(contact, queue, queued);
    Answered(contact, queued + 1000);
    On("ended", contact, ended);
  }
  static constexpr size_t npos = std::string::npos;
};

}  // namespace

TEST_CASE("an abandon without a reason counts as customer") {
  Fixture f;
  f.Queued("c1", "q", 0);
  f.On("abandoned", "c1", 5000);
  CHECK(f.ByReason("q") == Reasons{1, 0, 0, 0});
}

TEST_CASE("each abandon reason counts under its own name") {
  Fixture f;
  const char* reasons[] = {"customer", "timeout", "no_agents", "key", "timeout"};
  for (int i = 0; i < 5; ++i) {
    const std::string c = "c" + std::to_string(i);
    f.Queued(c, "q", 0);
    f.On("abandoned", c, 1000, std::string(R"(,"reason":")") + reasons[i] + "\"");
  }
  CHECK(f.ByReason("q") == Reasons{1, 2, 1, 1});
}

TEST_CASE("a missing reason after an event with one still counts as customer") {
  Fixture f;
  f.Queued("c1", "q", 0);
  f.Queued("c2", "q", 0);
  f.On("abandoned", "c1", 1000, R"(,"reason":"key")");
  f.On("abandoned", "c2", 1000);
  CHECK(f.ByReason("q") == Reasons{1, 0, 0, 1});
}

TEST_CASE("an abandon counts where the contact waited, after a transfer the target") {
  Fixture f;
  f.Queued("c1", "a", 0);
  f.On("transferred", "c1", 1000, R"(,"queue":"b")");
  f.On("abandoned", "c1", 2000, R"(,"reason":"timeout")");
  CHECK(f.ByReason("a") == Reasons{0, 0, 0, 0});
  CHECK(f.ByReason("b") == Reasons{0, 1, 0, 0});
}

TEST_CASE("every reason is rendered for every queue/channel, zeros included") {
  Fixture f;
  f.Queued("c1", "q", 0);
  f.Queued("c2", "q", 0, R"(,"channel":"chat")");
  f.On("abandoned", "c1", 1000, R"(,"reason":"no_agents")");
  const std::string m = f.Metrics();
  CHECK(m.find("# TYPE floorwatch_queue_abandoned_by_reason_total counter") != Fixture::npos);
  for (const char* ch : {"voice", "chat"}) {
    for (std::string_view reason : kAbandonReasonNames) {
      const bool counted = std::string_view(ch) == "voice" && reason == "no_agents";
      const std::string line =
          std::string("floorwatch_queue_abandoned_by_reason_total{queue=\"q\",") + "channel=\"" +
          ch + "\",reason=\"" + std::string(reason) + "\"} " + (counted ? "1" : "0");
      CHECK_MESSAGE(f.HasLine(line), line);
    }
  }
}

TEST_CASE("the queue's JSON has the abandons by reason since start") {
  Fixture f;
  f.Queued("c1", "q", 0);
  f.On("abandoned", "c1", 1000, R"(,"reason":"timeout")");
  CHECK(
      f.Json().find(R"("abandoned_by_reason":{"customer":0,"timeout":1,"no_agents":0,"key":0})") !=
      Fixture::npos);
}

TEST_CASE("a transfer counts as transferred_in at the target, not at the source") {
  Fixture f;
  f.Queued("c1", "a", 0);
  f.On("transferred", "c1", 1000, R"(,"queue":"b")");
  CHECK(f.Counts("b", "15m").transferred_in == 1);
  CHECK(f.Counts("a", "15m").transferred_in == 0);
}

TEST_CASE("a contact.queued for a contact waiting or connected elsewhere is a transfer in") {
  Fixture f;
  f.Queued("c1", "a", 0);
  f.Queued("c1", "b", 1000);  // waiting in a: moves
  f.Answered("c1", 2000);
  f.Queued("c1", "c", 3000);  // connected in b: moves
  CHECK(f.Counts("b", "15m").transferred_in == 1);
  CHECK(f.Counts("c", "15m").transferred_in == 1);
  CHECK(f.Counts("a", "15m").transferred_in == 0);  // its first entry is new, not a transfer
}

TEST_CASE("an ended contact is resolved where it ended") {
  Fixture f;
  f.Queued("c1", "a", 0);
  f.On("transferred", "c1", 1000, R"(,"queue":"b")");
  f.Answered("c1", 2000);
  f.On("ended", "c1", 10'000);
  CHECK(f.Counts("b", "15m").resolved == 1);
  CHECK(f.Counts("a", "15m").resolved == 0);
}

TEST_CASE("a transfer of a connected contact does not resolve it") {
  Fixture f;
  f.Queued("c1", "a", 0);
  f.Answered("c1", 1000);
  f.On("transferred", "c1", 5000, R"(,"queue":"b")");
  CHECK(f.Counts("a", "15m").resolved == 0);
  CHECK(f.Counts("b", "15m").resolved == 0);
  CHECK(f.Qc("a").totals.handled == 1);  // handled there, yet not resolved
}

TEST_CASE("an abandoned contact is not resolved") {
  Fixture f;
  f.Queued("c1", "q", 0);
  f.On("abandoned", "c1", 5000);
  CHECK(f.Counts("q", "15m").resolved == 0);
}

TEST_CASE("resolution runs from the first queued ts across transfers") {
  Fixture f;
  f.clock.Set(kT0 + 60'000);
  f.Queued("c1", "a", 0);
  f.On("transferred", "c1", 10'000, R"(,"queue":"b")");
  f.Queued("c1", "c", 20'000);  // a requeue elsewhere is a transfer too
  f.Answered("c1", 30'000);
  f.On("ended", "c1", 50'000);
  CHECK(f.Counts("c", "15m").resolution_ms == 50'000);
  CHECK(f.MeanSeconds("c") == 50.0);
}

TEST_CASE("the mean resolution is over the contacts resolved in the window") {
  Fixture f;
  f.clock.Set(kT0 + 60'000);
  f.Resolve("c1", "q", 0, 10'000);
  f.Resolve("c2", "q", 0, 30'000);
  CHECK(f.Counts("q", "15m").resolved == 2);
  CHECK(f.MeanSeconds("q") == 20.0);
}

TEST_CASE("the mean resolution is NaN with nothing resolved, null in JSON") {
  Fixture f;
  f.Queued("c1", "q", 0);
  CHECK(std::isnan(f.MeanSeconds("q")));
  CHECK(f.HasLine(
      R"(floorwatch_queue_resolution_seconds{queue="q",channel="voice",window="15m"} NaN)"));
  CHECK(f.Json().find(R"("resolution_seconds":null)") != Fixture::npos);
}

TEST_CASE("the mean resolution is rendered per window in metrics and JSON") {
  Fixture f;
  f.clock.Set(kT0 + 60'000);
  f.Resolve("c1", "q", 0, 42'000);
  CHECK(f.HasLine(
      R"(floorwatch_queue_resolution_seconds{queue="q",channel="voice",window="1h"} 42)"));
  CHECK(f.HasLine(
      R"(floorwatch_queue_window_contacts{queue="q",channel="voice",window="today",outcome="resolved"} 1)"));
  CHECK(f.Json().find(R"("transferred_in":0,"resolved":1,)") != Fixture::npos);
  CHECK(f.Json().find(R"("resolution_seconds":42)") != Fixture::npos);
}

TEST_CASE("a contact queued again after it ended starts a new conversation") {
  Fixture f;
  f.clock.Set(kT0 + 120'000);
  f.Resolve("c1", "q", 0, 10'000);  // kept for its wrap, same slot
  f.Resolve("c1", "q", 100'000, 104'000);
  CHECK(f.Counts("q", "15m").resolution_ms == 10'000 + 4'000);
}

TEST_CASE("a contact queued again after its wrap starts a new conversation") {
  Fixture f;
  f.clock.Set(kT0 + 120'000);
  f.Resolve("c1", "q", 0, 10'000);
  f.On("wrapped", "c1", 11'000);  // frees the slot
  f.Resolve("c1", "q", 100'000, 104'000);
  CHECK(f.Counts("q", "15m").resolution_ms == 10'000 + 4'000);
}

TEST_CASE("a contact reusing a freed slot does not inherit its first queued ts") {
  Fixture f;
  f.clock.Set(kT0 + 120'000);
  f.Queued("c1", "q", 0);
  const uint32_t slot = f.core.models().contacts.contacts().Find("c1");
  f.On("abandoned", "c1", 1000);
  f.Resolve("c2", "q", 100'000, 103'000);
  CHECK(f.core.models().contacts.contacts().Find("c2") == slot);
  CHECK(f.Counts("q", "15m").resolution_ms == 3'000);
}

TEST_CASE("an expired contact's first queued ts is forgotten with its slot") {
  Fixture f("limits: {contact_ttl: 1h}");
  f.Queued("c1", "q", 0);
  const uint32_t slot = f.core.models().contacts.contacts().Find("c1");
  CHECK(f.model().FirstQueuedMs(slot) == kT0);
  f.clock.Advance(3'600'000 + 20'000);
  f.core.Tick(f.clock.NowMs());
  REQUIRE(f.core.models().contacts.expired() == 1);
  CHECK(f.model().FirstQueuedMs(slot) == std::nullopt);
}

TEST_CASE("a resolution that comes out negative counts as 0") {
  Fixture f;
  f.clock.Set(kT0 + 60'000);
  f.Queued("c1", "q", 30'000);
  f.Answered("c1", 20'000);
  f.On("ended", "c1", 10'000);  // the source's clocks disagree
  CHECK(f.Counts("q", "15m").resolved == 1);
  CHECK(f.MeanSeconds("q") == 0.0);
}

TEST_CASE("each outcome counts at its own event's ts") {
  Fixture f;
  f.Queued("c1", "a", 0);
  f.clock.Set(kT0 + 10 * 60'000);
  f.On("transferred", "c1", 10 * 60'000, R"(,"queue":"b")");
  f.Answered("c1", 10 * 60'000);
  f.clock.Set(kT0 + 20 * 60'000);
  f.On("ended", "c1", 20 * 60'000);
  f.clock.Set(kT0 + 26 * 60'000);  // the transfer left the 15m window, the end did not
  CHECK(f.Counts("b", "15m").transferred_in == 0);
  CHECK(f.Counts("b", "15m").resolved == 1);
  CHECK(f.Counts("b", "1h").transferred_in == 1);
  f.clock.Set(kT0 + 36 * 60'000);
  CHECK(f.Counts("b", "15m").resolved == 0);
  CHECK(f.Counts("b", "today").resolution_ms == 20 * 60'000);
}

TEST_CASE("refused events change none of the resolution figures") {
  Fixture f;
  f.clock.Set(kT0 + 60'000);
  f.Queued("c1", "q", 0);
  f.Answered("c1", 1000);
  f.Queued("c2", "q", 0);
  const auto figures = [&] {  // everything this model shows, as one string
    f.core.Tick(f.clock.NowMs());
    std::string out;
    MetricWriter writer(out);
    f.model().RenderMetrics(writer, f.clock.NowMs());
    JsonObject o(out);
    for (uint32_t qc = 0; qc < f.core.directory().size(); ++qc) {
      f.model().RenderQueueJson(o, qc, f.clock.NowMs());
      for (size_t win = 0; win < f.core.config().windows.size(); ++win) {
        std::vector<OutcomeCount> outcomes;
        f.model().WindowOutcomes(qc, win, outcomes);
        for (const OutcomeCount& c : outcomes) o.Number(c.outcome, c.value);
      }
    }
    o.Close();
    return out;
  };
  const std::string before = figures();
  CHECK(f.On("ended", "nobody", 2000).outcome == Outcome::kRejected);
  CHECK(f.On("abandoned", "nobody", 2000, R"(,"reason":"key")").outcome == Outcome::kRejected);
  CHECK(f.On("transferred", "nobody", 2000, R"(,"queue":"q2")").outcome == Outcome::kRejected);
  CHECK(f.On("abandoned", "c1", 2000).outcome == Outcome::kIgnored);  // connected, not waiting
  CHECK(f.On("ended", "c2", 2000).outcome == Outcome::kIgnored);      // waiting, not connected
  CHECK(f.Queued("c2", "q", 500).outcome == Outcome::kIgnored);       // already waiting there
  CHECK(f.On("abandoned", "c2", 1000, R"(,"reason":"bogus")").outcome == Outcome::kRejected);
  CHECK(figures() == before);
  f.Answered("c2", 3000);
  f.On("ended", "c2", 4000);
  CHECK(f.MeanSeconds("q") == 4.0);  // the refused requeue moved no first queued ts
}

TEST_CASE("the alert measures read the window: mean resolution, resolved, transferred in") {
  Fixture f;
  f.clock.Set(kT0 + 60'000);
  f.Resolve("c1", "q", 0, 12'000);
  f.Queued("c2", "p", 0);
  f.On("transferred", "c2", 1000, R"(,"queue":"q")");
  f.core.Tick(f.clock.NowMs());
  const uint32_t qc = f.QcIndex("q");
  const auto read = [&](std::string_view name) {
    const Core::MeasureRef ref = f.core.FindMeasure(name);
    REQUIRE(ref.model == &f.model());
    return ref.model->Measure(ref.index, qc, 0, f.clock.NowMs());
  };
  CHECK(read("resolution_seconds").value == 12.0);
  CHECK(read("resolution_seconds").contacts == 1);
  CHECK(read("resolved_contacts").value == 1.0);
  CHECK(read("transferred_in_contacts").value == 1.0);
  CHECK(std::isnan(f.model().Measure(0, qc, 99, f.clock.NowMs()).value));  // no such window
}

TEST_CASE("a restored core renders exactly like the original and resolves across it") {
  const std::string yaml = "windows: [15m, 1h, today]";
  Fixture f(yaml);
  f.clock.Set(kT0 + 60'000);
  f.Queued("c0", "q", 0);
  f.On("abandoned", "c0", 2000, R"(,"reason":"timeout")");
  f.Resolve("c1", "q", 0, 20'000);
  f.Queued("c2", "p", 5000);
  f.On("transferred", "c2", 8000, R"(,"queue":"q")");  // open: first queued ts 5000
  f.Queued("c3", "q", 9000, R"(,"channel":"chat")");
  REQUIRE(f.model().FirstQueuedMs(f.core.models().contacts.contacts().Find("c2")) == kT0 + 5000);
  std::string bytes;
  SaveSnapshot(f.core, {}, bytes);

  Fixture restored(yaml);
  restored.clock.Set(f.clock.NowMs());
  SnapshotMeta meta;
  std::string error;
  REQUIRE_MESSAGE(LoadSnapshot(bytes, restored.core, &meta, &error) == SnapshotLoad::kOk, error);
  CHECK(RenderAll(restored.core, f.clock.NowMs()) == RenderAll(f.core, f.clock.NowMs()));
  CHECK(restored.ByReason("q") == Reasons{0, 1, 0, 0});

  for (Fixture* x : {&f, &restored}) {
    x->Answered("c2", 30'000);
    x->On("ended", "c2", 45'000);
  }
  CHECK(restored.Counts("q", "15m").resolution_ms == 20'000 + 40'000);
  CHECK(RenderAll(restored.core, f.clock.NowMs()) == RenderAll(f.core, f.clock.NowMs()));
}

TEST_CASE("a reload keeps the counters, and the windows unless their list changed") {
  Fixture f;
  f.clock.Set(kT0 + 60'000);
  f.Queued("c0", "q", 0);
  f.On("abandoned", "c0", 2000, R"(,"reason":"key")");
  f.Resolve("c1", "q", 0, 10'000);
  f.core.Reconfigure(ConfigFrom("queues: [{id: q}]"));  // the default windows still
  CHECK(f.Counts("q", "15m").resolved == 1);
  f.core.Reconfigure(ConfigFrom("windows: [5m, today]"));
  CHECK(f.Counts("q", "5m").resolved == 0);
  CHECK(f.ByReason("q") == Reasons{0, 0, 0, 1});
}

TEST_CASE("a snapshot under other windows keeps the counters and restarts the windows") {
  Fixture f("windows: [15m, today]");
  f.clock.Set(kT0 + 60'000);
  f.Queued("c0", "q", 0);
  f.On("abandoned", "c0", 2000, R"(,"reason":"key")");
  f.Resolve("c1", "q", 0, 20'000);
  Fixture restored("windows: [5m, today]");
  restored.clock.Set(f.clock.NowMs());
  RestoreSnapshotOf(f.core, restored.core);
  CHECK(restored.ByReason("q") == Reasons{0, 0, 0, 1});
  CHECK(restored.Counts("q", "5m").resolved == 0);
  CHECK(restored.Counts("q", "today").resolved == 1);  // `today` is kept either way
}
