#include "floorwatch/core/models/escalations_model.h"

#include <algorithm>
#include <limits>

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr MeasureDef kMeasures[] = {
    {"escalations_open", false, MeasureUnit::kCount},
    {"oldest_escalation_seconds", false, MeasureUnit::kSeconds},
    {"escalation_ratio", true, MeasureUnit::kRatio},
    {"escalation_resolution_seconds", true, MeasureUnit::kSeconds},
};

int64_t NonNegative(int64_t ms) { return ms < 0 ? 0 : ms; }

}  // namespace

EscalationsModel::EscalationsModel(const Config& config, const QueueDirectory& directory,
                                   const ContactsModel& contacts,
                                   const ServiceLevelModel& service_level)
    : config_(config),
      directory_(directory),
      contacts_(contacts),
      service_level_(service_level),
      team_names_{"none"},
      per_team_(1) {}

void EscalationsModel::Subscribe(Subscriptions& s) {
  for (EventType t :
       {EventType::kContactEscalated, EventType::kContactTransferred, EventType::kContactQueued,
        EventType::kContactEnded, EventType::kContactAbandoned}) {
    s.Observe(t, this);
  }
}

std::vector<int64_t> EscalationsModel::RollingSeconds() const {
  return floorwatch::RollingSeconds(config_.windows);
}

void EscalationsModel::OnQueueChannelAdded(uint32_t) { per_qc_.emplace_back(RollingSeconds()); }

void EscalationsModel::Reconfigure(const Config& old) {
  if (!WindowListChanged(config_.windows, old.windows)) return;
  for (PerQc& q : per_qc_) q.windows = Windows<EscalationTally>(RollingSeconds());
}

void EscalationsModel::Tick(int64_t now_ms) {
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    per_qc_[i].windows.Advance(now_ms, *directory_.QueueOf(i).zone);
  }
}

std::string EscalationsModel::ReasonLabel(std::string_view reason) const {
  if (reason.empty()) return "none";
  for (const std::string& r : config_.outcomes.escalation_reasons) {
    if (r == reason) return r;
  }
  return "other";
}

uint32_t EscalationsModel::TeamIndex(std::string_view team) {
  if (team.empty()) return 0;
  const auto find = [&](std::string_view name) {
    const auto it = std::find(team_names_.begin(), team_names_.end(), name);
    return it == team_names_.end() ? kNoSlot : static_cast<uint32_t>(it - team_names_.begin());
  };
  const uint32_t known = find(team);
  if (known != kNoSlot) return known;
  // Bounded: past limits.max_teams names, the rest share one series, "other".
  if (static_cast<int64_t>(team_names_.size()) > config_.limits.max_teams) {
    const uint32_t other = find("other");
    if (other != kNoSlot) return other;
    team = "other";
  }
  team_names_.emplace_back(team);
  per_team_.emplace_back();
  return static_cast<uint32_t>(team_names_.size() - 1);
}

void EscalationsModel::Place(const Open& e, int sign) {
  PerQc& q = per_qc_[e.queue_channel];
  PerTeam& t = per_team_[e.team];
  q.open_by_tier[e.tier] += sign;
  t.open_by_tier[e.tier] += sign;
  if (sign > 0) {
    q.open.insert(e.opened_ms);
    t.open.insert(e.opened_ms);
  } else {
    q.open.erase(q.open.find(e.opened_ms));
    t.open.erase(t.open.find(e.opened_ms));
  }
}

void EscalationsModel::Escalated(const EventContext& c) {
  const uint32_t slot = c.contact.contact;  // the contacts model refused unknown contacts
  if (slot == kNoSlot) return;
  const Open* open = by_contact_.Find(slot);
  const int64_t tier = c.event.tier;
  if (open != nullptr && tier <= open->tier) return;  // an equal or lower tier changes nothing
  const uint32_t qc = contacts_.contacts()[slot].queue_channel;
  const uint32_t team = open == nullptr ? TeamIndex(c.event.team) : 0;
  Open& e = by_contact_.Get(slot);  // entries have a tier (> 0): absent is "none open"
  if (open == nullptr) {
    e = Open{tier, c.event.ts_ms, qc, team};
    per_qc_[qc].windows.Record(c.event.ts_ms, c.now_ms, *directory_.QueueOf(qc).zone,
                               EscalationTally{.escalated = 1});
  } else {
    Place(e, -1);  // raised: keeps its opening ts and first team, moves to the new tier
    e.tier = tier;
  }
  Place(e, +1);
  ++per_qc_[qc].total[{tier, ReasonLabel(c.event.reason)}];
}

void EscalationsModel::Close(uint32_t slot, int64_t ts, int64_t now, bool resolved) {
  Open* open = by_contact_.Find(slot);
  if (open == nullptr) return;
  Open& e = *open;
  Place(e, -1);
  if (resolved) {
    const uint32_t qc = e.queue_channel;
    per_qc_[qc].windows.Record(
        ts, now, *directory_.QueueOf(qc).zone,
        EscalationTally{.resolved = 1, .resolution_ms = NonNegative(ts - e.opened_ms)});
  }
  by_contact_.Erase(slot);
}

void EscalationsModel::Observe(const EventContext& c) {
  using Kind = ContactChange::Kind;
  if (c.event.type == EventType::kContactEscalated) return Escalated(c);
  const uint32_t slot = c.contact.contact;
  if (slot == kNoSlot) return;
  Open* open = by_contact_.Find(slot);
  if (open == nullptr) return;
  switch (c.contact.kind) {
    case Kind::kQueued:  // a new conversation: one escalated after the last one's end is over
      if (c.contact.new_contact) Close(slot, c.event.ts_ms, c.now_ms, false);
      return;
    case Kind::kTransferred:  // it moves with the contact
      Place(*open, -1);
      open->queue_channel = c.contact.queue_channel;
      Place(*open, +1);
      return;
    case Kind::kEnded:
      return Close(slot, c.event.ts_ms, c.now_ms, true);
    case Kind::kAbandoned:
      return Close(slot, c.event.ts_ms, c.now_ms, false);
    default:
      return;
  }
}

void EscalationsModel::OnContactClosed(uint32_t contact, int64_t now_ms) {
  Close(contact, now_ms, now_ms, false);  // expired, or gone another way: unresolved
}

double EscalationsModel::OldestOpenSeconds(uint32_t qc, int64_t now_ms) const {
  const auto& open = per_qc_[qc].open;
  if (open.empty() || now_ms <= *open.begin()) return 0;
  return double(now_ms - *open.begin()) / 1000.0;
}

const EscalationTally& EscalationsModel::WindowTally(uint32_t qc, size_t window) const {
  return WindowOf(per_qc_[qc].windows, config_.windows, window, zero_);
}

std::span<const MeasureDef> EscalationsModel::MeasureDefs() { return kMeasures; }

Reading EscalationsModel::Measure(size_t measure, uint32_t qc, size_t window,
                                  int64_t now_ms) const {
  const int64_t open = OpenIn(qc);
  if (measure == 0) return {double(open), open};
  if (measure == 1) return {OldestOpenSeconds(qc, now_ms), open};
  const EscalationTally& t = WindowTally(qc, window);
  if (measure == 2) {
    const int64_t handled = service_level_.WindowTally(qc, window).handled;
    return {handled == 0 ? kNaN : double(t.escalated) / double(handled), handled};
  }
  return {t.resolved == 0 ? kNaN : double(t.resolution_ms) / 1000.0 / double(t.resolved),
          t.resolved};
}

}  // namespace floorwatch
