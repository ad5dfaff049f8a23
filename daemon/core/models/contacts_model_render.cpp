// ContactsModel: its part of /metrics and /api/v1/queues.
#include "floorwatch/core/models/contacts_model.h"

namespace floorwatch {

void ContactsModel::RenderMetrics(MetricWriter& w, int64_t now_ms) const {
  const auto& labels = directory_.labels();
  w.Family("floorwatch_queue_waiting_contacts", "gauge", "Contacts waiting now.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_waiting_contacts", labels[i], double(per_qc_[i].waiting));
  }
  w.Family("floorwatch_queue_oldest_wait_seconds", "gauge",
           "Age of the oldest waiting contact (scrape time - queued ts); 0 when none.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_oldest_wait_seconds", labels[i], OldestWaitSeconds(i, now_ms));
  }
  w.Family("floorwatch_queue_active_contacts", "gauge",
           "Contacts connected to an agent, not yet ended.");
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    w.Sample("floorwatch_queue_active_contacts", labels[i], double(per_qc_[i].active));
  }
  w.Family("floorwatch_contacts", "gauge", "Contacts held in memory, by state.");
  std::array<int64_t, 3> by_state{};
  contacts_.ForEach([&](uint32_t, const Contact& c) { ++by_state[static_cast<int>(c.state)]; });
  static constexpr const char* kStates[] = {"state=\"waiting\"", "state=\"connected\"",
                                            "state=\"ended\""};
  for (int s = 0; s < 3; ++s) w.Sample("floorwatch_contacts", kStates[s], double(by_state[s]));
  w.Single("floorwatch_contacts_expired_total", "counter",
           "Contacts dropped after limits.contact_ttl or limits.wrap_timeout without an event.",
           double(expired_));
}

void ContactsModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t now_ms) const {
  o.Number("waiting_contacts", double(per_qc_[qc].waiting));
  o.Number("oldest_wait_seconds", OldestWaitSeconds(qc, now_ms));
  o.Number("active_contacts", double(per_qc_[qc].active));
}

}  // namespace floorwatch
