// CustomersModel: its part of /metrics and /api/v1/queues, and its snapshot section.
#include "floorwatch/core/models/customers_model.h"

namespace floorwatch {

void CustomersModel::RenderMetrics(MetricWriter& w, int64_t) const {
  const auto& labels = directory_.labels();
  w.Family("floorwatch_queue_repeat_contacts_total", "counter",
           "New contacts whose customer had another new contact within outcomes.repeat_window "
           "before.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_repeat_contacts_total", labels[i], double(per_qc_[i].repeat_total));
  }
  directory_.RenderPerWindow(
      w, "floorwatch_queue_repeat_ratio",
      "Repeat contacts / new contacts (offered - transferred in) in the window.",
      [&](uint32_t qc, size_t win) { return Measure(0, qc, win, 0).value; });
}

void CustomersModel::ForgottenCounts(std::vector<OutcomeCount>& out) const {
  out.push_back({"customer", double(customers_.forgotten())});
}

void CustomersModel::WindowOutcomes(uint32_t qc, size_t window,
                                    std::vector<OutcomeCount>& out) const {
  const CustomerTally& t = WindowTally(qc, window);
  out.push_back({"repeat", double(t.repeat)});
  out.push_back({"repeat_escalated", double(t.repeat_escalated)});
}

void CustomersModel::RenderWindowJson(JsonObject& o, uint32_t qc, size_t window) const {
  o.Number("repeat_ratio", Measure(0, qc, window, 0).value);
}

// Snapshot section "customers", version 2: u64 n + n x i64 rolling window seconds; u64
// forgotten; u64 c + c x (u64 customer hash, i64 last contact, i64 last escalation, u32
// touched: the age stamp, seconds), in no particular order; u64 q queue/channels in the
// "queues" order, each: u64 repeat total, its windows; u64 k + k x (str contact id, u64
// customer hash, u8 escalated). Version 1 had i64 touched ms, oldest first (still read).
void CustomersModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(customers_.forgotten());
  w.U64(customers_.size());
  customers_.ForEach([&](uint64_t customer, const Customer& c) {
    w.U64(customer);
    w.I64(c.last_contact_ms());
    w.I64(LastEscalationMs(customer, c));
    w.U32(c.stamp);
  });
  w.U64(per_qc_.size());
  for (const PerQc& q : per_qc_) {
    w.U64(q.repeat_total);
    q.windows.Save(w);
  }
  uint64_t kept = 0;
  for (uint32_t s = 0; s < customer_of_.size(); ++s) kept += contacts_.contacts().InUse(s);
  w.U64(kept);
  for (uint32_t s = 0; s < customer_of_.size(); ++s) {
    if (!contacts_.contacts().InUse(s)) continue;
    w.Str(contacts_.contacts()[s].id);
    w.U64(customer_of_[s]);
    w.U8(escalated_[s]);
  }
}

bool CustomersModel::Load(BinaryReader& r, uint32_t version, const LoadContext& context) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
  customers_.set_forgotten(r.U64());
  const uint64_t n = r.Count(version >= 2 ? 28 : 32);
  customers_.Reserve(n);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const uint64_t customer = r.U64();
    Customer c;
    c.set_last_contact_ms(r.I64());
    const int64_t escalation_ms = r.I64();
    c.stamp = version >= 2 ? r.U32() : AgedMemory<Customer>::StampOf(r.I64());
    if (customer == 0) continue;
    SetLastEscalationMs(customer, c, escalation_ms);
    customers_.Restore(customer, c);
  }
  const uint64_t q = r.Count(8);
  for (uint64_t i = 0; i < q && !r.failed(); ++i) {
    const uint32_t index = context.Map(static_cast<uint32_t>(i));
    PerQc scratch(RollingSeconds());
    PerQc& per = index == kNoSlot ? scratch : per_qc_[index];
    per.repeat_total = r.U64();
    if (!per.windows.Load(r, same_windows)) return false;
  }
  const uint64_t k = r.Count(4 + 8 + 1);
  for (uint64_t i = 0; i < k && !r.failed(); ++i) {
    const uint32_t slot = contacts_.contacts().Find(r.Str());
    const uint64_t customer = r.U64();
    const bool escalated = r.U8() != 0;
    if (slot == kNoSlot) continue;  // not restored
    SetContact(slot, customer, escalated);
  }
  return !r.failed();
}

}  // namespace floorwatch
