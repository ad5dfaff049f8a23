#include "floorwatch/core.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace floorwatch {
namespace {

int64_t NonNegative(int64_t ms) { return ms < 0 ? 0 : ms; }  // clock skew counts as 0

int64_t SecondsToMs(double s) { return static_cast<int64_t>(std::llround(s * 1000.0)); }

}  // namespace

Core::Core(const Config& config) : recent_ids_(config.limits.dedup_ids) { Reconfigure(config); }

std::vector<int64_t> Core::RollingSeconds() const {
  std::vector<int64_t> seconds;
  for (const WindowSpec* w : rolling_specs_) seconds.push_back(w->duration_ms / 1000);
  return seconds;
}

void Core::Reconfigure(const Config& config) {
  Flush();
  const bool windows_changed = [&] {
    if (config.windows.size() != config_.windows.size()) return true;
    for (size_t i = 0; i < config.windows.size(); ++i) {
      if (config.windows[i].label != config_.windows[i].label) return true;
    }
    return false;
  }();
  const bool buckets_changed = config.wait_buckets != config_.wait_buckets;
  config_ = config;
  rolling_specs_.clear();
  for (const WindowSpec& w : config_.windows) {
    if (!w.today) rolling_specs_.push_back(&w);
  }
  if (windows_changed) {
    const std::vector<int64_t> seconds = RollingSeconds();
    for (QueueChannel& qc : queue_channels_) qc.windows = RollingWindows(seconds);
  }
  if (buckets_changed) {
    for (QueueChannel& qc : queue_channels_) {
      qc.wait_buckets.assign(config_.wait_buckets.size() + 1, 0);
      qc.wait_bucket_sum_ms = 0;
    }
  }
  // Configured queues exist from the start with their configured channels (or voice).
  for (const QueueConfig& qconf : config_.queues) {
    RejectReason why;
    const uint32_t q = FindOrCreateQueue(qconf.id, &why);
    if (q == kNoSlot) continue;  // cannot happen: the loader checks max_queues
    if (qconf.channels.empty()) {
      QueueChannelOf(q, Channel::kVoice);
    } else {
      for (const auto& [channel, unused] : qconf.channels) QueueChannelOf(q, channel);
    }
  }
  queues_.ForEach([&](uint32_t slot, const Queue&) { ApplyQueueSettings(slot); });
}

ChannelSettings Core::SettingsFor(const QueueConfig* qconf, Channel channel) const {
  const QueueDefaults& d = config_.defaults;
  ChannelSettings s;
  s.sl_threshold_seconds = d.service_level.threshold_seconds;
  s.sl_target = d.service_level.target;
  s.formula = d.service_level.formula;
  s.short_abandon_seconds = d.short_abandon_seconds;
  const auto apply = [&s](const ServiceLevelOverride& o) {
    if (o.threshold_seconds) s.sl_threshold_seconds = *o.threshold_seconds;
    if (o.target) s.sl_target = *o.target;
    if (o.formula) s.formula = *o.formula;
  };
  if (qconf != nullptr) {
    apply(qconf->service_level);
    if (qconf->short_abandon_seconds) s.short_abandon_seconds = *qconf->short_abandon_seconds;
    auto it = qconf->channels.find(channel);
    if (it != qconf->channels.end()) {
      apply(it->second.service_level);
      if (it->second.short_abandon_seconds)
        s.short_abandon_seconds = *it->second.short_abandon_seconds;
    }
  }
  s.sl_threshold_ms = SecondsToMs(s.sl_threshold_seconds);
  s.short_abandon_ms = SecondsToMs(s.short_abandon_seconds);
  return s;
}

