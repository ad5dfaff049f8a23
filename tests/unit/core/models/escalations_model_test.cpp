// Escalations: opened, raised, moved with the contact, closed resolved or unresolved.
#include "floorwatch/core/models/escalations_model.h"

#include <doctest/doctest.h>

#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// The value of one sample of the core's /metrics families, or NaN when absent.
double Sample(Core& core, int64_t now, const std::string& series) {
  const std::string all = RenderAll(core, now);
  const size_t at = all.find("\n" + series + " ");
  if (at == std::string::npos) return std::nan("");
  return std::stod(all.substr(at + series.size() + 2));
}

struct Desk : CoreFixture {
  Desk() : CoreFixture("outcomes: {escalation_reasons: [refund, legal]}") {}
  ApplyResult Escalate(const std::string& contact, int64_t at, const std::string& extra = "") {
    return On("escalated", contact, at, extra);
  }
  const EscalationsModel& model() { return core.models().escalations; }
  double Metric(const std::string& series) { return Sample(core, clock.NowMs(), series); }
};

constexpr const char* kQ = R"(queue="q",channel="voice")";

}  // namespace

TEST_CASE("an escalation opens at tier 2 by default, where the contact is") {
  Desk d;
  d.Queued("c1", "q", 0);
  CHECK(d.Escalate("c1", 1000).outcome == Outcome::kApplied);
  d.clock.Advance(61'000);
  CHECK(d.Metric(std::string("floorwatch_queue_escalations_open{") + kQ + ",tier=\"2\"}") == 1);
  CHECK(d.Metric(std::string("floorwatch_queue_oldest_escalation_seconds{") + kQ + "}") == 60);
  CHECK(d.Metric(std::string("floorwatch_queue_escalations_total{") + kQ +
                 ",tier=\"2\",reason=\"none\"}") == 1);
  CHECK(d.Metric(std::string("floorwatch_queue_window_contacts{") + kQ +
                 ",window=\"15m\",outcome=\"escalated\"}") == 1);
}

TEST_CASE("a higher tier raises it: counted again at the new tier, opening time kept") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Escalate("c1", 1000, R"(,"reason":"refund","team":"desk-a")");
  d.Escalate("c1", 30'000, R"(,"tier":3,"reason":"legal","team":"desk-b")");
  d.clock.Advance(61'000);
  const std::string q(kQ);
  CHECK(d.Metric("floorwatch_queue_escalations_open{" + q + ",tier=\"2\"}") == 0);
  CHECK(d.Metric("floorwatch_queue_escalations_open{" + q + ",tier=\"3\"}") == 1);
  CHECK(d.Metric("floorwatch_queue_oldest_escalation_seconds{" + q + "}") == 60);
  CHECK(d.Metric("floorwatch_queue_escalations_total{" + q + ",tier=\"2\",reason=\"refund\"}") ==
        1);
  CHECK(d.Metric("floorwatch_queue_escalations_total{" + q + ",tier=\"3\",reason=\"legal\"}") == 1);
  CHECK(d.Metric("floorwatch_escalations_open{team=\"desk-a\",tier=\"3\"}") == 1);  // first team
  CHECK(std::isnan(d.Metric("floorwatch_escalations_open{team=\"desk-b\",tier=\"3\"}")));
  CHECK(d.Metric("floorwatch_queue_window_contacts{" + q +
                 ",window=\"15m\",outcome=\"escalated\"}") == 1);  // a raise is not a new one
}

TEST_CASE("an equal or lower tier is applied and changes nothing") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Escalate("c1", 1000, R"(,"tier":3)");
  CHECK(d.Escalate("c1", 2000, R"(,"tier":3)").outcome == Outcome::kApplied);
  CHECK(d.Escalate("c1", 3000, R"(,"tier":2)").outcome == Outcome::kApplied);
  CHECK(d.Metric(std::string("floorwatch_queue_escalations_total{") + kQ +
                 ",tier=\"3\",reason=\"none\"}") == 1);
  CHECK(d.model().OpenIn(d.QcIndex("q")) == 1);
}

TEST_CASE("the conversation's end closes it resolved, with its resolution time") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Answered("c1", 1000);
  d.Escalate("c1", 10'000);
  d.On("ended", "c1", 70'000);
  d.clock.Advance(80'000);
  const uint32_t qc = d.QcIndex("q");
  CHECK(d.model().OpenIn(qc) == 0);
  d.core.Tick(d.clock.NowMs());
  CHECK(d.model().WindowTally(qc, 0).resolved == 1);
  CHECK(d.Metric(std::string("floorwatch_queue_escalation_resolution_seconds{") + kQ +
                 ",window=\"15m\"}") == 60);
  CHECK(d.Metric(std::string("floorwatch_queue_escalation_ratio{") + kQ + ",window=\"15m\"}") ==
        1);  // 1 escalated / 1 handled
}

TEST_CASE("an abandon closes it unresolved") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Escalate("c1", 1000);
  d.On("abandoned", "c1", 5000);
  const uint32_t qc = d.QcIndex("q");
  CHECK(d.model().OpenIn(qc) == 0);
  d.core.Tick(d.clock.NowMs());
  CHECK(d.model().WindowTally(qc, 0).resolved == 0);
  CHECK(d.model().WindowTally(qc, 0).escalated == 1);
}

TEST_CASE("a transfer moves the open escalation with the contact") {
  Desk d;
  d.Queued("c1", "a", 0);
  d.Escalate("c1", 1000);
  d.On("transferred", "c1", 2000, R"(,"queue":"b")");
  CHECK(d.model().OpenIn(d.QcIndex("a")) == 0);
  CHECK(d.model().OpenIn(d.QcIndex("b")) == 1);
}

TEST_CASE("a reason not configured counts as other") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Escalate("c1", 1000, R"(,"reason":"weather")");
  CHECK(d.Metric(std::string("floorwatch_queue_escalations_total{") + kQ +
                 ",tier=\"2\",reason=\"other\"}") == 1);
}

TEST_CASE("an escalation of an unknown contact is refused and moves no figure") {
  Desk d;
  CHECK(d.Escalate("nobody", 1000).reason == static_cast<uint8_t>(RejectReason::kUnknownContact));
  CHECK(std::isnan(d.Metric("floorwatch_escalations_open{team=\"none\",tier=\"2\"}")));
}

TEST_CASE("an expired contact's open escalation closes") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Escalate("c1", 1000);
  d.clock.Advance(25 * 3'600'000);  // past limits.contact_ttl (24h)
  d.core.Tick(d.clock.NowMs());
  CHECK(d.model().OpenIn(d.QcIndex("q")) == 0);
  CHECK(d.Metric("floorwatch_escalations_open{team=\"none\",tier=\"2\"}") == 0);
}

