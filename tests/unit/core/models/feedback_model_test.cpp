// Surveys and quality evaluations: attribution to live, remembered or named queues; CSAT,
// NPS, resolution and quality figures.
#include "floorwatch/core/models/feedback_model.h"

#include <doctest/doctest.h>

#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

constexpr const char* kConfig = "outcomes: {closed_contact_memory: 1h, quality_pass_score: 80}";

struct Floor : CoreFixture {
  explicit Floor(const std::string& yaml = kConfig) : CoreFixture(yaml) {}
  ApplyResult Survey(const std::string& fields) {
    return Feed(R"({"type":"contact.survey","ts":)" + std::to_string(clock.NowMs()) + "," + fields +
                "}");
  }
  ApplyResult Evaluation(const std::string& fields) {
    return Feed(R"({"type":"contact.evaluated","ts":)" + std::to_string(clock.NowMs()) + "," +
                fields + "}");
  }
  // A contact handled in `queue` and wrapped: its slot is freed, so only remembered.
  void Handled(const std::string& id, const std::string& queue) {
    Queued(id, queue, 0);
    Answered(id, 1000);
    On("ended", id, 2000);
    On("wrapped", id, 3000);
  }
  FeedbackTally Window(const std::string& queue, Channel ch = Channel::kVoice) {
    core.Tick(clock.NowMs());
    return core.models().feedback.WindowTally(QcIndex(queue, ch), 0);
  }
  double Measure(size_t m, const std::string& queue) {
    core.Tick(clock.NowMs());
    return core.models().feedback.Measure(m, QcIndex(queue), 0, clock.NowMs()).value;
  }
};

}  // namespace

TEST_CASE("a survey of a live contact counts where the contact is, not at its queue field") {
  Floor f;
  f.Queued("c1", "sales", 0);
  f.Answered("c1", 1000);
  REQUIRE(f.Survey(R"("contact":"c1","queue":"other","csat":5,"nps":9,"resolved":true)").outcome ==
          Outcome::kApplied);
  const FeedbackTally t = f.Window("sales");
  CHECK(t.surveyed == 1);
  CHECK(t.csat_responses == 1);
  CHECK(t.csat_satisfied == 1);
  CHECK(t.nps_promoters == 1);
  CHECK(t.resolved_yes == 1);
  CHECK(f.core.directory().FindQueue("other") == kNoSlot);
}

