// Customers: who came back. Remembers each customer's latest new contact and latest
// escalation (by a 64-bit hash of the `customer` id of contact.queued), so that a new contact
// is a repeat when the same customer had another new contact within outcomes.repeat_window
// before it, and a contact's first escalation is a repeat escalation when the customer had
// an escalation opened within that window before it (docs/metrics.md, "Repeat contacts").
//
// A contact is new when it enters by contact.queued (ContactChange::new_contact), not by a
// transfer; without `customer` nothing is a repeat. Observes contact.queued and
// contact.escalated (owned by the contacts model). Figures: floorwatch_queue_repeat_contacts_
// total, outcomes repeat and repeat_escalated, floorwatch_queue_repeat_ratio (repeat / new
// contacts), floorwatch_outcomes_forgotten_total{kind="customer"}.
// Memory: at most limits.max_customers remembered, 20 bytes each in a table 4/5 full at the
// limit, and 16 more (a slot of a second table) for each that had an escalation
// (docs/performance.md); past it the one touched longest ago (to the second) is
// forgotten first (counted); one idle for longer than repeat_window is dropped at Tick (it
// could not make anything a repeat). Core thread only.
#pragma once

#include <vector>

#include "floorwatch/core/aged_memory.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/models/resolution_model.h"
#include "floorwatch/core/models/service_level_model.h"
#include "floorwatch/core/rolling_windows.h"

namespace floorwatch {

// Only repeats are counted here: new contacts in a window are offered - transferred in
// (the service-level and resolution models' views), so a plain new contact costs no
// window update of this model.
struct CustomerTally {
  int64_t repeat = 0;
  int64_t repeat_escalated = 0;
  static constexpr size_t kBytes = 2 * 8;
  void Add(const CustomerTally& o, int64_t sign) {
    repeat += sign * o.repeat;
    repeat_escalated += sign * o.repeat_escalated;
  }
  void Put(BinaryWriter& w) const {
    w.I64(repeat);
    w.I64(repeat_escalated);
  }
  static CustomerTally Get(BinaryReader& r) { return {r.I64(), r.I64()}; }
};

class CustomersModel final : public Model {
 public:
  CustomersModel(const Config& config, const QueueDirectory& directory,
                 const ContactsModel& contacts, const ServiceLevelModel& service_level,
                 const ResolutionModel& resolution);

  std::string_view name() const override { return "customers"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
  void OnQueueChannelAdded(uint32_t queue_channel) override;
  void OnContactClosed(uint32_t contact, int64_t now_ms) override;
  void Reconfigure(const Config& old) override;
  void Tick(int64_t now_ms) override;
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void WindowOutcomes(uint32_t queue_channel, size_t window,
                      std::vector<OutcomeCount>& out) const override;
  void RenderWindowJson(JsonObject& object, uint32_t queue_channel, size_t window) const override;
  void ForgottenCounts(std::vector<OutcomeCount>& out) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  uint32_t version() const override { return 2; }
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view.
  size_t remembered() const { return customers_.size(); }
  size_t remembered_escalations() const { return escalations_.size(); }
  uint64_t forgotten() const { return customers_.forgotten(); }
  const CustomerTally& WindowTally(uint32_t queue_channel, size_t window) const;
  // New contacts in the window: offered - transferred in.
  int64_t NewContacts(uint32_t queue_channel, size_t window) const;

 private:
  // 12 bytes (20 with its key in the table): the age stamp (AgedMemory), the ts of the
  // customer's latest new contact to the millisecond in 48 bits (ts within +-4,400 years of
  // 1970; beyond, they saturate), and whether it has an entry in `escalations_`.
  struct Customer {
    uint32_t stamp = 0;
    uint32_t contact_lo = 0;
    uint16_t contact_hi = 0;  // 0 and 0: none
    uint16_t escalated = 0;   // 1: escalations_ holds its latest first escalation
    int64_t last_contact_ms() const { return Unpack(contact_lo, contact_hi); }
    void set_last_contact_ms(int64_t ms) { Pack(ms, &contact_lo, &contact_hi); }
    static int64_t Unpack(uint32_t lo, uint16_t hi);
    static void Pack(int64_t ms, uint32_t* lo, uint16_t* hi);
  };
  // The ts of a customer's latest first escalation (48 bits, as above), for the few
  // customers that have one: kept out of Customer, which every remembered customer pays for.
  struct Escalation {
    uint32_t lo = 0;
    uint16_t hi = 0;
  };
  struct PerQc {
    explicit PerQc(const std::vector<int64_t>& rolling) : windows(rolling) {}
    uint64_t repeat_total = 0;
    Windows<CustomerTally> windows;
  };

  void NewContact(const EventContext& c);
  void Escalated(const EventContext& c);
  Customer& Touch(uint64_t customer, int64_t now_ms) {  // finds or remembers it
    return customers_.Touch(customer, now_ms, config_.limits.max_customers, EraseEscalation{this});
  }
  // A customer forgotten or expired takes its escalation ts with it.
  struct EraseEscalation {
    CustomersModel* model;
    void operator()(uint64_t customer, const Customer& c) const {
      if (c.escalated != 0) model->escalations_.Erase(customer);
    }
  };
  int64_t LastEscalationMs(uint64_t customer, const Customer& c) const;
  void SetLastEscalationMs(uint64_t customer, Customer& c, int64_t ms);
  void Record(uint32_t qc, const EventContext& c, const CustomerTally& delta);
  bool WithinWindow(int64_t earlier_ms, int64_t ts_ms) const;
  std::vector<int64_t> RollingSeconds() const;

  const Config& config_;
  const QueueDirectory& directory_;
  const ContactsModel& contacts_;
  const ServiceLevelModel& service_level_;
  const ResolutionModel& resolution_;
  AgedMemory<Customer> customers_;
  // Invariant: holds exactly the remembered customers whose `escalated` is 1.
  HashTable<Escalation> escalations_;
  // By contact slot, 8 bytes and a bit a slot (a pair of them would be 16 bytes): its
  // customer's hash (0: none given) and whether its first escalation was seen.
  std::vector<uint64_t> customer_of_;
  std::vector<bool> escalated_;
  void SetContact(uint32_t slot, uint64_t customer, bool escalated);
  std::vector<PerQc> per_qc_;
  CustomerTally zero_;
};

}  // namespace floorwatch
