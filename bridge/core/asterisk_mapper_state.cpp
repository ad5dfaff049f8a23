// AsteriskMapper::Save / Load: the calls in their order of first appearance, then the agents.
// Version 1: u8 1, u64 n, n x {str callid, u32 entries, u8 state, str queue, str agent,
// i64 last record ts},
// u64 m, m x {str id, u8 logged_in, u8 paused, str pause reason, u64 k, k x str queue}.
// Agents' call counts are derived from the calls, not saved.
#include "floorwatch/bridge/core/asterisk_mapper.h"

namespace floorwatch::bridge {
namespace {
constexpr uint8_t kVersion = 1;
}  // namespace

void AsteriskMapper::Save(BinaryWriter& w) const {
  w.U8(kVersion);
  w.U64(calls_.size());
  calls_.ForEachOldestFirst([&](const std::string& callid, const Call& c) {
    w.Str(callid);
    w.U32(c.entries);
    w.U8(static_cast<uint8_t>(c.state));
    w.Str(c.queue);
    w.Str(c.agent);
    w.I64(c.last_ts_ms);
  });
  w.U64(agents_.size());
  for (const auto& [id, a] : agents_) {
    w.Str(id);
    w.U8(a.logged_in);
    w.U8(a.paused);
    w.Str(a.pause_reason);
    w.U64(a.queues.size());
    for (const std::string& q : a.queues) w.Str(q);
  }
}

bool AsteriskMapper::Load(BinaryReader& r) {
  if (r.U8() != kVersion) return false;
  RecentMap<Call> calls;
  const uint64_t n = r.Count(4 + 4 + 1 + 4 + 4 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    std::string callid(r.Str());
    Call c;
    c.entries = r.U32();
    const uint8_t state = r.U8();
    if (state > static_cast<uint8_t>(CallState::kOver)) r.Fail();
    c.state = static_cast<CallState>(state);
    c.queue.assign(r.Str());
    c.agent.assign(r.Str());
    c.last_ts_ms = r.I64();
    if (!calls.Append(std::move(callid), std::move(c))) r.Fail();  // each callid once
  }
  std::map<std::string, Agent> agents;
  const uint64_t m = r.Count(4 + 1 + 1 + 4 + 8);
  for (uint64_t i = 0; i < m && !r.failed(); ++i) {
    std::string id(r.Str());
    Agent a;
    a.logged_in = r.U8() != 0;
    a.paused = r.U8() != 0;
    a.pause_reason.assign(r.Str());
    const uint64_t k = r.Count(4);
    for (uint64_t j = 0; j < k && !r.failed(); ++j) a.queues.emplace_back(r.Str());
    agents[std::move(id)] = std::move(a);
  }
  if (r.failed()) return false;
  calls.ForEachOldestFirst([&](const std::string&, const Call& c) {
    if (c.state != CallState::kConnected) return;
    const auto a = agents.find(c.agent);
    if (a != agents.end()) ++a->second.calls;
  });
  calls_ = std::move(calls);
  agents_ = std::move(agents);
  return true;
}

}  // namespace floorwatch::bridge
