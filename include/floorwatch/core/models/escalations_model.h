// Escalations: the open escalation of each contact (tier, when it opened, the escalation
// team named when it opened, the reason), where those contacts are now, and how
// escalations ended (docs/metrics.md, "Escalations").
//
// contact.escalated opens one at `tier` (default 2); a higher tier raises it (counted again,
// at the new tier, with the raising event's reason; the opening ts and first team stay); an
// equal or lower tier changes nothing. It closes resolved when the contact's conversation
// ends (contact.ended), unresolved when the contact abandons or its slot is freed otherwise
// (expiry); a transfer moves it with the contact. Observes: the contacts model owns every
// contact event (an escalation of an unknown contact is refused there).
// Figures: floorwatch_queue_escalations_open{tier}, _oldest_escalation_seconds,
// _escalations_total{tier, reason}, outcomes escalated and escalation_resolved,
// _escalation_ratio (escalated / handled, from the service-level model's view),
// _escalation_resolution_seconds; per escalation team floorwatch_escalations_open{team,
// tier} and floorwatch_escalations_oldest_open_seconds{team}; the same per escalation team
// and per queue/channel in /api/v1/escalations (the wallboard's escalation desk).
// Memory: per open escalation and per escalation team; teams beyond limits.max_teams count
// as "other". Core thread only.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "floorwatch/core/model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/models/service_level_model.h"
#include "floorwatch/core/rolling_windows.h"
#include "floorwatch/core/slot_table.h"

namespace floorwatch {

// Escalation outcomes in a window of one queue/channel (Windows<T>).
struct EscalationTally {
  int64_t escalated = 0;      // first escalations of a contact
  int64_t resolved = 0;       // escalations closed resolved
  int64_t resolution_ms = 0;  // of those: end ts - opening ts
  static constexpr size_t kBytes = 3 * 8;
  void Add(const EscalationTally& o, int64_t sign) {
    escalated += sign * o.escalated;
    resolved += sign * o.resolved;
    resolution_ms += sign * o.resolution_ms;
  }
  void Put(BinaryWriter& w) const {
    for (int64_t v : {escalated, resolved, resolution_ms}) w.I64(v);
  }
  static EscalationTally Get(BinaryReader& r) { return {r.I64(), r.I64(), r.I64()}; }
};

class EscalationsModel final : public Model {
 public:
  EscalationsModel(const Config& config, const QueueDirectory& directory,
                   const ContactsModel& contacts, const ServiceLevelModel& service_level);

  std::string_view name() const override { return "escalations"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
  void OnQueueChannelAdded(uint32_t queue_channel) override;
  void OnContactClosed(uint32_t contact, int64_t now_ms) override;
  void Reconfigure(const Config& old) override;
  void Tick(int64_t now_ms) override;
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  void WindowOutcomes(uint32_t queue_channel, size_t window,
                      std::vector<OutcomeCount>& out) const override;
  void RenderWindowJson(JsonObject& object, uint32_t queue_channel, size_t window) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view.
  int64_t OpenIn(uint32_t queue_channel) const { return per_qc_[queue_channel].open.size(); }
  double OldestOpenSeconds(uint32_t queue_channel, int64_t now_ms) const;
  const EscalationTally& WindowTally(uint32_t queue_channel, size_t window) const;
  // Its part of /api/v1/escalations: one object (each followed by ',') per escalation team
  // an escalation ever counted for, with its open ones by tier and the age of its oldest.
  void RenderEscalationTeamsJson(std::string& out, int64_t now_ms) const;
  // An escalation is open here now, or one was opened or resolved here within a window.
  bool HasEscalations(uint32_t queue_channel) const;

 private:
  struct Open {
    int64_t tier = 0;  // 0: none open
    int64_t opened_ms = 0;
    uint32_t queue_channel = kNoSlot;
    uint32_t team = 0;  // index into team_names_
  };
  struct PerQc {
    explicit PerQc(const std::vector<int64_t>& rolling) : windows(rolling) {}
    std::map<int64_t, int64_t> open_by_tier;  // every tier seen here stays (zeros included)
    std::multiset<int64_t> open;              // opening ts of the open ones
    std::map<std::pair<int64_t, std::string>, uint64_t> total;  // (tier, reason label) -> count
    Windows<EscalationTally> windows;
  };
  struct PerTeam {
    std::map<int64_t, int64_t> open_by_tier;
    std::multiset<int64_t> open;
  };

  void Escalated(const EventContext& c);
  void Place(const Open& e, int sign);  // adds to / removes from the open figures
  void Close(uint32_t contact, int64_t ts, int64_t now, bool resolved);
  // The reason label: a configured reason, "other" for any other value, "none" when absent.
  std::string ReasonLabel(std::string_view reason) const;
  uint32_t TeamIndex(std::string_view team);
  std::vector<int64_t> RollingSeconds() const;
  void RenderOpen(MetricWriter& w, int64_t now_ms) const;
  void RenderTeams(MetricWriter& w, int64_t now_ms) const;
  void RenderWindowFigures(MetricWriter& w) const;

  const Config& config_;
  const QueueDirectory& directory_;
  const ContactsModel& contacts_;
  const ServiceLevelModel& service_level_;
  std::vector<PerQc> per_qc_;
  SlotTable<Open> by_contact_;           // open escalations, by contact slot
  std::vector<std::string> team_names_;  // "none" first
  std::vector<PerTeam> per_team_;
  EscalationTally zero_;
};

}  // namespace floorwatch