TEST_CASE("a survey of a contact closed within closed_contact_memory counts at its last queue") {
  Floor f;
  f.Handled("c1", "support");
  CHECK(f.core.models().contacts.contacts().size() == 0);  // wrapped: only remembered
  f.clock.Advance(30 * 60'000);
  REQUIRE(f.Survey(R"("contact":"c1","csat":2,"nps":3)").outcome == Outcome::kApplied);
  const FeedbackTally t = f.Window("support");
  CHECK(t.csat_satisfied == 0);
  CHECK(t.nps_detractors == 1);
}

TEST_CASE("a contact closed longer ago than the memory is no longer known") {
  Floor f;
  f.Handled("c1", "support");
  f.clock.Advance(2 * 3'600'000);
  f.core.Tick(f.clock.NowMs());
  const ApplyResult r = f.Survey(R"("contact":"c1","csat":5)");
  CHECK(r.reason == static_cast<uint8_t>(RejectReason::kUnknownContact));
  CHECK(f.Window("support").surveyed == 0);
}

TEST_CASE("a survey naming only a queue counts there, on voice unless it names a channel") {
  Floor f;
  f.Survey(R"("queue":"web","csat":4)");
  f.Survey(R"("queue":"web","channel":"chat","csat":1)");
  CHECK(f.Window("web").csat_satisfied == 1);
  CHECK(f.Window("web", Channel::kChat).csat_responses == 1);
}

TEST_CASE("a survey naming neither a known contact nor a queue is unknown_contact, no figure") {
  Floor f;
  f.Queued("c1", "q", 0);
  CHECK(f.Survey(R"("contact":"nobody","csat":5)").reason ==
        static_cast<uint8_t>(RejectReason::kUnknownContact));
  CHECK(f.Rejected(RejectReason::kUnknownContact) == 1);
  CHECK(f.Window("q").surveyed == 0);
}

TEST_CASE("an evaluation passes at the pass score unless it says otherwise") {
  Floor f;
  f.Survey(R"("queue":"q")");  // creates the queue; no answers
  f.Evaluation(R"("queue":"q","score":80)");
  f.Evaluation(R"("queue":"q","score":79.5)");
  f.Evaluation(R"("queue":"q","score":95,"passed":false)");
  const FeedbackTally t = f.Window("q");
  CHECK(t.evaluated == 3);
  CHECK(t.quality_passed == 1);
  CHECK(f.Measure(4, "q") == doctest::Approx((80 + 79.5 + 95) / 3));
  CHECK(f.Measure(5, "q") == doctest::Approx(1.0 / 3));
}

TEST_CASE("CSAT, NPS and resolution ratios, NaN without answers") {
  Floor f;
  f.Survey(R"("queue":"q","csat":5,"nps":10,"resolved":true)");
  f.Survey(R"("queue":"q","csat":4,"nps":7,"resolved":false)");
  f.Survey(R"("queue":"q","csat":1,"nps":0)");
  f.Survey(R"("queue":"q")");
  CHECK(f.Measure(1, "q") == doctest::Approx(2.0 / 3));              // csat
  CHECK(f.Measure(2, "q") == doctest::Approx(100.0 * (1 - 1) / 3));  // nps
  CHECK(f.Measure(3, "q") == doctest::Approx(0.5));                  // survey resolved
  CHECK(std::isnan(f.Measure(4, "q")));                              // no evaluation
}

TEST_CASE("feedback ratio is surveys over resolved contacts") {
  Floor f;
  f.Handled("c1", "q");
  f.Handled("c2", "q");
  f.Survey(R"("contact":"c1","csat":5)");
  CHECK(f.Measure(0, "q") == doctest::Approx(0.5));
}

TEST_CASE("past max_closed_contacts the oldest closed is forgotten, and counted") {
  Floor f("limits: {max_closed_contacts: 1}");
  f.Handled("c1", "q");
  f.clock.Advance(1000);
  f.Handled("c2", "q");
  CHECK(f.core.models().closed_contacts.forgotten() == 1);
  CHECK(f.Survey(R"("contact":"c1","csat":5)").outcome == Outcome::kRejected);
  CHECK(f.Survey(R"("contact":"c2","csat":5)").outcome == Outcome::kApplied);
  CHECK(RenderAll(f.core, f.clock.NowMs())
            .find("floorwatch_outcomes_forgotten_total{kind=\"closed_contact\"} 1") !=
        std::string::npos);
}

TEST_CASE("a survey of a live contact keeps it from expiring") {
  Floor f("limits: {contact_ttl: 1h}");
  f.Queued("c1", "q", 0);
  f.clock.Advance(50 * 60'000);
  f.Survey(R"("contact":"c1","csat":5)");
  f.clock.Advance(20 * 60'000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.core.models().contacts.contacts().size() == 1);
}

TEST_CASE("remembered contacts and survey windows survive a snapshot") {
  Floor f;
  f.Handled("c1", "q");
  f.Survey(R"("queue":"q","csat":5,"nps":9)");
  f.Evaluation(R"("queue":"q","score":70)");
  Core restored(ConfigFrom(kConfig));
  RestoreSnapshotOf(f.core, restored);
  const int64_t now = f.clock.NowMs() + 1000;
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  const std::string later = R"({"type":"contact.survey","ts":)" + std::to_string(f.clock.NowMs()) +
                            R"(,"contact":"c1","csat":3})";
  CHECK(restored.OnPayload(later, f.clock.NowMs()).outcome == Outcome::kApplied);  // remembered
}
