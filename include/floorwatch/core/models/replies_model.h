// Chat responsiveness: per queue/channel, the contacts whose customer wrote and still awaits
// an agent's reply (and the age of the oldest such message), and, in rolling windows plus
// `today`, the replies and first responses with their mean times.
//
// Observes contact.message (owned by the contacts model, which refuses unknown contacts)
// and the lifecycle it depends on: contact.queued (a new conversation starts fresh and sets
// the first queued ts), contact.transferred (an open awaiting reply moves with the contact),
// contact.ended and contact.abandoned (it closes unreplied), and OnContactClosed (expiry,
// slot reuse). A customer message opens "awaiting reply" on a waiting or connected contact
// unless one is open; an agent message closes it as `replied`, and a conversation's first
// agent message counts as `first_responded`; each outcome counts at its own event's ts in
// the queue/channel where the contact then is.
// Figures: floorwatch_queue_awaiting_reply_contacts, _oldest_awaiting_reply_seconds,
// _reply_seconds, _first_response_seconds; outcomes replied and first_responded of
// floorwatch_queue_window_contacts. Measures of the same names.
//
// Invariants (checked by tests):
//  - awaiting(qc) equals the contact slots with an open awaiting reply that counts at qc.
//  - The top of a heap, if any, is a live open awaiting reply (stale entries below it are
//    dropped lazily, and the heap is compacted when they outnumber live ones).
// Memory: a record per contact with a message (SlotTable), the first queued ts per contact
// slot (FirstQueuedTimes, shared with the resolution model), heap entries at
// most max(64, 2 x open + 1) per queue/channel, window buckets as rolling_windows.h says.
// Core thread only.
#pragma once

#include <vector>

#include "floorwatch/core/first_queued.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/rolling_windows.h"
#include "floorwatch/core/slot_table.h"

namespace floorwatch {

// The windowed counts of this model, as Windows<T> wants them (rolling_windows.h).
struct ReplyTally {
  int64_t replied = 0;
  int64_t reply_ms = 0;  // of replied: reply ts - ts of the message that opened it
  int64_t first_responded = 0;
  int64_t first_response_ms = 0;  // of first_responded: first agent message ts - first queued

  static constexpr size_t kBytes = 4 * 8;
  void Add(const ReplyTally& o, int64_t sign = 1) {
    replied += sign * o.replied;
    reply_ms += sign * o.reply_ms;
    first_responded += sign * o.first_responded;
    first_response_ms += sign * o.first_response_ms;
  }
  void Put(BinaryWriter& w) const {
    for (int64_t v : {replied, reply_ms, first_responded, first_response_ms}) w.I64(v);
  }
  static ReplyTally Get(BinaryReader& r) {
    ReplyTally t;
    for (int64_t* v : {&t.replied, &t.reply_ms, &t.first_responded, &t.first_response_ms}) {
      *v = r.I64();
    }
    return t;
  }
};

class RepliesModel final : public Model {
 public:
  RepliesModel(const Config& config, const QueueDirectory& directory, const ContactsModel& contacts,
               FirstQueuedTimes& first_queued);

  std::string_view name() const override { return "replies"; }
  void Subscribe(Subscriptions& subscriptions) override;
  void Observe(const EventContext& context) override;
  void OnQueueChannelAdded(uint32_t queue_channel) override;
  void OnContactClosed(uint32_t contact, int64_t now_ms) override;
  void Reconfigure(const Config& old) override;
  void Tick(int64_t now_ms) override;
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const override;
  void WindowOutcomes(uint32_t queue_channel, size_t window,
                      std::vector<OutcomeCount>& out) const override;
  void RenderWindowJson(JsonObject& object, uint32_t queue_channel, size_t window) const override;
  std::span<const MeasureDef> measures() const override { return MeasureDefs(); }
  static std::span<const MeasureDef> MeasureDefs();
  Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                  int64_t now_ms) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // Read-only view for tests. `window` indexes Config::windows; call Tick(now) first.
  int64_t awaiting(uint32_t queue_channel) const { return per_qc_[queue_channel].open; }
  // Age in seconds at `now_ms` of the oldest unreplied customer message: 0 when none, and
  // never negative (a message stamped in the future counts as 0).
  double OldestAwaitingSeconds(uint32_t queue_channel, int64_t now_ms) const;
  const ReplyTally& WindowTally(uint32_t queue_channel, size_t window) const;
  // Heap entries kept for a queue/channel, live and stale (for the memory bound's test).
  size_t heap_size(uint32_t queue_channel) const { return per_qc_[queue_channel].heap.size(); }

 private:
  // Per contact slot, only for contacts with a message (SlotTable): a waiting contact has none.
  // `epoch` comes from one counter for all (next_epoch_), so a heap entry left behind by an
  // earlier contact of the slot can never pass for a live one.
  struct ContactReplies {
    int64_t awaiting_since_ms = 0;     // ts of the customer message that opened it
    uint32_t queue_channel = kNoSlot;  // where the open awaiting reply counts
    uint32_t epoch = 0;                // renewed whenever it opens or closes
    bool open = false;                 // a customer message awaits an agent's reply
    bool responded = false;            // this conversation had an agent message
  };
  // Its conversation's first contact.queued ts, by contact slot, for every contact (kept in
  // FirstQueuedTimes, shared with the resolution model); kUntracked when that was not seen
  // (restored from a snapshot older than this model).
  static constexpr int64_t kUntracked = INT64_MIN;
  struct HeapEntry {
    int64_t since_ms;
    uint32_t contact;
    uint32_t epoch;
  };
  // The heap order for std::push_heap and friends (they build max-heaps: invert for a min).
  static bool HeapLater(const HeapEntry& a, const HeapEntry& b) { return a.since_ms > b.since_ms; }
  struct PerQc {
    explicit PerQc(const std::vector<int64_t>& rolling_seconds) : windows(rolling_seconds) {}
    int64_t open = 0;
    std::vector<HeapEntry> heap;  // min-heap by since_ms, lazily cleaned
    Windows<ReplyTally> windows;
  };

  void Message(const EventContext& c);
  ContactReplies& Slot(uint32_t contact);  // created on demand
  void SetFirstQueued(uint32_t contact, int64_t ms);
  int64_t FirstQueued(uint32_t contact) const {
    return first_queued_.Get(contact, FirstQueuedTimes::kReplies).value_or(kUntracked);
  }
  void Open(uint32_t contact, uint32_t queue_channel, int64_t since_ms);
  void Close(uint32_t contact);  // unreplied, or the caller counts the reply
  bool Stale(const HeapEntry& entry, uint32_t queue_channel) const;
  void Clean(uint32_t queue_channel);
  void Record(uint32_t queue_channel, int64_t ts, int64_t now, const ReplyTally& delta);
  std::vector<int64_t> RollingSeconds() const;
  void RenderInstant(MetricWriter& w, int64_t now_ms) const;
  void RenderMeans(MetricWriter& w) const;
  bool LoadContacts(BinaryReader& r);

  const Config& config_;
  const QueueDirectory& directory_;
  const ContactsModel& contacts_;
  std::vector<PerQc> per_qc_;
  SlotTable<ContactReplies> per_contact_;  // contacts with a message
  FirstQueuedTimes& first_queued_;         // this model's part: by contact slot
  uint32_t next_epoch_ = 0;
  ReplyTally zero_tally_;
};

}  // namespace floorwatch
