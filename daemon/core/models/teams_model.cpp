#include "floorwatch/core/models/teams_model.h"

#include <cmath>

namespace floorwatch {
namespace {

using Kind = ContactChange::Kind;

}  // namespace

TeamsModel::TeamsModel(const Config& config, const ContactsModel& contacts,
                       const AgentsModel& agents, const ClosedContactsModel& closed)
    : config_(config), contacts_(contacts), agents_(agents), closed_(closed) {
  Reconfigure(config);
}

void TeamsModel::Subscribe(Subscriptions& s) {
  for (EventType t :
       {EventType::kContactQueued, EventType::kContactAnswered, EventType::kContactTransferred,
        EventType::kContactEnded, EventType::kContactWrapped, EventType::kContactEscalated,
        EventType::kContactSurvey, EventType::kContactEvaluated, EventType::kAgentLogin}) {
    s.Observe(t, this);
  }
}

std::vector<int64_t> TeamsModel::RollingSeconds() const {
  return floorwatch::RollingSeconds(config_.windows);
}

void TeamsModel::Reconfigure(const Config& old) {
  if (!zone_ || zone_->name() != config_.defaults.timezone) {
    zone_ = std::make_unique<TimeZone>(config_.defaults.timezone);
  }
  if (&old != &config_ && WindowListChanged(config_.windows, old.windows)) {
    for (Team& t : teams_) t.windows = Windows<TeamTally>(RollingSeconds());
  }
  for (const TeamConfig& t : config_.teams) TeamOf(t.id);  // configured teams always exist
}

uint32_t TeamsModel::FindTeam(std::string_view name) const {
  return FindTeamKey(ClosedContactsModel::TeamKey(name));
}

uint32_t TeamsModel::FindTeamKey(uint64_t key) const {
  const uint32_t* found = key == 0 ? nullptr : index_.Find(key);
  return found == nullptr ? kNoTeam : *found - 1;
}

uint32_t TeamsModel::TeamOf(std::string_view name) {
  if (name.empty()) return kNoTeam;
  const uint32_t found = FindTeam(name);
  if (found != kNoTeam) return found;
  if (static_cast<int64_t>(teams_.size()) >= config_.limits.max_teams) return kNoTeam;
  teams_.emplace_back(std::string(name), RollingSeconds());
  index_[ClosedContactsModel::TeamKey(name)] = static_cast<uint32_t>(teams_.size());
  return static_cast<uint32_t>(teams_.size() - 1);
}

uint32_t TeamsModel::AgentTeam(std::string_view agent) {
  const uint32_t a = agent.empty() ? kNoSlot : agents_.agents().Find(agent);
  return a == kNoSlot ? kNoTeam : TeamOf(agents_.agents()[a].team);
}

TeamsModel::PerContact& TeamsModel::Slot(uint32_t contact) {
  if (contact >= by_contact_.size()) by_contact_.resize(contact + 1);
  return by_contact_[contact];
}

void TeamsModel::Record(uint32_t team, const EventContext& c, const TeamTally& delta) {
  if (team == kNoTeam) return;
  teams_[team].windows.Record(c.event.ts_ms, c.now_ms, *zone_, delta);
}

// The closed-contacts model saw the event first: at an end, the segment's team is already
// the contact's last team there.
void TeamsModel::Lifecycle(const EventContext& c) {
  const ContactChange& change = c.contact;
  if (change.contact == kNoSlot) return;
  const uint32_t contact = change.contact;
  switch (change.kind) {
    case Kind::kQueued:
      if (change.new_contact) Slot(contact) = PerContact{};
      return;
    case Kind::kAnswered:
      AgentTeam(c.event.agent);  // the agent's team is tracked from its first segment
      return;
    case Kind::kTransferred:
      if (!change.segment_ended) return;
      [[fallthrough]];
    case Kind::kEnded:
      Record(FindTeamKey(closed_.LastTeam(contact)), c,
             TeamTally{.handled = 1, .talk_ms = change.talk_ms});
      return;
    case Kind::kWrapped: {
      const uint32_t named = AgentTeam(c.event.agent);
      Record(named != kNoTeam ? named : FindTeamKey(closed_.LastTeam(contact)), c,
             TeamTally{.acw_ms = change.acw_ms});
      return;
    }
    default:
      return;
  }
}

void TeamsModel::Feedback(const EventContext& c) {
  const Event& e = c.event;
  uint32_t team = AgentTeam(e.agent);                     // the agent the event names wins
  if (team == kNoTeam && c.contact.contact != kNoSlot) {  // live
    const uint64_t last = closed_.LastTeam(c.contact.contact);
    team = FindTeamKey(last != 0 ? last : closed_.SegmentTeam(c.contact.contact));
  }
  if (team == kNoTeam && !e.contact.empty()) {
    if (const ClosedContactsModel::Closed* closed = closed_.Find(e.contact)) {
      team = FindTeamKey(closed->team);
    }
  }
  TeamTally t;
  if (e.type == EventType::kContactSurvey) {
    t.surveyed = 1;
    if (e.csat) t.csat_responses = 1, t.csat_satisfied = *e.csat >= 4;
    if (e.nps) t.nps_responses = 1, t.nps_promoters = *e.nps >= 9, t.nps_detractors = *e.nps <= 6;
  } else {
    t.evaluated = 1;
    t.quality_passed = e.passed.value_or(e.score >= config_.outcomes.quality_pass_score);
    t.score_milli = std::llround(e.score * 1000);
  }
  Record(team, c, t);
}

void TeamsModel::Observe(const EventContext& c) {
  switch (c.event.type) {
    case EventType::kAgentLogin:
      // A team is on the floor (floorwatch_team_agents) from its first agent's login, not
      // only once one of its agents has handled something.
      TeamOf(c.event.team);
      return;
    case EventType::kContactSurvey:
    case EventType::kContactEvaluated:
      return Feedback(c);
    case EventType::kContactEscalated: {
      const uint32_t contact = c.contact.contact;
      if (contact == kNoSlot) return;
      PerContact& slot = Slot(contact);
      if (slot.escalated) return;  // opened once; raises are not counted
      slot.escalated = true;
      if (contacts_.contacts()[contact].state == ContactState::kConnected) {
        Record(FindTeamKey(closed_.SegmentTeam(contact)), c, TeamTally{.escalated = 1});
      }
      return;
    }
    default:
      return Lifecycle(c);
  }
}

void TeamsModel::OnContactClosed(uint32_t contact, int64_t) {
  if (contact < by_contact_.size()) by_contact_[contact] = PerContact{};
}

void TeamsModel::Tick(int64_t now_ms) {
  for (Team& t : teams_) t.windows.Advance(now_ms, *zone_);
}

const TeamTally& TeamsModel::WindowTally(uint32_t team, size_t window) const {
  return WindowOf(teams_[team].windows, config_.windows, window, zero_);
}

}  // namespace floorwatch
