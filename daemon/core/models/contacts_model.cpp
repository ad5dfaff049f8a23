#include "floorwatch/core/models/contacts_model.h"

#include <algorithm>
#include <cassert>

namespace floorwatch {
namespace {

int64_t NonNegative(int64_t ms) { return ms < 0 ? 0 : ms; }  // clock skew counts as 0

using Kind = ContactChange::Kind;

constexpr MeasureDef kMeasures[] = {
    {"waiting_contacts", false, MeasureUnit::kCount},
    {"active_contacts", false, MeasureUnit::kCount},
    {"oldest_wait_seconds", false, MeasureUnit::kSeconds},
};

}  // namespace

ContactsModel::ContactsModel(const Config& config, QueueDirectory& directory)
    : config_(config), directory_(directory) {}

void ContactsModel::Subscribe(Subscriptions& s) {
  for (EventType t :
       {EventType::kContactQueued, EventType::kContactAnswered, EventType::kContactAbandoned,
        EventType::kContactTransferred, EventType::kContactEnded, EventType::kContactWrapped,
        EventType::kContactEscalated, EventType::kContactMessage}) {
    s.Own(t, this);
  }
  // Surveys and evaluations are the feedback model's (it remembers closed contacts too);
  // one naming a live contact still keeps that contact from expiring.
  s.Observe(EventType::kContactSurvey, this);
  s.Observe(EventType::kContactEvaluated, this);
}

void ContactsModel::Observe(const EventContext& c) {
  if (c.contact.contact != kNoSlot && contacts_.InUse(c.contact.contact)) {
    contacts_[c.contact.contact].touched_ms = c.now_ms;
  }
}

ApplyResult ContactsModel::Apply(EventContext& c) {
  in_event_ = true;  // frees wait for FinishEvent, so observers still see the contact
  switch (c.event.type) {
    case EventType::kContactQueued:
      return Queued(c);
    case EventType::kContactAnswered:
      return Answered(c);
    case EventType::kContactAbandoned:
      return Abandoned(c);
    case EventType::kContactTransferred:
      return Transferred(c);
    case EventType::kContactEnded:
      return Ended(c);
    case EventType::kContactWrapped:
      return Wrapped(c);
    default:
      return NeedsKnownContact(c);
  }
}

std::optional<int64_t> ContactsModel::OldestQueuedMs(uint32_t queue_channel) const {
  const Waits& w = per_qc_[queue_channel];
  if (w.heap.empty()) return std::nullopt;
  return w.heap.top().ms();
}

double ContactsModel::OldestWaitSeconds(uint32_t queue_channel, int64_t now_ms) const {
  const auto oldest = OldestQueuedMs(queue_channel);
  return oldest && now_ms > *oldest ? double(now_ms - *oldest) / 1000.0 : 0.0;
}

// ---- Lifecycle ----------------------------------------------------------------------------

uint32_t ContactsModel::KnownContact(const Event& e, int64_t now) {
  const uint32_t c = contacts_.Find(e.contact);
  if (c != kNoSlot) contacts_[c].touched_ms = now;
  return c;
}

static ApplyResult UnknownContact(const Event& e) {
  return ApplyResult::Rejected(RejectReason::kUnknownContact, EventTypeName(e.type));
}

void ContactsModel::EnterQueue(uint32_t c, uint32_t queue_channel, int64_t ts, int32_t priority) {
  Contact& contact = contacts_[c];
  Waits& w = per_qc_[queue_channel];
  contact.state = ContactState::kWaiting;
  contact.queue_channel = queue_channel;
  contact.channel = directory_[queue_channel].channel;
  contact.queued_ms = ts;
  contact.priority = priority;
  ++w.waiting;
  ++w.changes;
  w.heap.Push(ts, c, Mover());
}

void ContactsModel::LeaveWaiting(uint32_t c) {
  Contact& contact = contacts_[c];
  assert(contact.state == ContactState::kWaiting);
  Waits& w = per_qc_[contact.queue_channel];
  --w.waiting;
  ++w.changes;
  assert(contact.wait_pos < w.heap.size() && w.heap.at(contact.wait_pos).id == c);
  w.heap.Erase(contact.wait_pos, Mover());
}

int64_t ContactsModel::EndSegment(uint32_t c, int64_t ts) {
  Contact& contact = contacts_[c];
  assert(contact.state == ContactState::kConnected);
  CountConnected(contact, -1);
  contact.pending_wraps.push_back({contact.queue_channel, ts, contact.agent_hash});
  contact.state = ContactState::kEnded;  // the caller re-queues it (transfer) or closes it
  return NonNegative(ts - contact.answered_ms);
}

void ContactsModel::CountConnected(const Contact& contact, int sign) {
  per_qc_[contact.queue_channel].active += sign;
  const uint64_t key = AgentKey(contact.agent_hash);
  AgentLoad& load = by_agent_[key];
  load.connected[static_cast<int>(contact.channel)] += sign;
  load.total += sign;
}

// One pass over the loads (about the connected agents) per Tick.
void ContactsModel::DropIdleAgents() {
  idle_agents_.clear();
  by_agent_.ForEach([&](uint64_t key, const AgentLoad& load) {
    if (load.total == 0) idle_agents_.push_back(key);
  });
  for (uint64_t key : idle_agents_) by_agent_.Erase(key);
}

void ContactsModel::CloseContact(uint32_t c) {
  Contact& contact = contacts_[c];
  if (contact.pending_wraps.empty()) return FreeContact(c);
  if (contact.state == ContactState::kWaiting) LeaveWaiting(c);
  if (contact.state == ContactState::kConnected) CountConnected(contact, -1);
  contact.state = ContactState::kEnded;
}

void ContactsModel::Release(uint32_t c) {
  Contact& contact = contacts_[c];
  if (contact.state == ContactState::kWaiting) LeaveWaiting(c);
  if (contact.state == ContactState::kConnected) CountConnected(contact, -1);
  contact.state = ContactState::kEnded;
}

void ContactsModel::FreeContact(uint32_t c) {
  assert(in_event_);
  Release(c);
  freed_.push_back(c);
}

void ContactsModel::Erase(uint32_t c, int64_t now_ms) {
  if (closed_) closed_(c, now_ms);
  contacts_.Erase(c);
}

void ContactsModel::FinishEvent(int64_t now_ms) {
  in_event_ = false;
  for (uint32_t c : freed_) Erase(c, now_ms);
  freed_.clear();
}

ApplyResult ContactsModel::Queued(EventContext& ctx) {
  const Event& e = ctx.event;
  RejectReason why;
  const uint32_t q = directory_.FindOrCreateQueue(e.queue, &why);
  if (q == kNoSlot) return ApplyResult::Rejected(why, "queue refused");
  uint32_t c = KnownContact(e, ctx.now_ms);
  if (c != kNoSlot) {
    Contact& contact = contacts_[c];
    if (contact.state == ContactState::kWaiting && directory_[contact.queue_channel].queue == q) {
      return ApplyResult::Ignored(IgnoreReason::kNoChange);
    }
    if (contact.state != ContactState::kEnded) return Transferred(ctx);  // requeued elsewhere
    // The same id starts a new conversation; earlier segments may still be wrapped.
  } else {
    if (static_cast<int64_t>(contacts_.size()) >= config_.limits.max_contacts) {
      return ApplyResult::Rejected(RejectReason::kLimit, "limits.max_contacts reached");
    }
  }
  const uint32_t qc = directory_.QueueChannelOf(q, e.channel);  // may grow per_qc_
  if (c == kNoSlot) {
    c = contacts_.Insert(e.contact);
    contacts_[c].touched_ms = ctx.now_ms;
  }
  EnterQueue(c, qc, e.ts_ms, static_cast<int32_t>(e.priority));
  ctx.contact = {.kind = Kind::kQueued, .contact = c, .new_contact = true, .queue_channel = qc};
  return ApplyResult::Applied();
}

ApplyResult ContactsModel::Answered(EventContext& ctx) {
  const Event& e = ctx.event;
  const uint32_t c = KnownContact(e, ctx.now_ms);
  if (c == kNoSlot) return UnknownContact(e);
  Contact& contact = contacts_[c];
  if (contact.state != ContactState::kWaiting)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  LeaveWaiting(c);
  contact.state = ContactState::kConnected;
  contact.answered_ms = e.ts_ms;
  contact.agent_hash = HashId(e.agent);
  CountConnected(contact, +1);
  ctx.contact = {.kind = Kind::kAnswered,
                 .contact = c,
                 .queue_channel = contact.queue_channel,
                 .wait_ms = NonNegative(e.ts_ms - contact.queued_ms)};
  return ApplyResult::Applied();
}

ApplyResult ContactsModel::Abandoned(EventContext& ctx) {
  const Event& e = ctx.event;
  const uint32_t c = KnownContact(e, ctx.now_ms);
  if (c == kNoSlot) return UnknownContact(e);
  Contact& contact = contacts_[c];
  if (contact.state != ContactState::kWaiting)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  ctx.contact = {.kind = Kind::kAbandoned,
                 .contact = c,
                 .queue_channel = contact.queue_channel,
                 .wait_ms = NonNegative(e.ts_ms - contact.queued_ms)};
  CloseContact(c);
  return ApplyResult::Applied();
}

ApplyResult ContactsModel::Transferred(EventContext& ctx) {
  const Event& e = ctx.event;
  const uint32_t c = KnownContact(e, ctx.now_ms);
  if (c == kNoSlot) return UnknownContact(e);
  RejectReason why;
  const uint32_t q = directory_.FindOrCreateQueue(e.queue, &why);
  if (q == kNoSlot) return ApplyResult::Rejected(why, "target queue refused");
  if (contacts_[c].state == ContactState::kEnded)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  // A contact.queued that moves a contact names its channel and priority; a transfer keeps
  // them.
  const bool requeued = e.type == EventType::kContactQueued;
  const Channel channel = requeued ? e.channel : contacts_[c].channel;
  const int32_t priority = requeued ? static_cast<int32_t>(e.priority) : contacts_[c].priority;
  const uint32_t target = directory_.QueueChannelOf(q, channel);  // may grow per_qc_
  Contact& contact = contacts_[c];
  ctx.contact = {
      .kind = Kind::kTransferred, .contact = c, .from_queue_channel = contact.queue_channel};
  if (contact.state == ContactState::kWaiting) {
    LeaveWaiting(c);
  } else {
    ctx.contact.segment_ended = true;
    ctx.contact.talk_ms = EndSegment(c, e.ts_ms);
  }
  EnterQueue(c, target, e.ts_ms, priority);
  ctx.contact.queue_channel = target;
  return ApplyResult::Applied();
}

ApplyResult ContactsModel::Ended(EventContext& ctx) {
  const Event& e = ctx.event;
  const uint32_t c = KnownContact(e, ctx.now_ms);
  if (c == kNoSlot) return UnknownContact(e);
  if (contacts_[c].state != ContactState::kConnected)
    return ApplyResult::Ignored(IgnoreReason::kInvalidState);
  ctx.contact = {.kind = Kind::kEnded, .contact = c, .queue_channel = contacts_[c].queue_channel};
  ctx.contact.talk_ms = EndSegment(c, e.ts_ms);
  CloseContact(c);
  return ApplyResult::Applied();
}

ApplyResult ContactsModel::Wrapped(EventContext& ctx) {
  const Event& e = ctx.event;
  const uint32_t c = KnownContact(e, ctx.now_ms);
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
  ctx.contact = {.kind = Kind::kWrapped,
                 .contact = c,
                 .queue_channel = segment->queue_channel,
                 .acw_ms = NonNegative(e.ts_ms - segment->ended_ms)};
  pending.erase(segment);
  if (pending.empty()) pending.shrink_to_fit();  // give the memory back
  if (contact.state == ContactState::kEnded && pending.empty()) FreeContact(c);
  return ApplyResult::Applied();
}

ApplyResult ContactsModel::NeedsKnownContact(EventContext& ctx) {
  // Escalations and messages must name a contact the daemon holds.
  const Event& e = ctx.event;
  const uint32_t c = KnownContact(e, ctx.now_ms);
  if (c == kNoSlot) return UnknownContact(e);
  ctx.contact.contact = c;
  return ApplyResult::Applied();
}

// ---- Time ---------------------------------------------------------------------------------

void ContactsModel::Tick(int64_t now_ms) {
  DropIdleAgents();
  if (now_ms - last_expiry_ms_ < 10'000) return;
  last_expiry_ms_ = now_ms;
  ExpireContacts(now_ms);
}

void ContactsModel::ExpireContacts(int64_t now) {
  std::vector<uint32_t> expired;
  contacts_.ForEach([&](uint32_t slot, const Contact& c) {
    const int64_t idle = now - c.touched_ms;
    if (idle > config_.limits.contact_ttl_ms ||
        (c.state == ContactState::kEnded && idle > config_.limits.wrap_timeout_ms)) {
      expired.push_back(slot);
    }
  });
  for (uint32_t slot : expired) {
    Release(slot);
    Erase(slot, now);
  }
  expired_ += expired.size();
}

// ---- Figures ------------------------------------------------------------------------------

std::span<const MeasureDef> ContactsModel::MeasureDefs() { return kMeasures; }

Reading ContactsModel::Measure(size_t measure, uint32_t qc, size_t, int64_t now_ms) const {
  const Waits& w = per_qc_[qc];
  switch (measure) {
    case 0:
      return {double(w.waiting), w.waiting};
    case 1:
      return {double(w.active), w.active};
    default:
      return {OldestWaitSeconds(qc, now_ms), w.waiting};
  }
}

}  // namespace floorwatch
