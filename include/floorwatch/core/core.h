// floorwatch's core: a pure state machine. Payloads (or typed events) and "now" go in;
// the models' state comes out, read by the renderers, alert evaluation and snapshots.
//
// No sockets, threads, timers or files: the caller passes the current time into every
// call, so tests drive it with a fake clock. Owned by exactly one thread (the core thread);
// nothing here locks.
//
// The Core is the intake pipeline plus a dispatch table over the models
// (models/registry.h). For each message: size check, parse (event_parser.h), hold while
// its source replays a gap (SourcesModel), duplicate by seq or by id (SourcesModel,
// IntakeModel), then the event goes to the owner of its type and, if the owner applied it,
// to that type's observers; the outcome is counted (IntakeModel).
//
// The contract of a model (model.h):
//  - It owns its state; nothing else changes it. It may read the QueueDirectory, the config
//    and the const views of the models it was constructed with, never their containers'
//    insides, and it may create queues through the directory.
//  - It is called on the core thread only, never concurrently, and must not block, sleep,
//    read a clock or do I/O: time comes in as `now_ms` and as events' ts.
//  - An owner's Apply changes nothing unless it returns Applied; an observer's Observe sees
//    only applied events and cannot refuse them. No allocation per event where avoidable.
//  - Figures are built from state when rendered (RenderMetrics, RenderQueueJson, Measure,
//    and the JSON of the wallboard's views that a model offers through its const view:
//    TeamsModel::RenderTeamsJson, EscalationsModel::RenderEscalationTeamsJson): nothing is
//    registered or pushed per event. A model renders only its own fields; the Core puts
//    the pieces of several models together.
//  - Save writes everything needed to continue exactly (its section); Load reads what Save
//    wrote, for this and every earlier section version down to first_version() (older ones,
//    whose state moved to another section, refuse the snapshot), into a newly built core,
//    mapping queue/channel indices through the LoadContext. A missing section means
//    "empty"; settings derived from the config are never saved (the restoring config decides).
//  - Restoring a snapshot, then re-applying the journal, must render exactly what the live
//    core renders (tests/unit/state and the replay fuzz target check it).
// Invariant: received = applied + duplicate + rejected + ignored + replay held.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/core/config.h"
#include "floorwatch/core/event.h"
#include "floorwatch/core/event_parser.h"
#include "floorwatch/core/model.h"
#include "floorwatch/core/models/registry.h"
#include "floorwatch/core/queue_directory.h"

namespace floorwatch {

class Core {
 public:
  // Called for each rejected event with a human-readable reason; the caller rate-limits.
  using RejectLog = std::function<void(const ApplyResult&, std::string_view payload_prefix)>;
  // Called once per message whose outcome is final, in the order outcomes are reached, with
  // the `now` it was processed at: feeding the same calls to OnPayload / OnMalformedMessage of
  // a core in the same state reproduces the same state (the journal, state_store.h). An empty
  // payload with `malformed` set stands for OnMalformedMessage(malformed).
  using InputLog = std::function<void(int64_t now_ms, std::string_view payload,
                                      std::optional<RejectReason> malformed)>;
  // Asked when a live event of a known source skips seq numbers: true means a replay from
  // `from_seq` was requested (the caller then ends it with EndReplay), and the core holds
  // that source's live events until then. Unset or false: the gap is counted at once.
  using GapHandler = SourcesModel::GapHandler;

  explicit Core(const Config& config);
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // Applies a new config without losing state: queue settings, labels and time zones
  // change from now on; rolling windows restart only if the window list changed.
  void Reconfigure(const Config& config);

  // One ZeroMQ message's payload: size check, parse, apply. Counts it as received.
  ApplyResult OnPayload(std::string_view payload, int64_t now_ms);
  // Pipelined intake for the core loop, same results as OnPayload in the same order: parses
  // the payload and starts fetching the memory applying it will touch, then applies the
  // event staged before it. The staged event is applied by the next Stage or by Flush();
  // call Flush() before reading state and at the end of every batch.
  void Stage(std::string_view payload, int64_t now_ms);
  std::optional<ApplyResult> Flush();
  // A message dropped before parsing (e.g. too many frames). Counts received + rejected.
  void OnMalformedMessage(RejectReason reason, int64_t now_ms);
  // A connection refused by an input's CURVE allow-list (counted, not an event).
  void OnInputAuthDenied() { ++models_.intake.stats().input_auth_denied; }
  // Applies a parsed event (dedup, seq, then the state change) and counts the outcome.
  ApplyResult Apply(const Event& event, int64_t now_ms);
  // Every model's Tick (windows, expiry). Call about once a second and before reading.
  void Tick(int64_t now_ms);

  void set_reject_log(RejectLog log) { reject_log_ = std::move(log); }
  void set_input_log(InputLog log) { input_log_ = std::move(log); }
  void set_gap_handler(GapHandler handler) { gap_handler_ = std::move(handler); }

