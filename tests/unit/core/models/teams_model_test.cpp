// Per team: handled segments and AHT, escalations, surveys and evaluations of the contacts
// the team handled, agents by state, configured labels; unknown_teams: reject.
#include "floorwatch/core/models/teams_model.h"

#include <doctest/doctest.h>

#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

constexpr const char* kConfig = R"(
teams:
  - {id: vendor-a-de, labels: {vendor: vendor-a, market: de}}
  - {id: inhouse-de, labels: {vendor: inhouse, market: de}}
)";

struct Floor : CoreFixture {
  explicit Floor(const std::string& yaml = kConfig) : CoreFixture(yaml) {
    Agent("login", "a1", R"(,"team":"vendor-a-de","queues":["q"])");
    Agent("login", "a2", R"(,"team":"inhouse-de","queues":["q"])");
  }
  ApplyResult AnsweredBy(const std::string& contact, const std::string& agent, int64_t at) {
    return On("answered", contact, at, R"(,"agent":")" + agent + "\"");
  }
  TeamTally Team(const std::string& team) {
    core.Tick(clock.NowMs());
    const TeamsModel& teams = core.models().teams;
    return teams.WindowTally(teams.FindTeam(team), 0);
  }
};

}  // namespace

TEST_CASE("a segment counts for the team of its agent, a transferred contact for each") {
  Floor f;
  f.Queued("c1", "q", 0);
  f.AnsweredBy("c1", "a1", 1000);
  f.On("transferred", "c1", 61'000, R"(,"queue":"q")");
  f.AnsweredBy("c1", "a2", 62'000);
  f.On("ended", "c1", 92'000);
  f.On("wrapped", "c1", 102'000, R"(,"agent":"a2")");
  const TeamTally a = f.Team("vendor-a-de");
  const TeamTally b = f.Team("inhouse-de");
  CHECK(a.handled == 1);
  CHECK(a.talk_ms == 60'000);
  CHECK(b.handled == 1);
  CHECK(b.talk_ms == 30'000);
  CHECK(b.acw_ms == 10'000);
}

TEST_CASE("an escalation opened while connected counts for the agent's team, a raise does not") {
  Floor f;
  f.Queued("c1", "q", 0);
  f.On("escalated", "c1", 500);  // waiting: no team's
  f.Queued("c2", "q", 0);
  f.AnsweredBy("c2", "a1", 1000);
  f.On("escalated", "c2", 2000);
  f.On("escalated", "c2", 3000, R"(,"tier":3)");
  CHECK(f.Team("vendor-a-de").escalated == 1);
  CHECK(f.Team("inhouse-de").escalated == 0);
}

TEST_CASE("a survey counts for the team that handled the contact, or the agent it names") {
  Floor f;
  f.Queued("c1", "q", 0);
  f.AnsweredBy("c1", "a1", 1000);
  f.On("ended", "c1", 2000);
  f.On("wrapped", "c1", 3000);  // closed: the team is remembered
  f.Feed(R"({"type":"contact.survey","ts":)" + std::to_string(f.clock.NowMs()) +
         R"(,"contact":"c1","csat":5,"nps":10})");
  f.Feed(R"({"type":"contact.evaluated","ts":)" + std::to_string(f.clock.NowMs()) +
         R"(,"queue":"q","agent":"a2","score":60})");
  const TeamTally a = f.Team("vendor-a-de");
  CHECK(a.surveyed == 1);
  CHECK(a.csat_satisfied == 1);
  CHECK(a.nps_promoters == 1);
  CHECK(f.Team("inhouse-de").evaluated == 1);
  CHECK(f.Team("inhouse-de").quality_passed == 0);
}

TEST_CASE("team info carries the configured labels, and agents are counted by state") {
  Floor f;
  f.Agent("state", "a1", R"(,"state":"available")");
  const std::string all = RenderAll(f.core, f.clock.NowMs());
  CHECK(all.find(R"(floorwatch_team_info{team="vendor-a-de",market="de",vendor="vendor-a"} 1)") !=
        std::string::npos);
  CHECK(all.find(R"(floorwatch_team_agents{team="vendor-a-de",state="available"} 1)") !=
        std::string::npos);
  CHECK(all.find(R"(floorwatch_team_agents{team="inhouse-de",state="not_ready"} 1)") !=
        std::string::npos);
}

TEST_CASE("a team only agents name is on the floor from its first agent's login") {
  Floor f;
  REQUIRE(f.Agent("login", "a5", R"(,"team":"pool","queues":["q"])").outcome == Outcome::kApplied);
  CHECK(f.core.models().teams.FindTeam("pool") != TeamsModel::kNoTeam);
  CHECK(RenderAll(f.core, f.clock.NowMs())
            .find(R"(floorwatch_team_agents{team="pool",state="not_ready"} 1)") !=
        std::string::npos);
}

TEST_CASE("with unknown_teams: reject an agent.login naming another team is refused") {
  Floor f(std::string(kConfig) + "unknown_teams: reject\n");
  const ApplyResult r = f.Agent("login", "a9", R"(,"team":"vendor-z")");
  CHECK(r.reason == static_cast<uint8_t>(RejectReason::kUnknownTeam));
  CHECK(f.core.models().agents.agents().Find("a9") == kNoSlot);
  CHECK(f.core.models().teams.FindTeam("vendor-z") == TeamsModel::kNoTeam);
  CHECK(f.Agent("login", "a9", R"(,"team":"inhouse-de")").outcome == Outcome::kApplied);
}

TEST_CASE("past max_teams further team names are not tracked") {
  Floor f(std::string(kConfig) + "limits: {max_teams: 2}\n");
  f.Agent("login", "a9", R"(,"team":"vendor-z")");
  f.Queued("c1", "q", 0);
  f.AnsweredBy("c1", "a9", 1000);
  f.On("ended", "c1", 2000);
  CHECK(f.core.models().teams.team_count() == 2);
}

TEST_CASE("team windows and remembered teams survive a snapshot") {
  Floor f;
  f.Queued("c1", "q", 0);
  f.AnsweredBy("c1", "a1", 1000);
  f.On("ended", "c1", 2000);
  f.On("wrapped", "c1", 3000);
  f.Queued("c2", "q", 0);
  f.AnsweredBy("c2", "a2", 1000);
  Core restored(ConfigFrom(kConfig));
  RestoreSnapshotOf(f.core, restored);
  const int64_t now = f.clock.NowMs() + 1000;
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  const std::string survey = R"({"type":"contact.survey","ts":)" + std::to_string(f.clock.NowMs()) +
                             R"(,"contact":"c1","csat":4})";
  f.Feed(survey);
  restored.OnPayload(survey, f.clock.NowMs());
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
}
