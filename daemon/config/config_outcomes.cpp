// The config's customer-outcome keys: `outcomes:`, `teams:` and `unknown_teams:`.
#include <set>

#include "config/config_parse.h"

namespace floorwatch::config_internal {

void ParseOutcomes(const Node& n, OutcomesConfig& o) {
  n.ExpectMap(
      {"repeat_window", "closed_contact_memory", "quality_pass_score", "escalation_reasons"});
  if (!n["repeat_window"].IsNull()) {
    o.repeat_window_ms = n["repeat_window"].DurationMs();
    if (o.repeat_window_ms <= 0) n["repeat_window"].Fail("must be more than 0");
  }
  if (!n["closed_contact_memory"].IsNull()) {
    o.closed_contact_memory_ms = n["closed_contact_memory"].DurationMs();
    if (o.closed_contact_memory_ms <= 0) n["closed_contact_memory"].Fail("must be more than 0");
  }
  if (!n["quality_pass_score"].IsNull()) {
    o.quality_pass_score = n["quality_pass_score"].Number();
    if (!(o.quality_pass_score >= 0 && o.quality_pass_score <= 100))
      n["quality_pass_score"].Fail("must be a number 0..100");
  }
  if (!n["escalation_reasons"].IsNull()) {
    o.escalation_reasons = n["escalation_reasons"].StringList();
    std::set<std::string> seen;
    for (const std::string& reason : o.escalation_reasons) {
      if (reason.empty() || reason == "other" || reason == "none")
        n["escalation_reasons"].Fail("'" + reason +
                                     "' cannot be a reason (other and none are "
                                     "what unlisted and absent reasons count as)");
      if (!seen.insert(reason).second)
        n["escalation_reasons"].Fail("'" + reason + "' is listed twice");
    }
  }
}

void ParseTeams(const Node& root, Config& c) {
  std::set<std::string> ids;
  for (const Node& item : root["teams"].Items()) {
    item.ExpectMap({"id", "labels"});
    if (item["id"].IsNull()) item.Fail("id is required");
    TeamConfig t{item["id"].Str(), item["labels"].StringMap()};
    if (t.id.empty()) item["id"].Fail("must not be empty");
    if (!ids.insert(t.id).second) item["id"].Fail("team '" + t.id + "' is defined twice");
    ValidateLabels(item["labels"], t.labels);
    if (t.labels.count("team")) item["labels"]["team"].Fail("is reserved");
    c.teams.push_back(std::move(t));
  }
  if (static_cast<int64_t>(c.teams.size()) > c.limits.max_teams) {
    root["teams"].Fail("more teams than limits.max_teams");
  }
  if (!root["unknown_teams"].IsNull()) {
    c.unknown_teams = root["unknown_teams"].OneOf<UnknownTeams>(
        {{"accept", UnknownTeams::kAccept}, {"reject", UnknownTeams::kReject}});
  }
}

}  // namespace floorwatch::config_internal
