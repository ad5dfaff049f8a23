#include "floorwatch/core/models/agents_model.h"

#include <algorithm>
#include <cassert>

namespace floorwatch {
namespace {

constexpr MeasureDef kMeasures[] = {
    {"agents_available", false, MeasureUnit::kCount},
    {"agents_on_contact", false, MeasureUnit::kCount},
    {"agents_acw", false, MeasureUnit::kCount},
    {"agents_not_ready", false, MeasureUnit::kCount},
    {"waiting_contacts_no_agent_available", false, MeasureUnit::kCount},
};

}  // namespace

AgentsModel::AgentsModel(const Config& config, QueueDirectory& directory,
                         const ContactsModel& contacts)
    : config_(config), directory_(directory), contacts_(contacts) {}

void AgentsModel::Subscribe(Subscriptions& s) {
  for (EventType t : {EventType::kAgentLogin, EventType::kAgentLogout, EventType::kAgentState,
                      EventType::kAgentQueues}) {
    s.Own(t, this);
  }
}

void AgentsModel::CountAgent(const Agent& agent, int sign) {
  const int state = static_cast<int>(agent.state);
  overall_[state] += sign;
  for (uint32_t q : agent.queues) {
    if (q >= per_queue_.size()) per_queue_.resize(q + 1);
    per_queue_[q][state] += sign;
  }
}

void AgentsModel::SetQueues(Agent& agent, const std::vector<std::string_view>& queues) {
  agent.queues.clear();
  for (std::string_view id : queues) {
    RejectReason why;
    const uint32_t q = directory_.FindOrCreateQueue(id, &why);
    // A refused queue (unknown_queues: reject, or the queue limit) is left out of the
    // agent's membership; the rest of the event still applies.
    if (q != kNoSlot &&
        std::find(agent.queues.begin(), agent.queues.end(), q) == agent.queues.end()) {
      agent.queues.push_back(q);
    }
  }
}

bool AgentsModel::KnownTeam(std::string_view team) const {
  return std::any_of(config_.teams.begin(), config_.teams.end(),
                     [&](const TeamConfig& t) { return t.id == team; });
}

ApplyResult AgentsModel::Apply(EventContext& c) {
  const Event& e = c.event;
  if (e.type == EventType::kAgentLogin && !e.team.empty() &&
      config_.unknown_teams == UnknownTeams::kReject && !KnownTeam(e.team)) {
    return ApplyResult::Rejected(RejectReason::kUnknownTeam, "team not in teams:");
  }
  uint32_t a = agents_.Find(e.agent);
  if (a == kNoSlot) {
    if (e.type == EventType::kAgentLogout) return ApplyResult::Ignored(IgnoreReason::kUnknownAgent);
    // agent.state / agent.queues from an agent we never saw log in (e.g. we restarted):
    // the agent is evidently logged in, so take it in.
    if (static_cast<int64_t>(agents_.size()) >= config_.limits.max_agents) {
      return ApplyResult::Rejected(RejectReason::kLimit, "limits.max_agents reached");
    }
    a = agents_.Insert(e.agent);
    agents_[a].id_hash = HashId(e.agent);
    agents_[a].state_since_ms = e.ts_ms;
    CountAgent(agents_[a], +1);
  }
  Agent& agent = agents_[a];
  CountAgent(agent, -1);
  switch (e.type) {
    case EventType::kAgentLogin:
      agent.state = AgentState::kNotReady;
      agent.state_since_ms = e.ts_ms;
      if (e.has_queues) SetQueues(agent, e.queues);
      agent.team.assign(e.team);
      agent.site.assign(e.site);
      agent.capacity = Agent::NoCapacity();
      // A map names the channels the agent takes: one it leaves out has no slots.
      if (e.has_capacity) {
        for (int ch = 0; ch < kChannelCount; ++ch) agent.capacity[ch] = std::max(0, e.capacity[ch]);
      }
      break;
    case EventType::kAgentLogout:
      agents_.Erase(a);
      return ApplyResult::Applied();
    case EventType::kAgentState:
      agent.state = e.state;
      agent.state_since_ms = e.ts_ms;
      break;
    case EventType::kAgentQueues:
      SetQueues(agent, e.queues);
      break;
    default:
      assert(false);
  }
  CountAgent(agent, +1);
  return ApplyResult::Applied();
}

void AgentsModel::RenderMetrics(MetricWriter& w, int64_t) const {
  std::string l;
  w.Family("floorwatch_queue_agents", "gauge",
           "Logged-in agents that are members of the queue, by state.");
  // Every queue gets all four states, zeros included.
  directory_.queues().ForEach([&](uint32_t slot, const Queue&) {
    const StateCounts& counts = InQueue(slot);
    for (int s = 0; s < kAgentStateCount; ++s) {
      l.assign(directory_.queue_label(slot)).append(",state=\"");
      l.append(kAgentStateNames[s]).append("\"");
      w.Sample("floorwatch_queue_agents", l, double(counts[s]));
    }
  });
  w.Family("floorwatch_agents", "gauge", "Logged-in agents, each counted once, by state.");
  for (int s = 0; s < kAgentStateCount; ++s) {
    l.assign("state=\"").append(kAgentStateNames[s]).append("\"");
    w.Sample("floorwatch_agents", l, double(overall_[s]));
  }
}

void AgentsModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t) const {
  const StateCounts& counts = InQueue(directory_[qc].queue);
  JsonObject agents(o.out(), "agents");
  for (int s = 0; s < kAgentStateCount; ++s) agents.Number(kAgentStateNames[s], double(counts[s]));
  agents.Close();
}

