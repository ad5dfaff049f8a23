#include "floorwatch/core/models/customers_model.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace floorwatch {
namespace {

constexpr MeasureDef kMeasures[] = {{"repeat_ratio", true, MeasureUnit::kRatio}};

uint64_t HashCustomer(std::string_view id) { return MemoryKey(HashId(id)); }  // never 0

// The 48 bits hold ms + 2^47; 0 stands for none (INT64_MIN).
constexpr int64_t kBias = int64_t{1} << 47;

}  // namespace

int64_t CustomersModel::Customer::Unpack(uint32_t lo, uint16_t hi) {
  const int64_t biased = (int64_t{hi} << 32) | lo;
  return biased == 0 ? INT64_MIN : biased - kBias;
}

void CustomersModel::Customer::Pack(int64_t ms, uint32_t* lo, uint16_t* hi) {
  const uint64_t biased =
      ms == INT64_MIN ? 0 : uint64_t(std::clamp(ms, 1 - kBias, kBias - 1) + kBias);
  *lo = static_cast<uint32_t>(biased);
  *hi = static_cast<uint16_t>(biased >> 32);
}

int64_t CustomersModel::LastEscalationMs(uint64_t customer, const Customer& c) const {
  if (c.escalated == 0) return INT64_MIN;
  const Escalation* e = escalations_.Find(customer);
  assert(e != nullptr && "a customer marked escalated has its escalation ts");
  return Customer::Unpack(e->lo, e->hi);
}

void CustomersModel::SetLastEscalationMs(uint64_t customer, Customer& c, int64_t ms) {
  if (ms == INT64_MIN) return;  // none: nothing to keep
  Escalation& e = escalations_[customer];
  Customer::Pack(ms, &e.lo, &e.hi);
  c.escalated = 1;
}

CustomersModel::CustomersModel(const Config& config, const QueueDirectory& directory,
                               const ContactsModel& contacts,
                               const ServiceLevelModel& service_level,
                               const ResolutionModel& resolution)
    : config_(config),
      directory_(directory),
      contacts_(contacts),
      service_level_(service_level),
      resolution_(resolution) {}

void CustomersModel::Subscribe(Subscriptions& s) {
  s.Observe(EventType::kContactQueued, this);
  s.Observe(EventType::kContactEscalated, this);
}

std::vector<int64_t> CustomersModel::RollingSeconds() const {
  return floorwatch::RollingSeconds(config_.windows);
}

void CustomersModel::OnQueueChannelAdded(uint32_t) { per_qc_.emplace_back(RollingSeconds()); }

void CustomersModel::Reconfigure(const Config& old) {
  if (WindowListChanged(config_.windows, old.windows)) {
    for (PerQc& q : per_qc_) q.windows = Windows<CustomerTally>(RollingSeconds());
  }
}

void CustomersModel::SetContact(uint32_t slot, uint64_t customer, bool escalated) {
  if (slot >= customer_of_.size()) {
    // Grown on demand; slots are dense (reused), so this stops growing at the peak.
    customer_of_.resize(slot + 1, 0);
    escalated_.resize(slot + 1, false);
  }
  customer_of_[slot] = customer;
  escalated_[slot] = escalated;
}

void CustomersModel::OnContactClosed(uint32_t contact, int64_t) {
  if (contact < customer_of_.size()) SetContact(contact, 0, false);
}

bool CustomersModel::WithinWindow(int64_t earlier_ms, int64_t ts_ms) const {
  return earlier_ms != INT64_MIN && earlier_ms <= ts_ms &&
         ts_ms - earlier_ms <= config_.outcomes.repeat_window_ms;
}

void CustomersModel::Record(uint32_t qc, const EventContext& c, const CustomerTally& delta) {
  per_qc_[qc].windows.Record(c.event.ts_ms, c.now_ms, *directory_.QueueOf(qc).zone, delta);
}

void CustomersModel::NewContact(const EventContext& c) {
  const uint32_t slot = c.contact.contact;
  // Without a customer nothing is a repeat.
  const uint64_t customer = c.event.customer.empty() ? 0 : HashCustomer(c.event.customer);
  SetContact(slot, customer, false);
  if (customer == 0) return;
  Customer& known = Touch(customer, c.now_ms);
  if (WithinWindow(known.last_contact_ms(), c.event.ts_ms)) {
    ++per_qc_[c.contact.queue_channel].repeat_total;
    Record(c.contact.queue_channel, c, CustomerTally{.repeat = 1});
  }
  known.set_last_contact_ms(std::max(known.last_contact_ms(), c.event.ts_ms));
}

void CustomersModel::Escalated(const EventContext& c) {
  const uint32_t slot = c.contact.contact;
  if (slot == kNoSlot || slot >= customer_of_.size()) return;  // no new contact seen
  if (escalated_[slot]) return;                                // only a contact's first escalation
  escalated_[slot] = true;
  const uint64_t customer = customer_of_[slot];
  if (customer == 0) return;
  Customer& known = Touch(customer, c.now_ms);
  const int64_t last_ms = LastEscalationMs(customer, known);
  if (WithinWindow(last_ms, c.event.ts_ms)) {
    Record(contacts_.contacts()[slot].queue_channel, c, CustomerTally{.repeat_escalated = 1});
  }
  SetLastEscalationMs(customer, known, std::max(last_ms, c.event.ts_ms));
}

void CustomersModel::Observe(const EventContext& c) {
  if (c.event.type == EventType::kContactEscalated) return Escalated(c);
  if (c.contact.kind == ContactChange::Kind::kQueued && c.contact.new_contact) NewContact(c);
}

void CustomersModel::Tick(int64_t now_ms) {
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    per_qc_[i].windows.Advance(now_ms, *directory_.QueueOf(i).zone);
  }
  // Customers idle for longer than the repeat window cannot make anything a repeat.
  customers_.DropOlderThan(now_ms - config_.outcomes.repeat_window_ms, EraseEscalation{this});
}

const CustomerTally& CustomersModel::WindowTally(uint32_t qc, size_t window) const {
  return WindowOf(per_qc_[qc].windows, config_.windows, window, zero_);
}

std::span<const MeasureDef> CustomersModel::MeasureDefs() { return kMeasures; }

int64_t CustomersModel::NewContacts(uint32_t qc, size_t window) const {
  return service_level_.WindowTally(qc, window).offered -
         resolution_.WindowCounts(qc, window).transferred_in;
}

Reading CustomersModel::Measure(size_t, uint32_t qc, size_t window, int64_t) const {
  const int64_t fresh = NewContacts(qc, window);
  const double ratio = fresh <= 0 ? std::numeric_limits<double>::quiet_NaN()
                                  : double(WindowTally(qc, window).repeat) / double(fresh);
  return {ratio, fresh};
}

}  // namespace floorwatch