  // An event received on a replay connection: applied at once (never held); a seq already
  // applied makes it a duplicate.
  ApplyResult OnReplayPayload(std::string_view payload, int64_t now_ms);
  // The replay of `source` ended (replay.end, or the caller's time-out): its held events are
  // applied in seq order; whatever is still missing before them counts as a gap.
  void EndReplay(std::string_view source, int64_t now_ms);
  std::vector<std::string> ReplayingSources() const { return models_.sources.Replaying(); }
  const ReplayStats& replay_stats() const { return models_.sources.replay(); }
  void CountReplayTruncated() { ++models_.sources.counters().truncated; }
  void CountReplayTimeout() { ++models_.sources.counters().timeouts; }
  // For a journal restore: the replay counters as journaled.
  void RestoreReplayCounters(const ReplayCounters& c) { models_.sources.counters() = c; }

  // Read access (same thread).
  const Config& config() const { return config_; }
  const IntakeStats& stats() const { return models_.intake.stats(); }
  const QueueDirectory& directory() const { return directory_; }
  const Models& models() const { return models_; }
  // For the snapshot codec only, on a newly built core.
  QueueDirectory& mutable_directory() { return directory_; }
  Models& mutable_models() { return models_; }

  // Every model's families, then floorwatch_queue_window_contacts,
  // floorwatch_outcomes_forgotten_total and floorwatch_queue_info. Tick(now) first.
  // The same text in parts (core_metrics.cpp), so that a scrape need not hold the core thread
  // for its whole length: the runtime renders a few parts, lets a batch of events through,
  // and renders the next. Part p < MetricParts() is one model's families, a range of
  // kWindowRowsPerPart queue/channels of floorwatch_queue_window_contacts, or the last
  // families; a part is consistent in itself, and the concatenation of parts 0.. rendered
  // without events between them is RenderMetrics. The count grows with the queue/channels
  // (a range is appended), so a caller asks again after events; a part index keeps its
  // meaning except the last, which moves behind the new range. Tick(now) before each part.
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const;
  static constexpr uint32_t kWindowRowsPerPart = 256;
  size_t MetricParts() const;
  void RenderMetricsPart(MetricWriter& writer, size_t part, int64_t now_ms) const;
  // GET /api/v1/queues: one object per queue/channel, each model adding its fields.
  void RenderQueuesJson(std::string& out, int64_t now_ms) const;
  // GET /api/v1/teams (the wallboard's team view): one object per tracked team, from the
  // teams model. Tick(now) first.
  void RenderTeamsJson(std::string& out, int64_t now_ms) const;
  // GET /api/v1/escalations (the escalation desk): the escalation teams, and every
  // queue/channel with an open escalation or one counted in a window, with its open ones and
  // its windowed escalation figures (escalations, customers and service-level models).
  void RenderEscalationsJson(std::string& out, int64_t now_ms) const;

  // The model offering an alert measure, or {} when none does.
  struct MeasureRef {
    const Model* model = nullptr;
    size_t index = 0;
    const MeasureDef* def = nullptr;
  };
  MeasureRef FindMeasure(std::string_view name) const;
  // The model whose snapshot section has this name, or nullptr.
  const Model* FindModel(std::string_view name) const;

 private:
  struct Route {  // one per event type; fixed size, so dispatch chases no pointer
    Model* owner = nullptr;
    std::array<Model*, 8> observers{};
    uint8_t observer_count = 0;
  };
  class Router;

  // `id_hash`: RecentIds::Hash of the event's id, 0 when it has none.
  ApplyResult Process(const Event& e, int64_t now, std::string_view payload, uint64_t id_hash);
  ApplyResult Dispatch(const Event& e, int64_t now);
  bool Held(const Event& e, int64_t now, std::string_view payload);
  // Size check and parse into `parser`, then flushes the staged event; a rejection is
  // counted and returned. The caller has counted the payload as received.
  std::optional<ApplyResult> ParseOrReject(EventParser& parser, std::string_view payload,
                                           int64_t now_ms);
  // ParseOrReject into the next pipeline parser, then stages the event.
  std::optional<ApplyResult> StageOrReject(std::string_view payload, int64_t now_ms);
  ApplyResult Count(ApplyResult r, std::string_view payload);
  // floorwatch_queue_window_contacts for queue/channels [first, end), its HELP and TYPE with
  // the first range.
  void RenderWindowOutcomes(MetricWriter& writer, uint32_t first, uint32_t end) const;
  void RenderLastFamilies(MetricWriter& writer) const;
  void RenderWindowsJson(JsonObject& queue, uint32_t queue_channel) const;
  // "queue", "channel" and "labels" of a queue/channel's object (core_views.cpp).
  void RenderQueueIdentity(JsonObject& queue, uint32_t queue_channel) const;
  void RenderDeskQueueJson(std::string& out, uint32_t queue_channel, int64_t now_ms) const;
  void LogInput(int64_t now, std::string_view payload,
                std::optional<RejectReason> malformed = std::nullopt) {
    if (input_log_) input_log_(now, payload, malformed);
  }

  Config config_;
  QueueDirectory directory_{config_};
  Models models_{config_, directory_};
  std::array<Route, kEventTypeCount> routes_;
  EventParser parsers_[2];       // alternate, so a staged event stays valid while the next parses
  EventParser released_parser_;  // held events applied when a replay ends (EndReplay)
  int next_parser_ = 0;
  const EventParser* staged_ = nullptr;
  int64_t staged_now_ms_ = 0;
  uint64_t staged_id_hash_ = 0;
  RejectLog reject_log_;
  InputLog input_log_;
  GapHandler gap_handler_;
  bool replay_delivery_ = false;  // applying replayed or released events: never hold them
};

}  // namespace floorwatch