std::span<const MeasureDef> AgentsModel::MeasureDefs() { return kMeasures; }

Reading AgentsModel::Measure(size_t measure, uint32_t qc, size_t, int64_t) const {
  const StateCounts& counts = InQueue(directory_[qc].queue);
  const int64_t waiting = contacts_.waiting(qc);
  if (measure < kAgentStateCount) return {double(counts[measure]), waiting};
  const bool none = counts[static_cast<int>(AgentState::kAvailable)] == 0;
  return {none ? double(waiting) : 0.0, waiting};
}

// Snapshot section "agents". Version 2: u64 n, then n agents: str id, u8 state, i64 since,
// str team, str site, u64 k + k x str queue id, then kChannelCount x i32 capacity (-1: the
// login gave no map). Version 1: the same without the capacities (read as no map).
void AgentsModel::Save(BinaryWriter& w) const {
  w.U64(agents_.size());
  agents_.ForEach([&](uint32_t, const Agent& a) {
    w.Str(a.id);
    w.U8(static_cast<uint8_t>(a.state));
    w.I64(a.state_since_ms);
    w.Str(a.team);
    w.Str(a.site);
    w.U64(a.queues.size());
    for (uint32_t q : a.queues) w.Str(directory_.queues()[q].id);
    for (int32_t slots : a.capacity) w.U32(static_cast<uint32_t>(slots));
  });
}

bool AgentsModel::Load(BinaryReader& r, uint32_t version, const LoadContext&) {
  const size_t capacity_bytes = version >= 2 ? 4 * kChannelCount : 0;
  const uint64_t n = r.Count(4 + 1 + 8 + 4 + 4 + 8 + capacity_bytes);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const std::string_view id = r.Str();
    const uint8_t state = r.U8();
    if (state >= kAgentStateCount) r.Fail();
    Agent a;
    a.state = AgentState(state);
    a.state_since_ms = r.I64();
    a.team = std::string(r.Str());
    a.site = std::string(r.Str());
    const uint64_t queues = r.Count(4);
    for (uint64_t k = 0; k < queues && !r.failed(); ++k) {
      const uint32_t q = directory_.FindQueue(r.Str());
      if (q != kNoSlot) a.queues.push_back(q);
    }
    for (int ch = 0; ch < kChannelCount && version >= 2; ++ch) {
      a.capacity[ch] = static_cast<int32_t>(r.U32());
      if (a.capacity[ch] < Agent::kNoCapacity) r.Fail();
    }
    if (r.failed()) break;
    if (static_cast<int64_t>(agents_.size()) >= config_.limits.max_agents) continue;
    if (agents_.Find(id) != kNoSlot) return false;
    const uint32_t slot = agents_.Insert(id);
    a.id = std::string(id);
    a.id_hash = HashId(id);
    agents_[slot] = std::move(a);
    CountAgent(agents_[slot], +1);
  }
  return !r.failed();
}

}  // namespace floorwatch
