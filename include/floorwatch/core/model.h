// A model: one family of figures (its state, its event handlers, its snapshot section, its
// part of /metrics, /api/v1/queues and the alert measures; the teams and escalations models
// also their part of /api/v1/teams and /api/v1/escalations, through their const views).
// The Core (core.h) holds the models listed in models/registry.h and delivers each event to
// the ones that asked for its type; the contract a model keeps is written out in core.h.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "floorwatch/core/binary_io.h"
#include "floorwatch/core/config.h"
#include "floorwatch/core/event.h"
#include "floorwatch/core/exposition.h"
#include "floorwatch/core/queue_directory.h"
#include "floorwatch/core/reject_reason.h"

namespace floorwatch {

// kHeld: counted as received, kept until its source's replay ends, then applied in seq order
// (and its final outcome counted then).
enum class Outcome : uint8_t { kApplied, kDuplicate, kRejected, kIgnored, kHeld };

struct ApplyResult {
  Outcome outcome;
  uint8_t reason = 0;  // RejectReason or IgnoreReason, by outcome
  std::string_view detail;
  static ApplyResult Applied() { return {Outcome::kApplied}; }
  static ApplyResult Rejected(RejectReason r, std::string_view d = {}) {
    return {Outcome::kRejected, static_cast<uint8_t>(r), d};
  }
  static ApplyResult Ignored(IgnoreReason r) {
    return {Outcome::kIgnored, static_cast<uint8_t>(r)};
  }
};

// What the owner of a contact's lifecycle events (the contacts model) did with one, so that
// the models observing it count the outcome where it happened without tracking contacts
// themselves. Filled before observers run; kNone for every other event.
struct ContactChange {
  enum class Kind : uint8_t {
    kNone,
    kQueued,
    kAnswered,
    kAbandoned,
    kTransferred,
    kEnded,
    kWrapped
  };
  Kind kind = Kind::kNone;
  // The contact's slot in the contacts model (its view: ContactsModel::contacts()), for every
  // contact event naming a live contact; kNoSlot otherwise. Valid until the event's end.
  uint32_t contact = kNoSlot;
  bool new_contact = false;               // queued: a new conversation (not a transfer)
  uint32_t queue_channel = kNoSlot;       // where it counts (a transfer: the target)
  uint32_t from_queue_channel = kNoSlot;  // a transfer: the queue/channel it left
  bool segment_ended = false;             // a transfer of a connected contact: handled at from
  int64_t wait_ms = 0;                    // answered, abandoned: its wait (never negative)
  int64_t talk_ms = 0;                    // ended, or a transfer with segment_ended
  int64_t acw_ms = 0;                     // wrapped
};

struct EventContext {
  const Event& event;
  int64_t now_ms;
  ContactChange contact;
};

// A per-queue/channel figure an alert rule can name (config `alerts[].measure`).
enum class MeasureUnit : uint8_t { kCount, kSeconds, kRatio };
struct MeasureDef {
  std::string_view name;
  bool windowed;  // needs `window`
  MeasureUnit unit;
};
struct Reading {
  double value;      // NaN: no value (a ratio of nothing)
  int64_t contacts;  // what it rests on, for min_contacts
};

// What a model's Load is given beside its bytes.
struct LoadContext {
  // Queue/channel index in the snapshot -> index in this core (kNoSlot: this config
  // refuses that queue). Filled by the "queues" section, which is read first.
  std::span<const uint32_t> queue_channel_map;
  uint32_t Map(uint32_t index) const {
    return index < queue_channel_map.size() ? queue_channel_map[index] : kNoSlot;
  }
};

// One outcome count of a shared windowed family (floorwatch_queue_window_contacts{outcome}).
struct OutcomeCount {
  std::string_view outcome;
  double value;
};

// Who receives an event type: one owner, which decides the event's outcome, and
// observers, which see it only once the owner applied it.
class Model;
class Subscriptions {
 public:
  virtual void Own(EventType type, Model* model) = 0;
  virtual void Observe(EventType type, Model* model) = 0;

 protected:
  ~Subscriptions() = default;
};

class Model {
 public:
  virtual ~Model() = default;

  // The snapshot section's name (stable across versions) and layout version; a section
  // older than first_version() is refused (its state moved elsewhere) before anything loads.
  virtual std::string_view name() const = 0;
  virtual uint32_t version() const { return 1; }
  virtual uint32_t first_version() const { return 1; }

  // Once, at construction of the core: the event types this model receives.
  virtual void Subscribe(Subscriptions& subscriptions) {}
  // Owner: decides the outcome. Must change nothing unless it returns Applied.
  virtual ApplyResult Apply(EventContext& context) { return ApplyResult::Applied(); }
  // Observer: the event was applied; may not refuse it.
  virtual void Observe(const EventContext& context) {}

  // A queue/channel index now exists (QueueDirectory); grow per-queue/channel state.
  virtual void OnQueueChannelAdded(uint32_t queue_channel) {}
  // A contact's slot is about to be freed (its conversation is over and wrapped, it
  // abandoned, or it expired): drop what is kept for it, as the next contact may reuse the
  // slot. During an event this comes after the observers saw the event.
  virtual void OnContactClosed(uint32_t contact, int64_t now_ms) {}
  // The core's config changed (already in place); `old` is the one before.
  virtual void Reconfigure(const Config& old) {}
  // About once a second, and before figures are read.
  virtual void Tick(int64_t now_ms) {}

  // Its metric families, from its state now.
  virtual void RenderMetrics(MetricWriter& writer, int64_t now_ms) const {}
  // Its fields of one queue/channel's object in /api/v1/queues (and the wallboard).
  virtual void RenderQueueJson(JsonObject& object, uint32_t queue_channel, int64_t now_ms) const {}
  // Windowed figures, shared by several models: its outcomes in
  // floorwatch_queue_window_contacts{queue, channel, window, outcome} (appended to `out`;
  // the Core renders the family and the window objects of /api/v1/queues from them), and
  // its other fields (ratios, means) of that window's object in /api/v1/queues.
  // `window` indexes Config::windows; Tick(now) ran first.
  virtual void WindowOutcomes(uint32_t queue_channel, size_t window,
                              std::vector<OutcomeCount>& out) const {}
  virtual void RenderWindowJson(JsonObject& object, uint32_t queue_channel, size_t window) const {}
  // Its kinds of floorwatch_outcomes_forgotten_total{kind} (remembered entries forgotten at a
  // limit), appended to `out` as (kind, count); the Core renders the family.
  virtual void ForgottenCounts(std::vector<OutcomeCount>& out) const {}

  // Alert measures it offers, and their value for one queue/channel (`window` indexes
  // Config::windows for windowed ones).
  virtual std::span<const MeasureDef> measures() const { return {}; }
  virtual Reading Measure(size_t measure, uint32_t queue_channel, size_t window,
                          int64_t now_ms) const {
    return {0, 0};
  }

  // Its snapshot section. Load runs on a newly built core, after the "queues" section, and
  // must read exactly what Save wrote for `version`, first_version() to version() (false:
  // the section does not decode).
  // A model whose section is absent (a snapshot older than the model) starts empty.
  virtual void Save(BinaryWriter& out) const {}
  virtual bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) { return true; }
};

}  // namespace floorwatch
