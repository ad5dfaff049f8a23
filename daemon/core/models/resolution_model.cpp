#include "floorwatch/core/models/resolution_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace floorwatch {
namespace {

using Kind = ContactChange::Kind;

int64_t NonNegative(int64_t ms) { return ms < 0 ? 0 : ms; }  // clock skew counts as 0

constexpr MeasureDef kMeasures[] = {
    {"resolution_seconds", true, MeasureUnit::kSeconds},
    {"resolved_contacts", true, MeasureUnit::kCount},
    {"transferred_in_contacts", true, MeasureUnit::kCount},
};

}  // namespace

double ResolutionCounts::MeanResolutionSeconds() const {
  if (resolved == 0) return std::numeric_limits<double>::quiet_NaN();
  return double(resolution_ms) / 1000.0 / double(resolved);
}

ResolutionModel::ResolutionModel(const Config& config, const QueueDirectory& directory,
                                 const ContactsModel& contacts, FirstQueuedTimes& first_queued)
    : config_(config), directory_(directory), contacts_(contacts), first_queued_(first_queued) {}

void ResolutionModel::Subscribe(Subscriptions& s) {
  for (EventType t : {EventType::kContactQueued, EventType::kContactAbandoned,
                      EventType::kContactTransferred, EventType::kContactEnded}) {
    s.Observe(t, this);
  }
}

std::vector<int64_t> ResolutionModel::RollingSeconds() const {
  return floorwatch::RollingSeconds(config_.windows);
}

void ResolutionModel::OnQueueChannelAdded(uint32_t) { per_qc_.emplace_back(RollingSeconds()); }

void ResolutionModel::OnContactClosed(uint32_t contact, int64_t) {
  // The slot goes to another contact next: it must not inherit this one's first ts.
  first_queued_.Clear(contact, FirstQueuedTimes::kResolution);
}

void ResolutionModel::Reconfigure(const Config& old) {
  const bool windows_changed = WindowListChanged(config_.windows, old.windows);
  // As the service-level windows do: they restart only if the window list changed.
  if (!windows_changed) return;
  const std::vector<int64_t> seconds = RollingSeconds();
  for (Outcomes& o : per_qc_) o.windows = Windows<ResolutionCounts>(seconds);
}

void ResolutionModel::Tick(int64_t now_ms) {
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    per_qc_[i].windows.Advance(now_ms, *directory_.QueueOf(i).zone);
  }
}

void ResolutionModel::Record(uint32_t qc, int64_t ts, int64_t now, const ResolutionCounts& d) {
  per_qc_[qc].windows.Record(ts, now, *directory_.QueueOf(qc).zone, d);
}

void ResolutionModel::StartConversation(uint32_t slot, int64_t ts) {
  if (ts == kUnknown) return first_queued_.Clear(slot, FirstQueuedTimes::kResolution);
  first_queued_.Set(slot, FirstQueuedTimes::kResolution, ts);
}

int64_t ResolutionModel::EndConversation(uint32_t slot, int64_t ts) {
  // Unknown only for a contact restored from a snapshot taken before this model existed:
  // its entry into the current queue is the best start known (a lower bound).
  const int64_t first = FirstQueuedMs(slot).value_or(contacts_.contacts()[slot].queued_ms);
  first_queued_.Clear(slot, FirstQueuedTimes::kResolution);
  return NonNegative(ts - first);
}

void ResolutionModel::Observe(const EventContext& c) {
  const ContactChange& change = c.contact;
  const int64_t ts = c.event.ts_ms;
  switch (change.kind) {
    case Kind::kQueued:
      if (change.new_contact) StartConversation(change.contact, ts);
      return;
    case Kind::kTransferred:
      // The first queued ts stays: resolution runs across transfers.
      return Record(change.queue_channel, ts, c.now_ms, ResolutionCounts{.transferred_in = 1});
    case Kind::kAbandoned:
      ++per_qc_[change.queue_channel]
            .abandoned_by_reason[static_cast<size_t>(c.event.abandon_reason)];
      // Its conversation is over even if the slot lives on for pending wraps.
      first_queued_.Clear(change.contact, FirstQueuedTimes::kResolution);
      return;
    case Kind::kEnded:
      return Record(
          change.queue_channel, ts, c.now_ms,
          ResolutionCounts{.resolved = 1, .resolution_ms = EndConversation(change.contact, ts)});
    default:
      return;
  }
}

