#include "floorwatch/core/core.h"

#include <cassert>

namespace floorwatch {

class Core::Router final : public Subscriptions {
 public:
  explicit Router(std::array<Route, kEventTypeCount>& routes) : routes_(routes) {}
  void Own(EventType type, Model* model) override {
    Route& route = routes_[static_cast<int>(type)];
    assert(route.owner == nullptr && "an event type has one owner");
    route.owner = model;
  }
  void Observe(EventType type, Model* model) override {
    Route& route = routes_[static_cast<int>(type)];
    assert(route.observer_count < route.observers.size() && "raise Route::observers");
    route.observers[route.observer_count++] = model;
  }

 private:
  std::array<Route, kEventTypeCount>& routes_;
};

Core::Core(const Config& config) : config_(config) {
  Router router(routes_);
  for (Model* m : models_.all()) m->Subscribe(router);
  directory_.set_added_handler([this](uint32_t qc) {
    for (Model* m : models_.all()) m->OnQueueChannelAdded(qc);
  });
  models_.contacts.set_closed_handler([this](uint32_t contact, int64_t now_ms) {
    for (Model* m : models_.all()) m->OnContactClosed(contact, now_ms);
  });
  directory_.Reconfigure();
}

void Core::Reconfigure(const Config& config) {
  Flush();
  const Config old = config_;
  config_ = config;
  directory_.Reconfigure();
  for (Model* m : models_.all()) m->Reconfigure(old);
}

// ---- Intake -------------------------------------------------------------------------------

ApplyResult Core::OnPayload(std::string_view payload, int64_t now_ms) {
  Flush();
  ++models_.intake.stats().received;
  const std::optional<ApplyResult> rejected = StageOrReject(payload, now_ms);
  return rejected ? *rejected : *Flush();
}

void Core::Stage(std::string_view payload, int64_t now_ms) {
  ++models_.intake.stats().received;
  (void)StageOrReject(payload, now_ms);
}

std::optional<ApplyResult> Core::ParseOrReject(EventParser& parser, std::string_view payload,
                                               int64_t now_ms) {
  if (static_cast<int64_t>(payload.size()) > config_.limits.max_event_bytes) {
    Flush();
    LogInput(now_ms, payload);
    return Count(ApplyResult::Rejected(RejectReason::kTooLarge, "over limits.max_event_bytes"),
                 payload);
  }
  const ParseOutcome parsed = parser.Parse(payload);
  Flush();  // the previous event first: sequence and state change in arrival order
  if (!parsed.ok) {
    // Still track the sequence of a source whose event was malformed, so it is not a gap.
    const Event& e = parser.event();
    if (e.has_seq && !e.source.empty()) models_.sources.CheckSequence(e);
    LogInput(now_ms, payload);
    return Count(ApplyResult::Rejected(parsed.reason, parsed.detail), payload);
  }
  return std::nullopt;
}

std::optional<ApplyResult> Core::StageOrReject(std::string_view payload, int64_t now_ms) {
  EventParser& parser = parsers_[next_parser_];
  if (std::optional<ApplyResult> rejected = ParseOrReject(parser, payload, now_ms)) return rejected;
  // The duplicate-id bucket is nearly always a cache miss; fetch it while the previous
  // event is applied (above, for the loop: Stage returns and the next message is parsed).
  const std::string_view id = parser.event().id;
  staged_id_hash_ = id.empty() ? 0 : RecentIds::Hash(id);
  if (staged_id_hash_ != 0) models_.intake.recent_ids().Prefetch(staged_id_hash_);
  staged_ = &parser;
  staged_now_ms_ = now_ms;
  next_parser_ ^= 1;
  return std::nullopt;
}

std::optional<ApplyResult> Core::Flush() {
  if (staged_ == nullptr) return std::nullopt;
  const EventParser* staged = staged_;
  staged_ = nullptr;
  return Process(staged->event(), staged_now_ms_, staged->payload(), staged_id_hash_);
}

void Core::OnMalformedMessage(RejectReason reason, int64_t now_ms) {
  Flush();
  ++models_.intake.stats().received;
  LogInput(now_ms, {}, reason);
  Count(ApplyResult::Rejected(reason, "malformed ZeroMQ message"), {});
}

ApplyResult Core::Count(ApplyResult r, std::string_view payload) {
  IntakeStats& stats = models_.intake.stats();
  switch (r.outcome) {
    case Outcome::kApplied:
      ++stats.applied;
      break;
    case Outcome::kDuplicate:
      ++stats.duplicate;
      break;
    case Outcome::kRejected:
      ++stats.rejected[r.reason];
      if (reject_log_) reject_log_(r, payload.substr(0, 200));
      break;
    case Outcome::kIgnored:
      ++stats.ignored[r.reason];
      break;
    case Outcome::kHeld:
      assert(false && "held events are not counted until released");
      break;
  }
  return r;
}

ApplyResult Core::Apply(const Event& e, int64_t now) {
  Flush();
  ++models_.intake.stats().received;
  const uint64_t id_hash = e.id.empty() ? 0 : RecentIds::Hash(e.id);
  if (id_hash != 0) models_.intake.recent_ids().Prefetch(id_hash);  // overlaps the seq check
  return Process(e, now, {}, id_hash);
}

bool Core::Held(const Event& e, int64_t now, std::string_view payload) {
  if (!gap_handler_ || replay_delivery_ || payload.empty()) return false;
  switch (models_.sources.HoldForReplay(e, now, payload, gap_handler_)) {
    case SourcesModel::Hold::kNo:
      return false;
    case SourcesModel::Hold::kHeld:
      return true;
    case SourcesModel::Hold::kHeldAndFull:
      EndReplay(std::string(e.source), now);  // a copy: ending applies events, `e` is one's view
      return true;
  }
  return false;
}

ApplyResult Core::Process(const Event& e, int64_t now, std::string_view payload, uint64_t id_hash) {
  if (Held(e, now, payload)) return {Outcome::kHeld};
  if (!payload.empty()) LogInput(now, payload);
  if (!models_.sources.CheckSequence(e)) return Count({Outcome::kDuplicate}, {});
  if (id_hash != 0 && models_.intake.recent_ids().SeenBefore(id_hash)) {
    return Count({Outcome::kDuplicate}, {});
  }
  return Count(Dispatch(e, now), {});
}

ApplyResult Core::Dispatch(const Event& e, int64_t now) {
  const Route& route = routes_[static_cast<int>(e.type)];
  EventContext context{e, now, {}};
  const ApplyResult r = route.owner ? route.owner->Apply(context) : ApplyResult::Applied();
  if (r.outcome == Outcome::kApplied) {
    for (uint8_t i = 0; i < route.observer_count; ++i) route.observers[i]->Observe(context);
    models_.intake.stats().last_event_lag_ms = now - e.ts_ms;
  }
  models_.contacts.FinishEvent(now);  // contacts the event closed are freed only now
  return r;
}

// ---- Replay -------------------------------------------------------------------------------

ApplyResult Core::OnReplayPayload(std::string_view payload, int64_t now_ms) {
  ++models_.sources.counters().delivered;
  replay_delivery_ = true;
  const ApplyResult r = OnPayload(payload, now_ms);
  replay_delivery_ = false;
  return r;
}

void Core::EndReplay(std::string_view source, int64_t now_ms) {
  Flush();
  const std::vector<HeldEvent> held = models_.sources.TakeHeld(source);
  replay_delivery_ = true;
  for (const HeldEvent& h : held) {
    // Counted as received when it arrived; applied now, at the time the replay ended. Parsed
    // by a parser of its own, not the pipeline's: this runs inside Flush when the event being
    // applied filled the held limit, while the next message waits parsed in the pipeline.
    if (ParseOrReject(released_parser_, h.payload, now_ms)) continue;
    const Event& e = released_parser_.event();
    Process(e, now_ms, released_parser_.payload(), e.id.empty() ? 0 : RecentIds::Hash(e.id));
  }
  replay_delivery_ = false;
}

// ---- Time and figures ---------------------------------------------------------------------

void Core::Tick(int64_t now_ms) {
  Flush();
  for (Model* m : models_.all()) m->Tick(now_ms);
}

void Core::RenderWindowsJson(JsonObject& queue, uint32_t qc) const {
  JsonObject windows(queue.out(), "windows");
  std::vector<OutcomeCount> outcomes;
  for (size_t win = 0; win < config_.windows.size(); ++win) {
    JsonObject one(queue.out(), config_.windows[win].label);
    outcomes.clear();
    for (const Model* m : models_.all()) m->WindowOutcomes(qc, win, outcomes);
    for (const OutcomeCount& o : outcomes) one.Number(o.outcome, o.value);
    for (const Model* m : models_.all()) m->RenderWindowJson(one, qc, win);
    one.Close();
  }
  windows.Close();
}

void Core::RenderQueuesJson(std::string& out, int64_t now_ms) const {
  out.clear();  // keeps the capacity of a reused buffer
  out += "{\"time\":";
  AppendValue(out, double(now_ms) / 1000.0);
  out += ",\"queues\":[";
  for (uint32_t i = 0; i < directory_.size(); ++i) {
    JsonObject o(out);
    RenderQueueIdentity(o, i);
    for (const Model* m : models_.all()) m->RenderQueueJson(o, i, now_ms);
    RenderWindowsJson(o, i);
    o.Close();
  }
  if (out.back() == ',') out.pop_back();
  out += "]}";
}

Core::MeasureRef Core::FindMeasure(std::string_view name) const {
  for (const Model* m : models_.all()) {
    const std::span<const MeasureDef> defs = m->measures();
    for (size_t i = 0; i < defs.size(); ++i) {
      if (defs[i].name == name) return {m, i, &defs[i]};
    }
  }
  return {};
}

const Model* Core::FindModel(std::string_view name) const {
  for (const Model* m : models_.all()) {
    if (m->name() == name) return m;
  }
  return nullptr;
}

}  // namespace floorwatch
