// The customer-outcome keys: outcomes, teams, unknown_teams and their limits.
#include <doctest/doctest.h>

#include "floorwatch/config/config_loader.h"
#include "support/config_text.h"

using namespace floorwatch;

using namespace floorwatch::testing;

TEST_CASE("the outcome keys have their documented defaults") {
  const Config c = Good("");
  CHECK(c.outcomes.repeat_window_ms == 86'400'000);
  CHECK(c.outcomes.closed_contact_memory_ms == 7 * 86'400'000LL);
  CHECK(c.outcomes.quality_pass_score == 80);
  CHECK(c.outcomes.escalation_reasons.size() == 5);
  CHECK(c.teams.empty());
  CHECK(c.unknown_teams == UnknownTeams::kAccept);
  CHECK(c.limits.max_customers == 2'000'000);
  CHECK(c.limits.max_closed_contacts == 1'000'000);
  CHECK(c.limits.max_teams == 1000);
}

TEST_CASE("the outcome keys of the documented example load") {
  const Config c = std::get<Config>(LoadConfigFromString(R"(
outcomes:
  repeat_window: 24h
  closed_contact_memory: 7d
  quality_pass_score: 80
  escalation_reasons: [refund, delivery, product, complaint, legal]
teams:
  - id: vendor-a-lisbon-de
    labels: {vendor: vendor-a, site: lisbon, market: de}
unknown_teams: reject
limits: {max_customers: 2000000, max_closed_contacts: 1000000, max_teams: 1000}
)"));
  REQUIRE(c.teams.size() == 1);
  CHECK(c.teams[0].labels.at("vendor") == "vendor-a");
  CHECK(c.unknown_teams == UnknownTeams::kReject);
}

TEST_CASE("bad outcome and team values are refused naming the key") {
  CHECK(ErrorOf("outcomes: {quality_pass_score: 101}").find("outcomes.quality_pass_score") !=
        std::string::npos);
  CHECK(ErrorOf("outcomes: {repeat_window: 0s}").find("outcomes.repeat_window") !=
        std::string::npos);
  CHECK(ErrorOf("outcomes: {escalation_reasons: [refund, other]}").find("escalation_reasons") !=
        std::string::npos);
  CHECK(ErrorOf("outcomes: {colour: red}").find("outcomes.colour") != std::string::npos);
  CHECK(ErrorOf("teams: [{id: a}, {id: a}]").find("defined twice") != std::string::npos);
  CHECK(ErrorOf("teams: [{labels: {vendor: v}}]").find("id is required") != std::string::npos);
  CHECK(ErrorOf("teams: [{id: a, labels: {team: x}}]").find("reserved") != std::string::npos);
  CHECK(ErrorOf("teams: [{id: a}, {id: b}]\nlimits: {max_teams: 1}").find("max_teams") !=
        std::string::npos);
  CHECK(ErrorOf("unknown_teams: maybe").find("unknown_teams") != std::string::npos);
}