const QueueConfig* Core::ConfiguredQueue(std::string_view id) const {
  for (const QueueConfig& c : config_.queues) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

void Core::ApplyQueueSettings(uint32_t slot) {
  Queue& q = queues_[slot];
  const QueueConfig* qconf = ConfiguredQueue(q.id);
  q.configured = qconf != nullptr;
  q.labels = qconf ? qconf->labels : std::map<std::string, std::string>{};
  const std::string& tz = qconf && qconf->timezone ? *qconf->timezone : config_.defaults.timezone;
  if (!q.zone || q.zone->name() != tz) q.zone = std::make_unique<TimeZone>(tz);
  for (int c = 0; c < kChannelCount; ++c) {
    if (q.channels[c] != kNoSlot) {
      queue_channels_[q.channels[c]].settings = SettingsFor(qconf, static_cast<Channel>(c));
    }
  }
}

uint32_t Core::FindOrCreateQueue(std::string_view id, RejectReason* why) {
  uint32_t q = queues_.Find(id);
  if (q != kNoSlot) return q;
  if (ConfiguredQueue(id) == nullptr && config_.unknown_queues == UnknownQueues::kReject) {
    *why = RejectReason::kUnknownQueue;
    return kNoSlot;
  }
  if (static_cast<int64_t>(queues_.size()) >= config_.limits.max_queues) {
    *why = RejectReason::kLimit;
    return kNoSlot;
  }
  q = queues_.Insert(id);
  queues_[q].channels.fill(kNoSlot);
  ApplyQueueSettings(q);
  return q;
}

uint32_t Core::QueueChannelOf(uint32_t queue, Channel channel) {
  Queue& q = queues_[queue];
  uint32_t& index = q.channels[static_cast<int>(channel)];
  if (index == kNoSlot) {
    index = static_cast<uint32_t>(queue_channels_.size());
    QueueChannel& qc = queue_channels_.emplace_back(RollingSeconds());
    qc.queue = queue;
    qc.channel = channel;
    qc.wait_buckets.assign(config_.wait_buckets.size() + 1, 0);
    qc.settings = SettingsFor(ConfiguredQueue(q.id), channel);
  }
  return index;
}

const Tally& Core::WindowTally(const QueueChannel& qc, size_t window_index) const {
  const WindowSpec& spec = config_.windows[window_index];
  if (spec.today) return qc.windows.Today();
  for (size_t r = 0; r < rolling_specs_.size(); ++r) {
    if (rolling_specs_[r] == &spec) return qc.windows.Rolling(r);
  }
  return zero_tally_;
}

Core::AgentCounts Core::AgentsByQueue() const {
  AgentCounts counts(queues_.slot_count());
  agents_.ForEach([&](uint32_t, const Agent& a) {
    for (uint32_t q : a.queues) ++counts[q][static_cast<int>(a.state)];
  });
  return counts;
}

double Core::OldestWaitSeconds(uint32_t queue_channel, int64_t now_ms) const {
  const auto oldest = OldestQueuedMs(queue_channel);
  return oldest && now_ms > *oldest ? double(now_ms - *oldest) / 1000.0 : 0.0;
}

std::optional<int64_t> Core::OldestQueuedMs(uint32_t queue_channel) const {
  const QueueChannel& qc = queue_channels_[queue_channel];
  if (qc.waiting == 0 || qc.waiting_heap.empty()) return std::nullopt;
  return qc.waiting_heap.front().queued_ms;
}

// ---- Intake -------------------------------------------------------------------------------

ApplyResult Core::OnPayload(std::string_view payload, int64_t now_ms) {
  Flush();
  ++stats_.received;
  const std::optional<ApplyResult> rejected = StageOrReject(payload, now_ms);
  return rejected ? *rejected : *Flush();
}

void Core::Stage(std::string_view payload, int64_t now_ms) {
  ++stats_.received;
  (void)StageOrReject(payload, now_ms);
}

std::optional<ApplyResult> Core::StageOrReject(std::string_view payload, int64_t now_ms) {
  if (static_cast<int64_t>(payload.size()) > config_.limits.max_event_bytes) {
    Flush();
    LogInput(now_ms, payload);
    return Count(ApplyResult::Rejected(RejectReason::kTooLarge, "over limits.max_event_bytes"),
                 payload);
  }
  EventParser& parser = parsers_[next_parser_];
  const ParseOutcome parsed = parser.Parse(payload);
  Flush();  // the previous event first: sequence and state change in arrival order
  if (!parsed.ok) {
    // Still track the sequence of a source whose event was malformed, so it is not a gap.
    if (parser.event().has_seq && !parser.event().source.empty()) CheckSequence(parser.event());
    LogInput(now_ms, payload);
    return Count(ApplyResult::Rejected(parsed.reason, parsed.detail), payload);
  }
  // The duplicate-id bucket is nearly always a cache miss; fetch it while the previous
  // event is applied (above, for the loop: Stage returns and the next message is parsed).
  if (!parser.event().id.empty()) recent_ids_.Prefetch(parser.event().id);
  staged_ = &parser;
  staged_now_ms_ = now_ms;
  next_parser_ ^= 1;
  return std::nullopt;
}

std::optional<ApplyResult> Core::Flush() {
  if (staged_ == nullptr) return std::nullopt;
  const EventParser* staged = staged_;
  staged_ = nullptr;
  return Process(staged->event(), staged_now_ms_, staged->payload());
}

void Core::OnMalformedMessage(RejectReason reason, int64_t now_ms) {
  Flush();
  ++stats_.received;
  LogInput(now_ms, {}, reason);
  Count(ApplyResult::Rejected(reason, "malformed ZeroMQ message"), {});
}

ApplyResult Core::Count(ApplyResult r, std::string_view payload) {
  switch (r.outcome) {
    case Outcome::kApplied:
      ++stats_.applied;
      break;
    case Outcome::kDuplicate:
      ++stats_.duplicate;
      break;
    case Outcome::kRejected:
      ++stats_.rejected[r.reason];
      if (reject_log_) reject_log_(r, payload.substr(0, 200));
      break;
    case Outcome::kIgnored:
      ++stats_.ignored[r.reason];
      break;
    case Outcome::kHeld:
      assert(false && "held events are not counted until released");
      break;
  }
  return r;
}

uint32_t Core::FindSource(std::string_view id) {
  if (last_source_ == kNoSlot || sources_[last_source_].id != id) last_source_ = sources_.Find(id);
  return last_source_;
}

bool Core::CheckSequence(const Event& e) {
  if (!e.has_seq || e.source.empty()) return true;
  uint32_t s = FindSource(e.source);
  if (s == kNoSlot) {
    if (static_cast<int64_t>(sources_.size()) >= config_.limits.max_sources) return true;
    s = sources_.Insert(e.source);
    sources_[s].next_seq = e.seq + 1;
    last_source_ = s;
    return true;
  }
  Source& src = sources_[s];
  if (e.seq < src.next_seq) return false;
  src.gap_events += e.seq - src.next_seq;
  src.next_seq = e.seq + 1;
  return true;
}

ApplyResult Core::Apply(const Event& e, int64_t now) {
  Flush();
  ++stats_.received;
  return Process(e, now, {});
}

ApplyResult Core::Process(const Event& e, int64_t now, std::string_view payload) {
  if (!e.id.empty()) recent_ids_.Prefetch(e.id);  // overlaps the cache miss with the seq check
  if (gap_handler_ && !replay_delivery_ && !payload.empty() && HoldForReplay(e, now, payload)) {
    return {Outcome::kHeld};
  }
  if (!payload.empty()) LogInput(now, payload);
  if (!CheckSequence(e)) return Count({Outcome::kDuplicate}, {});
  if (!e.id.empty() && recent_ids_.SeenBefore(e.id)) return Count({Outcome::kDuplicate}, {});
  ApplyResult r;
  switch (e.type) {
    case EventType::kContactQueued:
      r = ApplyContactQueued(e, now);
      break;
    case EventType::kContactAnswered:
      r = ApplyContactAnswered(e, now);
      break;
    case EventType::kContactAbandoned:
      r = ApplyContactAbandoned(e, now);
      break;
    case EventType::kContactTransferred:
      r = ApplyContactTransferred(e, now);
      break;
    case EventType::kContactEnded:
      r = ApplyContactEnded(e, now);
      break;
    case EventType::kContactWrapped:
      r = ApplyContactWrapped(e, now);
      break;
    case EventType::kContactEscalated:
    case EventType::kContactMessage:
    case EventType::kContactSurvey:
      r = ApplyContactOther(e, now);
      break;
    default:
      r = ApplyAgent(e, now);
      break;
  }
  if (r.outcome == Outcome::kApplied) stats_.last_event_lag_ms = now - e.ts_ms;
  return Count(r, {});
}

// ---- Contact lifecycle --------------------------------------------------------------------

void Core::Record(uint32_t queue_channel, int64_t ts, int64_t now, const Tally& delta) {
  QueueChannel& qc = queue_channels_[queue_channel];
  qc.totals.Add(delta);
  qc.windows.Record(ts, now, *queues_[qc.queue].zone, delta);
}

void Core::EnterQueue(uint32_t c, uint32_t queue_channel, int64_t ts, int64_t now) {
  Contact& contact = contacts_[c];
  QueueChannel& qc = queue_channels_[queue_channel];
  contact.state = ContactState::kWaiting;
  contact.queue_channel = queue_channel;
  contact.channel = qc.channel;
  contact.queued_ms = ts;
  ++contact.epoch;
  ++qc.waiting;
  qc.waiting_heap.push_back({ts, c, contact.epoch});
  std::push_heap(qc.waiting_heap.begin(), qc.waiting_heap.end(), QueueChannel::HeapLater);
  Record(queue_channel, ts, now, Tally{.offered = 1});
}

void Core::LeaveWaiting(uint32_t c) {
  Contact& contact = contacts_[c];
  assert(contact.state == ContactState::kWaiting);
  QueueChannel& qc = queue_channels_[contact.queue_channel];
  --qc.waiting;
  ++contact.epoch;  // invalidates its heap entry
  auto& heap = qc.waiting_heap;
  const auto stale = [&](const QueueChannel::WaitEntry& w) {
    if (!contacts_.InUse(w.contact)) return true;
    // A freed slot is reused with a fresh epoch, which may equal the one in a buried entry:
    // the entry is live only if it also describes this contact's current wait here.
    const Contact& other = contacts_[w.contact];
    return other.epoch != w.epoch || other.state != ContactState::kWaiting ||
           other.queue_channel != contact.queue_channel || other.queued_ms != w.queued_ms;
  };
  if (heap.size() > 64 && heap.size() > 2 * static_cast<size_t>(qc.waiting)) {
    heap.erase(std::remove_if(heap.begin(), heap.end(), stale), heap.end());
    std::make_heap(heap.begin(), heap.end(), QueueChannel::HeapLater);
  }
  while (!heap.empty() && stale(heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), QueueChannel::HeapLater);
    heap.pop_back();
  }
}