const ResolutionCounts& ResolutionModel::WindowCounts(uint32_t qc, size_t window) const {
  return WindowOf(per_qc_[qc].windows, config_.windows, window, zero_);
}

std::span<const MeasureDef> ResolutionModel::MeasureDefs() { return kMeasures; }

Reading ResolutionModel::Measure(size_t measure, uint32_t qc, size_t window, int64_t) const {
  if (window >= config_.windows.size()) return {std::numeric_limits<double>::quiet_NaN(), 0};
  const ResolutionCounts& w = WindowCounts(qc, window);
  switch (measure) {
    case 0:
      return {w.MeanResolutionSeconds(), w.resolved};
    case 1:
      return {double(w.resolved), w.resolved};
    default:
      return {double(w.transferred_in), w.transferred_in};
  }
}

// Snapshot section "resolution", version 1: u64 n + n x i64 rolling window seconds (the
// config it was taken under), u64 queue/channels, then per queue/channel in the "queues"
// section's order: u64 r + r x i64 abandoned by reason (kAbandonReasonNames order; a later
// build with more reasons reads the first r), its windows (Windows::Save); then u64 k +
// k x (str contact id, i64 first queued ts) for the contacts whose conversation is open.
void ResolutionModel::Save(BinaryWriter& w) const {
  PutRollingSeconds(w, config_.windows);
  w.U64(per_qc_.size());
  for (const Outcomes& o : per_qc_) {
    w.U64(o.abandoned_by_reason.size());
    for (int64_t n : o.abandoned_by_reason) w.I64(n);
    o.windows.Save(w);
  }
  const SlotMap<Contact>& contacts = contacts_.contacts();
  uint64_t open = 0;
  const uint32_t slots = static_cast<uint32_t>(first_queued_.slot_count());
  for (uint32_t s = 0; s < slots; ++s) open += FirstQueuedMs(s).has_value() && contacts.InUse(s);
  w.U64(open);
  for (uint32_t s = 0; s < slots; ++s) {
    const std::optional<int64_t> first = FirstQueuedMs(s);
    if (!first || !contacts.InUse(s)) continue;
    w.Str(contacts[s].id);
    w.I64(*first);
  }
}

bool ResolutionModel::LoadOutcomes(BinaryReader& r, Outcomes& o, bool same_windows) {
  const uint64_t reasons = r.Count(8);
  for (uint64_t k = 0; k < reasons && !r.failed(); ++k) {
    const int64_t n = r.I64();
    if (k < o.abandoned_by_reason.size()) o.abandoned_by_reason[k] = n;
  }
  return o.windows.Load(r, same_windows);
}

bool ResolutionModel::Load(BinaryReader& r, uint32_t, const LoadContext& context) {
  const bool same_windows = ReadSameRollingSeconds(r, config_.windows);
  const uint64_t n = r.Count(8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const uint32_t index = context.Map(static_cast<uint32_t>(i));
    Outcomes scratch(RollingSeconds());  // reads a queue this config refuses
    if (!LoadOutcomes(r, index == kNoSlot ? scratch : per_qc_[index], same_windows)) return false;
  }
  const uint64_t open = r.Count(4 + 8);
  for (uint64_t i = 0; i < open && !r.failed(); ++i) {
    const std::string_view id = r.Str();
    const int64_t first = r.I64();
    // Slots differ after a restore; a contact the contacts model dropped has none.
    const uint32_t slot = contacts_.contacts().Find(id);
    if (!r.failed() && slot != kNoSlot) StartConversation(slot, first);
  }
  return !r.failed();
}

}  // namespace floorwatch
