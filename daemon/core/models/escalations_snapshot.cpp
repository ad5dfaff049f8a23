// EscalationsModel: its snapshot section "escalations", version 1:
//   u64 n + n x i64 rolling window seconds (the config it was taken under);
//   u64 t + t x str escalation team names (index 0 is "none");
//   u64 q queue/channels in the "queues" section's order, each: u64 k + k x i64 tiers seen,
//     u64 m + m x (i64 tier, str reason, u64 count), its windows (Windows<T>::Save);
//   u64 t' (= t) teams, each: u64 k + k x i64 tiers seen;
//   u64 o + o x open escalations: str contact id, i64 tier, i64 opened ts, u32 queue/channel,
//     u32 team.
// The open counts and the oldest-open order are rebuilt from the open escalations.
#include "floorwatch/core/models/escalations_model.h"

namespace floorwatch {
namespace {

void SaveTiers(BinaryWriter& w, const std::map<int64_t, int64_t>& tiers) {
  w.U64(tiers.size());
  for (const auto& [tier, unused] : tiers) w.I64(tier);
}

void LoadTiers(BinaryReader& r, std::map<int64_t, int64_t>* tiers) {
  const uint64_t n = r.Count(8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) (*tiers)[r.I64()] += 0;
}

}  // namespace

void EscalationsModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(team_names_.size());
  for (const std::string& t : team_names_) w.Str(t);
  w.U64(per_qc_.size());
  for (const PerQc& q : per_qc_) {
    SaveTiers(w, q.open_by_tier);
    w.U64(q.total.size());
    for (const auto& [key, n] : q.total) {
      w.I64(key.first);
      w.Str(key.second);
      w.U64(n);
    }
    q.windows.Save(w);
  }
  w.U64(per_team_.size());
  for (const PerTeam& t : per_team_) SaveTiers(w, t.open_by_tier);
  // In slot order, as when these were a vector by slot (entries exist for live contacts only).
  w.U64(by_contact_.size());
  const SlotMap<Contact>& contacts = contacts_.contacts();
  for (uint32_t slot = 0; slot < contacts.slot_count(); ++slot) {
    const Open* open = by_contact_.Find(slot);
    if (open == nullptr) continue;
    const Open& e = *open;
    w.Str(contacts[slot].id);
    w.I64(e.tier);
    w.I64(e.opened_ms);
    w.U32(e.queue_channel);
    w.U32(e.team);
  }
}

bool EscalationsModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
  const uint64_t teams = r.Count(4);
  for (uint64_t i = 0; i < teams && !r.failed(); ++i) TeamIndex(r.Str());
  const uint64_t n = r.Count(8 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const uint32_t index = context.Map(static_cast<uint32_t>(i));
    PerQc scratch(RollingSeconds());  // a queue this config refuses
    PerQc& q = index == kNoSlot ? scratch : per_qc_[index];
    LoadTiers(r, &q.open_by_tier);
    const uint64_t totals = r.Count(8 + 4 + 8);
    for (uint64_t k = 0; k < totals && !r.failed(); ++k) {
      const int64_t tier = r.I64();
      const std::string reason(r.Str());
      q.total[{tier, reason}] = r.U64();
    }
    if (!q.windows.Load(r, same_windows)) return false;
  }
  const uint64_t saved_teams = r.Count(8);
  for (uint64_t t = 0; t < saved_teams && !r.failed(); ++t) {
    if (t >= per_team_.size()) return false;
    LoadTiers(r, &per_team_[t].open_by_tier);
  }
  const uint64_t open = r.Count(4 + 8 + 8 + 4 + 4);
  for (uint64_t i = 0; i < open && !r.failed(); ++i) {
    const uint32_t slot = contacts_.contacts().Find(r.Str());
    Open e{r.I64(), r.I64(), context.Map(r.U32()), r.U32()};
    if (r.failed() || e.team >= per_team_.size()) return false;
    if (slot == kNoSlot || e.queue_channel == kNoSlot) continue;  // not restored: dropped
    if (e.tier == 0) continue;                                    // never saved: "none open"
    by_contact_.Get(slot) = e;
    Place(e, +1);
  }
  return !r.failed();
}

}  // namespace floorwatch