void Core::EndSegment(uint32_t c, int64_t ts, int64_t now) {
  Contact& contact = contacts_[c];
  assert(contact.state == ContactState::kConnected);
  QueueChannel& qc = queue_channels_[contact.queue_channel];
  --qc.active;
  Record(contact.queue_channel, ts, now,
         Tally{.handled = 1, .talk_ms = NonNegative(ts - contact.answered_ms)});
  contact.pending_wraps.push_back({contact.queue_channel, ts, contact.agent_hash});
  contact.state = ContactState::kEnded;  // the caller re-queues it (transfer) or closes it
}

void Core::CloseContact(uint32_t c) {
  Contact& contact = contacts_[c];
  if (contact.pending_wraps.empty()) return FreeContact(c);
  if (contact.state == ContactState::kWaiting) LeaveWaiting(c);
  if (contact.state == ContactState::kConnected) --queue_channels_[contact.queue_channel].active;
  contact.state = ContactState::kEnded;
}

void Core::FreeContact(uint32_t c) {
  Contact& contact = contacts_[c];
  if (contact.state == ContactState::kWaiting) LeaveWaiting(c);
  if (contact.state == ContactState::kConnected) --queue_channels_[contact.queue_channel].active;
  contacts_.Erase(c);
}

uint32_t Core::KnownContact(const Event& e, int64_t now) {
  const uint32_t c = contacts_.Find(e.contact);
  if (c != kNoSlot) contacts_[c].touched_ms = now;
  return c;
}

