// ConnectMapper::Save / Load: the contacts in their order of first appearance, then the agents.
// Version 1: u8 1, u64 n, n x {str contactId, str published id, u8 stage, str queue,
// u8 channel, i64 last record ts}, u64 m, m x {str id, u8 logged_in, u8 published_state,
// u8 state, str reason, u64 k, k x str queue}.
#include "floorwatch/bridge/core/connect_mapper.h"

namespace floorwatch::bridge {
namespace {
constexpr uint8_t kVersion = 1;
}  // namespace

void ConnectMapper::Save(BinaryWriter& w) const {
  w.U8(kVersion);
  w.U64(contacts_.size());
  contacts_.ForEachOldestFirst([&](const std::string& id, const Contact& c) {
    w.Str(id);
    w.Str(c.published);
    w.U8(static_cast<uint8_t>(c.stage));
    w.Str(c.queue);
    w.U8(static_cast<uint8_t>(c.channel));
    w.I64(c.last_ts_ms);
  });
  w.U64(agents_.size());
  for (const auto& [id, a] : agents_) {
    w.Str(id);
    w.U8(a.logged_in);
    w.U8(a.published_state);
    w.U8(static_cast<uint8_t>(a.state));
    w.Str(a.reason);
    w.U64(a.queues.size());
    for (const std::string& q : a.queues) w.Str(q);
  }
}

bool ConnectMapper::Load(BinaryReader& r) {
  if (r.U8() != kVersion) return false;
  RecentMap<Contact> contacts;
  const uint64_t n = r.Count(4 + 4 + 1 + 4 + 1 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    std::string id(r.Str());
    Contact c;
    c.published.assign(r.Str());
    const uint8_t stage = r.U8();
    if (stage > static_cast<uint8_t>(Stage::kHandedOver)) r.Fail();
    c.stage = static_cast<Stage>(stage);
    c.queue.assign(r.Str());
    const uint8_t channel = r.U8();
    if (channel >= kChannelCount) r.Fail();
    c.channel = static_cast<Channel>(channel);
    c.last_ts_ms = r.I64();
    if (!contacts.Append(std::move(id), std::move(c))) r.Fail();  // each contactId once
  }
  std::map<std::string, Agent> agents;
  const uint64_t m = r.Count(4 + 1 + 1 + 1 + 4 + 8);
  for (uint64_t i = 0; i < m && !r.failed(); ++i) {
    std::string id(r.Str());
    Agent a;
    a.logged_in = r.U8() != 0;
    a.published_state = r.U8() != 0;
    const uint8_t state = r.U8();
    if (state >= kAgentStateCount) r.Fail();
    a.state = static_cast<AgentState>(state);
    a.reason.assign(r.Str());
    const uint64_t k = r.Count(4);
    for (uint64_t j = 0; j < k && !r.failed(); ++j) a.queues.emplace_back(r.Str());
    agents[std::move(id)] = std::move(a);
  }
  if (r.failed()) return false;
  contacts_ = std::move(contacts);
  agents_ = std::move(agents);
  return true;
}

}  // namespace floorwatch::bridge
