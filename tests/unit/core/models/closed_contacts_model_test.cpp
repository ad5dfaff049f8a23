// The one memory of closed contacts: last queue/channel and last team, read by the feedback
// and teams models; its limit, expiry and snapshot.
#include "floorwatch/core/models/closed_contacts_model.h"

#include <doctest/doctest.h>

#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

constexpr const char* kConfig = R"(
outcomes: {closed_contact_memory: 1h}
teams: [{id: team-a}, {id: team-b}]
)";

struct Floor : CoreFixture {
  explicit Floor(const std::string& yaml = kConfig) : CoreFixture(yaml) {
    Agent("login", "a1", R"(,"team":"team-a","queues":["q"])");
    Agent("login", "a2", R"(,"team":"team-b","queues":["q"])");
  }
  // Queued in `queue`, answered by `agent`, ended and wrapped: let go.
  void Handled(const std::string& id, const std::string& queue, const std::string& agent) {
    Queued(id, queue, 0);
    On("answered", id, 1000, R"(,"agent":")" + agent + "\"");
    On("ended", id, 2000);
    On("wrapped", id, 3000);
  }
  ApplyResult Survey(const std::string& contact) {
    return Feed(R"({"type":"contact.survey","ts":)" + std::to_string(clock.NowMs()) +
                R"(,"contact":")" + contact + R"(","csat":5})");
  }
  const ClosedContactsModel& closed() const { return core.models().closed_contacts; }
  int64_t TeamSurveys(const std::string& team) {
    core.Tick(clock.NowMs());
    const TeamsModel& teams = core.models().teams;
    return teams.WindowTally(teams.FindTeam(team), 0).surveyed;
  }
  int64_t QueueSurveys(const std::string& queue) {
    core.Tick(clock.NowMs());
    return core.models().feedback.WindowTally(QcIndex(queue), 0).surveyed;
  }
};

}  // namespace

TEST_CASE("a contact let go is remembered with its last queue/channel and last team") {
  Floor f;
  f.Handled("c1", "q", "a1");
  const ClosedContactsModel::Closed* c = f.closed().Find("c1");
  REQUIRE(c != nullptr);
  CHECK(c->queue_channel == f.QcIndex("q"));
  CHECK(c->team == ClosedContactsModel::TeamKey("team-a"));
  CHECK(f.closed().remembered() == 1);
}

TEST_CASE("an abandoned contact is remembered where it waited, with no team") {
  Floor f;
  f.Queued("c1", "q", 0);
  f.On("abandoned", "c1", 5000);
  const ClosedContactsModel::Closed* c = f.closed().Find("c1");
  REQUIRE(c != nullptr);
  CHECK(c->queue_channel == f.QcIndex("q"));
  CHECK(c->team == 0);
}

TEST_CASE("the last team is the one of the last segment that ended, not of one in progress") {
  Floor f;
  f.Queued("c1", "q", 0);
  f.On("answered", "c1", 1000, R"(,"agent":"a1")");
  f.On("transferred", "c1", 2000, R"(,"queue":"q2")");  // team-a's segment ended
  const uint32_t slot = f.core.models().contacts.contacts().Find("c1");
  CHECK(f.closed().LastTeam(slot) == ClosedContactsModel::TeamKey("team-a"));
  f.On("answered", "c1", 3000, R"(,"agent":"a2")");
  CHECK(f.closed().SegmentTeam(slot) == ClosedContactsModel::TeamKey("team-b"));
  CHECK(f.closed().LastTeam(slot) == ClosedContactsModel::TeamKey("team-a"));
  f.On("ended", "c1", 4000);
  f.On("wrapped", "c1", 5000);
  f.On("wrapped", "c1", 5000);  // each segment has its wrap
  REQUIRE(f.closed().Find("c1") != nullptr);
  CHECK(f.closed().Find("c1")->team == ClosedContactsModel::TeamKey("team-b"));
  CHECK(f.closed().Find("c1")->queue_channel == f.QcIndex("q2"));
}