ApplyResult Core::UnknownContact(const Event& e) {
  return ApplyResult::Rejected(RejectReason::kUnknownContact, EventTypeName(e.type));
}

ApplyResult Core::ApplyContactQueued(const Event& e, int64_t now) {
  RejectReason why;
  const uint32_t q = FindOrCreateQueue(e.queue, &why);
  if (q == kNoSlot) return ApplyResult::Rejected(why, "queue refused");
  uint32_t c = KnownContact(e, now);
  if (c != kNoSlot) {
    Contact& contact = contacts_[c];
    if (contact.state == ContactState::kWaiting &&
        queue_channels_[contact.queue_channel].queue == q) {
      return ApplyResult::Ignored(IgnoreReason::kNoChange);
    }
    if (contact.state == ContactState::kEnded) {
      // The same id starts a new conversation; earlier segments may still be wrapped.
      EnterQueue(c, QueueChannelOf(q, e.channel), e.ts_ms, now);
      return ApplyResult::Applied();
    }
    return ApplyContactTransferred(e, now);  // requeued elsewhere: a transfer
  }
  if (static_cast<int64_t>(contacts_.size()) >= config_.limits.max_contacts) {
    return ApplyResult::Rejected(RejectReason::kLimit, "limits.max_contacts reached");
  }
  const uint32_t qc = QueueChannelOf(q, e.channel);  // before Insert: may grow the vector
  c = contacts_.Insert(e.contact);
  contacts_[c].touched_ms = now;
  EnterQueue(c, qc, e.ts_ms, now);
  return ApplyResult::Applied();
}