TEST_CASE("open escalations survive a snapshot") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Escalate("c1", 1000, R"(,"team":"desk-a","reason":"refund")");
  d.Queued("c2", "q", 0);
  d.Answered("c2", 500);
  d.Escalate("c2", 2000, R"(,"tier":4)");
  d.On("ended", "c2", 9000);
  std::string bytes;
  SaveSnapshot(d.core, {}, bytes);
  Core restored(ConfigFrom("outcomes: {escalation_reasons: [refund, legal]}"));
  SnapshotMeta meta;
  std::string error;
  REQUIRE(LoadSnapshot(bytes, restored, &meta, &error) == SnapshotLoad::kOk);
  const int64_t now = d.clock.NowMs() + 30'000;
  CHECK(RenderAll(restored, now) == RenderAll(d.core, now));
  d.Answered("c1", 35'000);
  d.On("ended", "c1", 40'000);  // and they go on closing the same way
  CHECK(d.model().OpenIn(d.QcIndex("q")) == 0);
}

TEST_CASE("past max_teams further escalation teams share one series, other") {
  Desk d;
  d.core.Reconfigure(ConfigFrom("limits: {max_teams: 1}"));
  d.Queued("c1", "q", 0);
  d.Queued("c2", "q", 0);
  d.Queued("c3", "q", 0);
  d.Escalate("c1", 1000, R"(,"team":"x")");
  d.Escalate("c2", 1000, R"(,"team":"y")");
  d.Escalate("c3", 1000, R"(,"team":"z")");
  CHECK(d.Metric("floorwatch_escalations_open{team=\"x\",tier=\"2\"}") == 1);
  CHECK(d.Metric("floorwatch_escalations_open{team=\"other\",tier=\"2\"}") == 2);
}

TEST_CASE("a contact queued again after it ended starts without the old escalation") {
  Desk d;
  d.Queued("c1", "q", 0);
  d.Answered("c1", 1000);
  d.On("ended", "c1", 2000);
  d.Escalate("c1", 3000);  // after the end, before the wrap
  d.Queued("c1", "q", 4000);
  CHECK(d.model().OpenIn(d.QcIndex("q")) == 0);
}