TEST_CASE("one memory serves feedback and teams: a survey counts at the queue and the team") {
  Floor f;
  f.Handled("c1", "q", "a2");
  REQUIRE(f.Survey("c1").outcome == Outcome::kApplied);
  CHECK(f.QueueSurveys("q") == 1);
  CHECK(f.TeamSurveys("team-b") == 1);
  CHECK(f.TeamSurveys("team-a") == 0);
}

TEST_CASE("past max_closed_contacts the oldest is forgotten for both, and counted once") {
  Floor f(std::string(kConfig) + "limits: {max_closed_contacts: 2}\n");
  f.Handled("c1", "q", "a1");
  f.clock.Advance(1000);
  f.Handled("c2", "q", "a1");
  f.clock.Advance(1000);
  f.Handled("c3", "q", "a1");  // c1 goes
  CHECK(f.closed().forgotten() == 1);
  CHECK(f.closed().remembered() == 2);
  CHECK(f.Survey("c1").reason == static_cast<uint8_t>(RejectReason::kUnknownContact));
  CHECK(f.Survey("c2").outcome == Outcome::kApplied);
  CHECK(f.TeamSurveys("team-a") == 1);
  CHECK(RenderAll(f.core, f.clock.NowMs())
            .find("floorwatch_outcomes_forgotten_total{kind=\"closed_contact\"} 1\n") !=
        std::string::npos);
}

TEST_CASE("closed contacts older than closed_contact_memory are dropped at the tick, uncounted") {
  Floor f;
  f.Handled("c1", "q", "a1");
  f.clock.Advance(3'600'000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.closed().Find("c1") != nullptr);  // let go exactly an hour ago: still known
  f.clock.Advance(1000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.closed().Find("c1") == nullptr);
  CHECK(f.closed().forgotten() == 0);
}

TEST_CASE("a refused event changes nothing remembered") {
  Floor f;
  f.Handled("c1", "q", "a1");
  CHECK(f.On("answered", "nobody", 4000, R"(,"agent":"a2")").outcome == Outcome::kRejected);
  CHECK(f.On("ended", "nobody", 4000).outcome == Outcome::kRejected);
  CHECK(f.closed().remembered() == 1);
  REQUIRE(f.closed().Find("c1") != nullptr);
  CHECK(f.closed().Find("c1")->team == ClosedContactsModel::TeamKey("team-a"));
  CHECK(f.closed().Find("nobody") == nullptr);
}

TEST_CASE("a core restored from a snapshot renders the same and remembers the same contacts") {
  Floor f(std::string(kConfig) + "limits: {max_closed_contacts: 3}\n");
  for (int i = 0; i < 5; ++i) {
    f.Handled("c" + std::to_string(i), "q", i % 2 ? "a1" : "a2");
    f.clock.Advance(1000);
  }
  f.Queued("live", "q", 6000);
  f.On("answered", "live", 7000, R"(,"agent":"a1")");
  Core restored(ConfigFrom(std::string(kConfig) + "limits: {max_closed_contacts: 3}\n"));
  RestoreSnapshotOf(f.core, restored);
  const int64_t now = f.clock.NowMs();
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  CHECK(restored.models().closed_contacts.remembered() == 3);
  CHECK(restored.models().closed_contacts.forgotten() == 2);
  // Both go on alike: the live contact ends (its team is known), one more forgets c2.
  for (const std::string& e :
       {R"({"type":"contact.ended","ts":)" + std::to_string(now) + R"(,"contact":"live"})",
        R"({"type":"contact.wrapped","ts":)" + std::to_string(now) + R"(,"contact":"live"})",
        R"({"type":"contact.survey","ts":)" + std::to_string(now) + R"(,"contact":"c3","csat":4})",
        R"({"type":"contact.survey","ts":)" + std::to_string(now) +
            R"(,"contact":"live","nps":9})"}) {
    CHECK(f.core.OnPayload(e, now).outcome == restored.OnPayload(e, now).outcome);
  }
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  CHECK(restored.models().closed_contacts.Find("c2") == nullptr);
  CHECK(restored.models().closed_contacts.Find("live") != nullptr);
}
