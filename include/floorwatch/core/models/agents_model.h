// Agents: who is logged in, in which state since when, in which queues, of which team and
// site, with how many contacts it takes at once per channel (agent.login `capacity`); and per
// queue the logged-in members by state (an agent in three queues counts in each), kept up
// to date as agent events arrive so that reading them costs nothing.
//
// Owns agent.login, agent.logout, agent.state and agent.queues; with unknown_teams: reject,
// an agent.login naming a team the config does not list is refused (unknown_team). Contact events
// never change an agent's state (docs/protocol.md). Figures: floorwatch_queue_agents{queue, state},
// floorwatch_agents{state}; measures agents_<state> and
// waiting_contacts_no_agent_available (read from the contacts model's view).
// Memory: limits.max_agents. Core thread only.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "floorwatch/core/model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/slot_map.h"

namespace floorwatch {

struct Agent {
  std::string id;
  uint64_t id_hash = 0;  // HashId(id): the key of ContactsModel::ConnectedTo
  AgentState state = AgentState::kNotReady;
  int64_t state_since_ms = 0;
  std::vector<uint32_t> queues;  // queue slots
  std::string team;
  std::string site;
  // Slots per channel from agent.login's `capacity` (0 for a channel the map left out), or
  // kNoCapacity everywhere when the login gave no map (then the channel's concurrency).
  static constexpr int32_t kNoCapacity = -1;
  std::array<int32_t, kChannelCount> capacity = NoCapacity();
  static constexpr std::array<int32_t, kChannelCount> NoCapacity() {
    std::array<int32_t, kChannelCount> none{};
    none.fill(kNoCapacity);
    return none;
  }
};

class AgentsModel final : public Model {
 public:
  using StateCounts = std::array<int64_t, kAgentStateCount>;

  AgentsModel(const Config& config, QueueDirectory& directory, const ContactsModel& contacts);

  std::string_view name() const override { return "agents"; }
  uint32_t version() const override { return 2; }
  void Subscribe(Subscriptions& subscriptions) override;
  ApplyResult Apply(EventContext& context) override;
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view: logged-in members of a queue (slot) by state; every agent once.
  const StateCounts& InQueue(uint32_t queue) const {
    return queue < per_queue_.size() ? per_queue_[queue] : kNone;
  }
  const StateCounts& Overall() const { return overall_; }
  const SlotMap<Agent>& agents() const { return agents_; }

 private:
  static constexpr StateCounts kNone{};
  // Adds (+1) or removes (-1) an agent from the counts, before and after it changes.
  void CountAgent(const Agent& agent, int sign);
  void SetQueues(Agent& agent, const std::vector<std::string_view>& queues);
  bool KnownTeam(std::string_view team) const;  // configured in teams:

  const Config& config_;
  QueueDirectory& directory_;
  const ContactsModel& contacts_;
  SlotMap<Agent> agents_;
  std::vector<StateCounts> per_queue_;  // by queue slot
  StateCounts overall_{};
};

}  // namespace floorwatch
