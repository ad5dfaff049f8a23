#include "floorwatch/core/models/staffing_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "floorwatch/core/figures.h"

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr MeasureDef kMeasures[] = {
    {"required_agents", false, MeasureUnit::kCount},
    {"staffed_agents", false, MeasureUnit::kCount},
    {"staffing_gap_agents", false, MeasureUnit::kCount},
    {"estimated_wait_seconds", false, MeasureUnit::kSeconds},
    {"agent_slots_total", false, MeasureUnit::kCount},
    {"agent_slots_used", false, MeasureUnit::kCount},
};

bool SameGoal(const erlang_c::Goal& a, const erlang_c::Goal& b) {
  return a.threshold_seconds == b.threshold_seconds && a.target == b.target &&
         a.max_occupancy == b.max_occupancy && a.concurrency == b.concurrency;
}

// With W contacts waiting, F free slots and S slots: a contact joining now is answered at
// once while a free slot is left for it; otherwise it waits for W - F + 1 contacts to end
// before it, and S slots finish one every AHT / S seconds on average.
double EstimatedWait(int64_t waiting, int64_t free_slots, int64_t slots, double aht_seconds) {
  if (free_slots > waiting) return 0;
  if (slots == 0 || std::isnan(aht_seconds)) return kNaN;
  return static_cast<double>(waiting - free_slots + 1) * aht_seconds / static_cast<double>(slots);
}

}  // namespace

StaffingModel::StaffingModel(const Config&, const QueueDirectory& directory,
                             const IntakeModel& intake, const ContactsModel& contacts,
                             const ServiceLevelModel& service_level, const AgentsModel& agents)
    : directory_(directory),
      intake_(intake),
      contacts_(contacts),
      service_level_(service_level),
      agents_(agents) {}

bool StaffingModel::Load(BinaryReader&, uint32_t, const LoadContext&) {
  ++generation_;  // the models it reads were just restored
  return true;
}

const StaffingFigures& StaffingModel::Figures(uint32_t queue_channel) const {
  if (!cached_ || cached_generation_ != generation_ || cached_applied_ != intake_.stats().applied ||
      figures_.size() != directory_.size()) {
    Refresh();
  }
  return figures_[queue_channel];
}

void StaffingModel::Refresh() const {
  figures_.assign(directory_.size(), StaffingFigures{});
  memo_.resize(directory_.size());
  CountAgents();
  for (uint32_t qc = 0; qc < figures_.size(); ++qc) ComputeDemand(qc, figures_[qc]);
  cached_ = true;
  cached_generation_ = generation_;
  cached_applied_ = intake_.stats().applied;
}

// One walk over the logged-in agents, adding each to every queue/channel of its queues where
// it has slots (an agent in several queues counts in each).
void StaffingModel::CountAgents() const {
  agents_.agents().ForEach([&](uint32_t, const Agent& a) {
    if (a.state == AgentState::kNotReady) return;
    const ContactsModel::ChannelCounts* connected = contacts_.ConnectedTo(a.id_hash);
    const bool can_take_more = a.state != AgentState::kAcw;
    for (uint32_t q : a.queues) {
      const Queue& queue = directory_.queues()[q];
      for (int ch = 0; ch < kChannelCount; ++ch) {
        const uint32_t qc = queue.channels[ch];
        if (qc == kNoSlot) continue;
        const int64_t slots = a.capacity[ch] == Agent::kNoCapacity
                                  ? directory_[qc].settings.concurrency
                                  : int64_t{a.capacity[ch]};
        if (slots <= 0) continue;
        const int64_t used = connected ? int64_t{(*connected)[ch]} : 0;
        StaffingFigures& f = figures_[qc];
        ++f.staffed_agents;
        f.slots += slots;
        f.used_slots += used;
        if (can_take_more) f.free_slots += std::max<int64_t>(0, slots - used);
      }
    }
  });
}

void StaffingModel::ComputeDemand(uint32_t qc, StaffingFigures& f) const {
  const ChannelSettings& s = directory_[qc].settings;
  f.waiting = contacts_.waiting(qc);
  if (s.staffing_window == kNoWindow) {
    f.arrivals_per_second = f.aht_seconds = f.load_erlangs = f.required_agents = kNaN;
  } else {
    const Tally& t = service_level_.WindowTally(qc, s.staffing_window);
    f.offered = t.offered;
    f.arrivals_per_second = static_cast<double>(t.offered) / s.staffing_window_seconds;
    const double aht = ComputeFigures(t, s.formula).aht_seconds;
    f.aht_seconds = aht > 0 ? aht : kNaN;  // an AHT of 0 is no AHT
    f.load_erlangs = f.arrivals_per_second * f.aht_seconds;
    f.required_agents = Required(qc, f.arrivals_per_second, f.aht_seconds, GoalOf(s));
  }
  f.gap_agents = f.required_agents - static_cast<double>(f.staffed_agents);
  f.estimated_wait_seconds = EstimatedWait(f.waiting, f.free_slots, f.slots, f.aht_seconds);
}

double StaffingModel::Required(uint32_t qc, double arrivals, double aht,
                               const erlang_c::Goal& goal) const {
  Memo& m = memo_[qc];
  // NaN never equals itself, so a NaN AHT is simply recomputed (which is cheap: no search).
  if (m.arrivals_per_second == arrivals && m.aht_seconds == aht && SameGoal(m.goal, goal)) {
    return m.required_agents;
  }
  m = Memo{arrivals, aht, goal, erlang_c::RequiredAgents(arrivals, aht, goal)};
  return m.required_agents;
}

std::span<const MeasureDef> StaffingModel::MeasureDefs() { return kMeasures; }

Reading StaffingModel::Measure(size_t measure, uint32_t qc, size_t, int64_t) const {
  const StaffingFigures& f = Figures(qc);
  switch (measure) {
    case 0:
      return {f.required_agents, f.offered};
    case 1:
      return {double(f.staffed_agents), f.waiting};
    case 2:
      return {f.gap_agents, f.offered};
    case 3:
      return {f.estimated_wait_seconds, f.waiting};
    case 4:
      return {double(f.slots), f.waiting};
    default:
      return {double(f.used_slots), f.waiting};
  }
}

}  // namespace floorwatch