ApplyResult Core::ApplyContactAnswered(const Event& e, int64_t now) {
  const uint32_t c = KnownContact(e, now);
  if (c == kNoSlot) return UnknownContact(e);
  Contact& contact = contacts_[c];
  if (contact.state != ContactState::kWaiting)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  LeaveWaiting(c);
  QueueChannel& qc = queue_channels_[contact.queue_channel];
  const int64_t wait = NonNegative(e.ts_ms - contact.queued_ms);
  contact.state = ContactState::kConnected;
  contact.answered_ms = e.ts_ms;
  contact.agent_hash = HashId(e.agent);
  ++qc.active;
  const double wait_s = static_cast<double>(wait) / 1000.0;
  const auto& bounds = config_.wait_buckets;
  const size_t bucket = std::lower_bound(bounds.begin(), bounds.end(), wait_s) - bounds.begin();
  ++qc.wait_buckets[bucket];
  qc.wait_bucket_sum_ms += wait;
  Record(
      contact.queue_channel, e.ts_ms, now,
      Tally{.answered = 1, .answered_in_sl = wait <= qc.settings.sl_threshold_ms, .wait_ms = wait});
  return ApplyResult::Applied();
}

ApplyResult Core::ApplyContactAbandoned(const Event& e, int64_t now) {
  const uint32_t c = KnownContact(e, now);
  if (c == kNoSlot) return UnknownContact(e);
  Contact& contact = contacts_[c];
  if (contact.state != ContactState::kWaiting)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  const QueueChannel& qc = queue_channels_[contact.queue_channel];
  const int64_t wait = NonNegative(e.ts_ms - contact.queued_ms);
  const bool is_short = wait < qc.settings.short_abandon_ms;
  Record(contact.queue_channel, e.ts_ms, now,
         Tally{.abandoned = 1,
               .short_abandoned = is_short,
               .abandoned_in_sl = !is_short && wait <= qc.settings.sl_threshold_ms});
  CloseContact(c);
  return ApplyResult::Applied();
}

ApplyResult Core::ApplyContactTransferred(const Event& e, int64_t now) {
  const uint32_t c = KnownContact(e, now);
  if (c == kNoSlot) return UnknownContact(e);
  RejectReason why;
  const uint32_t q = FindOrCreateQueue(e.queue, &why);
  if (q == kNoSlot) return ApplyResult::Rejected(why, "target queue refused");
  Contact& contact = contacts_[c];
  if (contact.state == ContactState::kEnded)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  const uint32_t from = contact.queue_channel;
  if (contact.state == ContactState::kWaiting) {
    LeaveWaiting(c);
  } else {
    EndSegment(c, e.ts_ms, now);
  }
  ++queue_channels_[from].transferred_out;
  // A contact.queued that moves a contact names its channel; a transfer keeps it.
  const Channel channel = e.type == EventType::kContactQueued ? e.channel : contact.channel;
  EnterQueue(c, QueueChannelOf(q, channel), e.ts_ms, now);
  return ApplyResult::Applied();
}

ApplyResult Core::ApplyContactEnded(const Event& e, int64_t now) {
  const uint32_t c = KnownContact(e, now);
  if (c == kNoSlot) return UnknownContact(e);
  Contact& contact = contacts_[c];
  if (contact.state != ContactState::kConnected)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  EndSegment(c, e.ts_ms, now);
  CloseContact(c);
  return ApplyResult::Applied();
}

