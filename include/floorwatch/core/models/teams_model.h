// Teams: what each team's agents handled and how customers and evaluators rated it
// (docs/metrics.md, "Teams and vendors"), for comparing in-house and outsourced teams per
// market. A team is an id agents name in agent.login (`team`); `teams:` in the config gives
// teams their labels (vendor, market, site, ...).
//
// A team's figures count the agent segments its agents handled (ended by contact.ended or
// by a transfer: a contact handled by two agents counts for each), with the team the agent
// had when the segment was answered; escalations opened (not raised) while the contact was
// connected to the team's agent; and the surveys and evaluations of contacts the team
// handled last (live, or closed within outcomes.closed_contact_memory), or of the `agent`
// the event names. Observes contact and agent events; reads agents through the agents
// model's view, and the team of each segment and of each closed contact through the
// closed-contacts model's (which follows them before this model sees the event).
// Figures: floorwatch_team_info, _agents{state}, _window_contacts{outcome},
// _aht_seconds, _csat_ratio, _nps, _quality_score, _escalation_ratio ({team, window}); the
// same per team in /api/v1/teams (the wallboard's team view).
// Memory: limits.max_teams teams (others are not tracked), a flag per live contact.
// Windows in the defaults' time zone. Core thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "floorwatch/core/hash_table.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/models/agents_model.h"
#include "floorwatch/core/models/closed_contacts_model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/rolling_windows.h"

namespace floorwatch {

struct TeamTally {
  int64_t handled = 0, talk_ms = 0, acw_ms = 0, escalated = 0, surveyed = 0, csat_responses = 0,
          csat_satisfied = 0, nps_responses = 0, nps_promoters = 0, nps_detractors = 0,
          evaluated = 0, quality_passed = 0, score_milli = 0;
  static constexpr size_t kFields = 13;
  static constexpr size_t kBytes = kFields * 8;
  int64_t* begin() { return &handled; }
  const int64_t* begin() const { return &handled; }
  void Add(const TeamTally& o, int64_t sign) {
    for (size_t i = 0; i < kFields; ++i) begin()[i] += sign * o.begin()[i];
  }
  void Put(BinaryWriter& w) const {
    for (size_t i = 0; i < kFields; ++i) w.I64(begin()[i]);
  }
  static TeamTally Get(BinaryReader& r) {
    TeamTally t;
    for (size_t i = 0; i < kFields; ++i) t.begin()[i] = r.I64();
    return t;
  }
};

class TeamsModel final : public Model {
 public:
  static constexpr uint32_t kNoTeam = UINT32_MAX;

  TeamsModel(const Config& config, const ContactsModel& contacts, const AgentsModel& agents,
             const ClosedContactsModel& closed);

  std::string_view name() const override { return "teams"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
  void OnContactClosed(uint32_t contact, int64_t now_ms) override;
  void Reconfigure(const Config& old) override;
  void Tick(int64_t now_ms) override;
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  // Version 1 also held each contact's segment teams and the teams of closed contacts, now
  // the closed_contacts section's.
  uint32_t version() const override { return 2; }
  uint32_t first_version() const override { return 2; }
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view.
  uint32_t FindTeam(std::string_view name) const;
  // By ClosedContactsModel::TeamKey; kNoTeam for 0 or a team not tracked.
  uint32_t FindTeamKey(uint64_t key) const;
  const TeamTally& WindowTally(uint32_t team, size_t window) const;
  size_t team_count() const { return teams_.size(); }
  // Its part of /api/v1/teams: one object (each followed by ',') per tracked team, in the
  // order teams were first tracked: id, configured labels, agents by state, and per window
  // the counts of floorwatch_team_window_contacts and the figures.
  void RenderTeamsJson(std::string& out, int64_t now_ms) const;

 private:
  struct Team {
    explicit Team(std::string id, const std::vector<int64_t>& rolling)
        : id(std::move(id)), windows(rolling) {}
    std::string id;
    Windows<TeamTally> windows;
  };
  struct PerContact {
    bool escalated = false;  // its first escalation was seen
  };

  uint32_t TeamOf(std::string_view name);  // creates while under limits.max_teams
  uint32_t AgentTeam(std::string_view agent);
  PerContact& Slot(uint32_t contact);
  void Record(uint32_t team, const EventContext& c, const TeamTally& delta);
  void Lifecycle(const EventContext& c);
  void Feedback(const EventContext& c);
  std::vector<int64_t> RollingSeconds() const;
  void RenderInfo(MetricWriter& w) const;
  std::vector<AgentsModel::StateCounts> AgentsByTeam() const;  // logged-in, by team index
  void RenderWindows(MetricWriter& w) const;

  const Config& config_;
  const ContactsModel& contacts_;
  const AgentsModel& agents_;
  const ClosedContactsModel& closed_;
  std::unique_ptr<TimeZone> zone_;
  std::vector<Team> teams_;
  HashTable<uint32_t> index_;  // MemoryKey(HashId(team id)) -> index + 1
  std::vector<PerContact> by_contact_;
  TeamTally zero_;
};

}  // namespace floorwatch