ApplyResult Core::ApplyContactWrapped(const Event& e, int64_t now) {
  const uint32_t c = KnownContact(e, now);
  if (c == kNoSlot) return UnknownContact(e);
  Contact& contact = contacts_[c];
  auto& pending = contact.pending_wraps;
  if (pending.empty()) return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  // The segment of the agent the wrap names, else the oldest (wraps mostly come in order).
  auto segment = pending.begin();
  if (!e.agent.empty()) {
    const uint64_t agent = HashId(e.agent);
    auto named = std::find_if(pending.begin(), pending.end(),
                              [agent](const PendingWrap& w) { return w.agent_hash == agent; });
    if (named != pending.end()) segment = named;
  }
  Record(segment->queue_channel, e.ts_ms, now,
         Tally{.acw_ms = NonNegative(e.ts_ms - segment->ended_ms)});
  pending.erase(segment);
  if (pending.empty()) pending.shrink_to_fit();  // give the memory back
  if (contact.state == ContactState::kEnded && pending.empty()) FreeContact(c);
  return ApplyResult::Applied();
}

ApplyResult Core::ApplyContactOther(const Event& e, int64_t now) {
  // Escalations, messages and surveys are validated and accepted; their figures come with
  // the analytics issue. They must still name a contact the daemon holds, where required.
  if (!e.contact.empty() && KnownContact(e, now) == kNoSlot &&
      (e.type != EventType::kContactSurvey || e.queue.empty())) {
    return UnknownContact(e);
  }
  return ApplyResult::Applied();
}

// ---- Agents -------------------------------------------------------------------------------

void Core::SetAgentQueues(Agent& agent, const std::vector<std::string_view>& queues) {
  agent.queues.clear();
  for (std::string_view id : queues) {
    RejectReason why;
    const uint32_t q = FindOrCreateQueue(id, &why);
    // A refused queue (unknown_queues: reject, or the queue limit) is left out of the
    // agent's membership; the rest of the event still applies.
    if (q != kNoSlot &&
        std::find(agent.queues.begin(), agent.queues.end(), q) == agent.queues.end()) {
      agent.queues.push_back(q);
    }
  }
}

ApplyResult Core::ApplyAgent(const Event& e, int64_t now) {
  uint32_t a = agents_.Find(e.agent);
  if (a == kNoSlot) {
    if (e.type == EventType::kAgentLogout) return ApplyResult::Ignored(IgnoreReason::kUnknownAgent);
    // agent.state / agent.queues from an agent we never saw log in (e.g. we restarted):
    // the agent is evidently logged in, so take it in.
    if (static_cast<int64_t>(agents_.size()) >= config_.limits.max_agents) {
      return ApplyResult::Rejected(RejectReason::kLimit, "limits.max_agents reached");
    }
    a = agents_.Insert(e.agent);
    agents_[a].state_since_ms = e.ts_ms;
  }
  Agent& agent = agents_[a];
  switch (e.type) {
    case EventType::kAgentLogin:
      agent.state = AgentState::kNotReady;
      agent.state_since_ms = e.ts_ms;
      if (e.has_queues) SetAgentQueues(agent, e.queues);
      agent.team.assign(e.team);
      agent.site.assign(e.site);
      break;
    case EventType::kAgentLogout:
      agents_.Erase(a);
      break;
    case EventType::kAgentState:
      agent.state = e.state;
      agent.state_since_ms = e.ts_ms;
      break;
    case EventType::kAgentQueues:
      SetAgentQueues(agent, e.queues);
      break;
    default:
      assert(false);
  }
  return ApplyResult::Applied();
}

// ---- Time ---------------------------------------------------------------------------------

void Core::Tick(int64_t now_ms) {
  Flush();
  for (QueueChannel& qc : queue_channels_) qc.windows.Advance(now_ms, *queues_[qc.queue].zone);
  if (now_ms - last_expiry_ms_ >= 10'000) {
    last_expiry_ms_ = now_ms;
    ExpireContacts(now_ms);
  }
}

void Core::ExpireContacts(int64_t now) {
  std::vector<uint32_t> expired;
  contacts_.ForEach([&](uint32_t slot, const Contact& c) {
    const int64_t idle = now - c.touched_ms;
    if (idle > config_.limits.contact_ttl_ms ||
        (c.state == ContactState::kEnded && idle > config_.limits.wrap_timeout_ms)) {
      expired.push_back(slot);
    }
  });
  for (uint32_t slot : expired) FreeContact(slot);
  stats_.contacts_expired += expired.size();
}

}  // namespace floorwatch
