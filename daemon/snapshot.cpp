#include "floorwatch/snapshot.h"

#include <algorithm>
#include <cassert>

#include "floorwatch/binary_io.h"

namespace floorwatch {
namespace {

constexpr std::string_view kMagic = "FWSNAP";
constexpr uint32_t kVersion = 1;

void PutTally(BinaryWriter& w, const Tally& t) {
  for (int64_t v : {t.offered, t.answered, t.answered_in_sl, t.abandoned, t.short_abandoned,
                    t.abandoned_in_sl, t.handled, t.wait_ms, t.talk_ms, t.acw_ms}) {
    w.I64(v);
  }
}

Tally GetTally(BinaryReader& r) {
  Tally t;
  for (int64_t* v : {&t.offered, &t.answered, &t.answered_in_sl, &t.abandoned, &t.short_abandoned,
                     &t.abandoned_in_sl, &t.handled, &t.wait_ms, &t.talk_ms, &t.acw_ms}) {
    *v = r.I64();
  }
  return t;
}

constexpr size_t kTallyBytes = 10 * 8;

}  // namespace

// Reaches into the private state of Core, RollingWindows and RecentIds (friends of this).
class SnapshotCodec {
 public:
  static void Save(const Core& core, const SnapshotMeta& meta, BinaryWriter& w);
  static bool Load(BinaryReader& r, Core& core, SnapshotMeta* meta, std::string* error);

 private:
  static void SaveStats(const Core& core, BinaryWriter& w);
  static void LoadStats(BinaryReader& r, Core& core);
  static void SaveWindows(const RollingWindows& rw, BinaryWriter& w);
  static void LoadWindows(BinaryReader& r, RollingWindows& rw, bool keep);
  static void SaveQueueChannels(const Core& core, BinaryWriter& w);
  static std::vector<uint32_t> LoadQueueChannels(BinaryReader& r, Core& core, bool same_windows,
                                                 bool same_buckets);
  static void SaveContacts(const Core& core, BinaryWriter& w);
  static void LoadContacts(BinaryReader& r, Core& core, const std::vector<uint32_t>& qc_map);
  static void SaveAgents(const Core& core, BinaryWriter& w);
  static void LoadAgents(BinaryReader& r, Core& core);
  static void SaveSources(const Core& core, BinaryWriter& w);
  static void LoadSources(BinaryReader& r, Core& core);
  static void SaveRecentIds(const RecentIds& ids, BinaryWriter& w);
  static void LoadRecentIds(BinaryReader& r, RecentIds& ids);
};

void SnapshotCodec::SaveStats(const Core& core, BinaryWriter& w) {
  const CoreStats& s = core.stats_;
  w.U64(s.received - core.replay_stats_.held);  // held events are not in the snapshot
  w.U64(s.applied);
  w.U64(s.duplicate);
  w.U32(kRejectReasonCount);
  for (uint64_t v : s.rejected) w.U64(v);
  w.U32(kIgnoreReasonCount);
  for (uint64_t v : s.ignored) w.U64(v);
  w.U64(s.contacts_expired);
  w.U64(s.input_auth_denied);
  w.I64(s.last_event_lag_ms);
  PutReplayCounters(w, core.replay_stats_);
  w.I64(core.last_expiry_ms_);
}

void SnapshotCodec::LoadStats(BinaryReader& r, Core& core) {
  CoreStats& s = core.stats_;
  s.received = r.U64();
  s.applied = r.U64();
  s.duplicate = r.U64();
  if (r.U32() != kRejectReasonCount) return r.Fail();
  for (uint64_t& v : s.rejected) v = r.U64();
  if (r.U32() != kIgnoreReasonCount) return r.Fail();
  for (uint64_t& v : s.ignored) v = r.U64();
  s.contacts_expired = r.U64();
  s.input_auth_denied = r.U64();
  s.last_event_lag_ms = r.I64();
  core.RestoreReplayCounters(GetReplayCounters(r));
  core.last_expiry_ms_ = r.I64();
}

void SnapshotCodec::SaveWindows(const RollingWindows& rw, BinaryWriter& w) {
  w.U64(rw.buckets_.size());
  for (const auto& b : rw.buckets_) {
    w.I64(b.second);
    PutTally(w, b.tally);
  }
  w.U64(rw.windows_.size());
  for (const auto& win : rw.windows_) {
    w.I64(win.length_s);
    w.I64(win.boundary_s);
    w.U64(win.first);
    PutTally(w, win.sum);
  }
  w.I64(rw.today_day_);
  PutTally(w, rw.today_);
}

// `keep` false: the window list changed since the snapshot; read past the buckets and keep
// the fresh (empty) windows, as a reload that changes the list does. `today` is kept.
void SnapshotCodec::LoadWindows(BinaryReader& r, RollingWindows& rw, bool keep) {
  const uint64_t buckets = r.Count(8 + kTallyBytes);
  for (uint64_t i = 0; i < buckets && !r.failed(); ++i) {
    const int64_t second = r.I64();
    const Tally t = GetTally(r);
    if (keep) rw.buckets_.push_back({second, t});
  }
  const uint64_t windows = r.Count(24 + kTallyBytes);
  if (keep && windows != rw.windows_.size()) return r.Fail();
  for (uint64_t i = 0; i < windows && !r.failed(); ++i) {
    RollingWindows::Window win{r.I64(), r.I64(), r.U64(), GetTally(r)};
    if (!keep) continue;
    if (win.length_s != rw.windows_[i].length_s || win.first > rw.buckets_.size()) return r.Fail();
    rw.windows_[i] = win;
  }
  rw.today_day_ = r.I64();
  rw.today_ = GetTally(r);
}

void SnapshotCodec::SaveQueueChannels(const Core& core, BinaryWriter& w) {
  w.U64(core.queue_channels_.size());
  for (const QueueChannel& qc : core.queue_channels_) {
    w.Str(core.queues_[qc.queue].id);
    w.U8(static_cast<uint8_t>(qc.channel));
    PutTally(w, qc.totals);
    w.I64(qc.transferred_out);
    w.U64(qc.wait_buckets.size());
    for (uint64_t b : qc.wait_buckets) w.U64(b);
    w.I64(qc.wait_bucket_sum_ms);
    SaveWindows(qc.windows, w);
  }
}

std::vector<uint32_t> SnapshotCodec::LoadQueueChannels(BinaryReader& r, Core& core,
                                                       bool same_windows, bool same_buckets) {
  const uint64_t n = r.Count(4 + 1 + kTallyBytes);
  std::vector<uint32_t> map;  // snapshot index -> this core's index (kNoSlot: refused)
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const std::string_view queue = r.Str();
    const uint8_t channel = r.U8();
    if (channel >= kChannelCount) r.Fail();
    if (r.failed()) break;
    RejectReason why;
    const uint32_t q = core.FindOrCreateQueue(queue, &why);
    const uint32_t index = q == kNoSlot ? kNoSlot : core.QueueChannelOf(q, Channel(channel));
    map.push_back(index);
    QueueChannel scratch(core.RollingSeconds());  // reads a queue this config refuses
    QueueChannel& qc = index == kNoSlot ? scratch : core.queue_channels_[index];
    qc.totals = GetTally(r);
    qc.transferred_out = r.I64();
    const uint64_t buckets = r.Count(8);
    std::vector<uint64_t> counts;
    for (uint64_t b = 0; b < buckets && !r.failed(); ++b) counts.push_back(r.U64());
    const int64_t sum = r.I64();
    if (same_buckets && counts.size() == qc.wait_buckets.size()) {
      qc.wait_buckets = std::move(counts);
      qc.wait_bucket_sum_ms = sum;
    }
    LoadWindows(r, qc.windows, same_windows);
  }
  return map;
}

void SnapshotCodec::SaveContacts(const Core& core, BinaryWriter& w) {
  w.U64(core.contacts_.size());
  core.contacts_.ForEach([&](uint32_t, const Contact& c) {
    w.Str(c.id);
    w.I64(c.queued_ms);
    w.I64(c.answered_ms);
    w.I64(c.touched_ms);
    w.U64(c.agent_hash);
    w.U32(c.queue_channel);
    w.U32(c.epoch);
    w.U8(static_cast<uint8_t>(c.state));
    w.U8(static_cast<uint8_t>(c.channel));
    w.U64(c.pending_wraps.size());
    for (const PendingWrap& p : c.pending_wraps) {
      w.U32(p.queue_channel);
      w.I64(p.ended_ms);
      w.U64(p.agent_hash);
    }
  });
}

void SnapshotCodec::LoadContacts(BinaryReader& r, Core& core, const std::vector<uint32_t>& map) {
  const auto mapped = [&](uint32_t index) { return index < map.size() ? map[index] : kNoSlot; };
  const uint64_t n = r.Count(4 + 8 * 4 + 4 * 2 + 2 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    Contact c;
    const std::string_view id = r.Str();
    c.queued_ms = r.I64();
    c.answered_ms = r.I64();
    c.touched_ms = r.I64();
    c.agent_hash = r.U64();
    c.queue_channel = mapped(r.U32());
    c.epoch = r.U32();
    const uint8_t state = r.U8();
    const uint8_t channel = r.U8();
    if (state > static_cast<uint8_t>(ContactState::kEnded) || channel >= kChannelCount) r.Fail();
    c.state = ContactState(state);
    c.channel = Channel(channel);
    const uint64_t wraps = r.Count(4 + 8 + 8);
    for (uint64_t k = 0; k < wraps && !r.failed(); ++k) {
      PendingWrap p{mapped(r.U32()), r.I64(), r.U64()};
      if (p.queue_channel != kNoSlot) c.pending_wraps.push_back(p);
    }
    if (r.failed()) break;
    // A contact in a queue this config refuses, or that would pass limits.max_contacts, is
    // dropped, as it would have been had it arrived now.
    if (c.queue_channel == kNoSlot && c.state != ContactState::kEnded) continue;
    if (c.state == ContactState::kEnded && c.pending_wraps.empty()) continue;
    if (static_cast<int64_t>(core.contacts_.size()) >= core.config_.limits.max_contacts) continue;
    if (core.contacts_.Find(id) != kNoSlot) return r.Fail();
    const uint32_t slot = core.contacts_.Insert(id);
    c.id = std::string(id);
    core.contacts_[slot] = std::move(c);
    const Contact& placed = core.contacts_[slot];
    if (placed.state == ContactState::kEnded) continue;
    QueueChannel& qc = core.queue_channels_[placed.queue_channel];
    if (placed.state == ContactState::kWaiting) {
      ++qc.waiting;
      qc.waiting_heap.push_back({placed.queued_ms, slot, placed.epoch});
    } else {
      ++qc.active;
    }
  }
}

void SnapshotCodec::SaveAgents(const Core& core, BinaryWriter& w) {
  w.U64(core.agents_.size());
  core.agents_.ForEach([&](uint32_t, const Agent& a) {
    w.Str(a.id);
    w.U8(static_cast<uint8_t>(a.state));
    w.I64(a.state_since_ms);
    w.Str(a.team);
    w.Str(a.site);
    w.U64(a.queues.size());
    for (uint32_t q : a.queues) w.Str(core.queues_[q].id);
  });
}

void SnapshotCodec::LoadAgents(BinaryReader& r, Core& core) {
  const uint64_t n = r.Count(4 + 1 + 8 + 4 + 4 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const std::string_view id = r.Str();
    const uint8_t state = r.U8();
    if (state >= kAgentStateCount) r.Fail();
    Agent a;
    a.state = AgentState(state);
    a.state_since_ms = r.I64();
    a.team = std::string(r.Str());
    a.site = std::string(r.Str());
    const uint64_t queues = r.Count(4);
    for (uint64_t k = 0; k < queues && !r.failed(); ++k) {
      const uint32_t q = core.queues_.Find(r.Str());
      if (q != kNoSlot) a.queues.push_back(q);
    }
    if (r.failed()) break;
    if (static_cast<int64_t>(core.agents_.size()) >= core.config_.limits.max_agents) continue;
    if (core.agents_.Find(id) != kNoSlot) return r.Fail();
    const uint32_t slot = core.agents_.Insert(id);
    a.id = std::string(id);
    core.agents_[slot] = std::move(a);
  }
}

void SnapshotCodec::SaveSources(const Core& core, BinaryWriter& w) {
  w.U64(core.sources_.size());
  core.sources_.ForEach([&](uint32_t, const Source& s) {
    w.Str(s.id);
    w.U64(s.next_seq);
    w.U64(s.gap_events);
  });
}

void SnapshotCodec::LoadSources(BinaryReader& r, Core& core) {
  const uint64_t n = r.Count(4 + 16);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const std::string_view id = r.Str();
    const uint64_t next_seq = r.U64();
    const uint64_t gaps = r.U64();
    if (r.failed()) break;
    if (static_cast<int64_t>(core.sources_.size()) >= core.config_.limits.max_sources) continue;
    if (core.sources_.Find(id) != kNoSlot) return r.Fail();
    const uint32_t slot = core.sources_.Insert(id);
    core.sources_[slot].next_seq = next_seq;
    core.sources_[slot].gap_events = gaps;
  }
}

void SnapshotCodec::SaveRecentIds(const RecentIds& ids, BinaryWriter& w) {
  w.U64(ids.buckets_.size());
  for (const auto& b : ids.buckets_) {
    for (uint64_t id : b.ids) w.U64(id);
  }
}

// A different limits.dedup_ids since the snapshot: the memory starts empty (a duplicate
// older than the restart is then applied again; the seq check still catches sequenced ones).
void SnapshotCodec::LoadRecentIds(BinaryReader& r, RecentIds& ids) {
  const uint64_t n = r.Count(8 * RecentIds::kWays);
  const bool keep = n == ids.buckets_.size();
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    for (int k = 0; k < RecentIds::kWays; ++k) {
      const uint64_t id = r.U64();
      if (keep) ids.buckets_[i].ids[k] = id;
    }
  }
}

void SnapshotCodec::Save(const Core& core, const SnapshotMeta& meta, BinaryWriter& w) {
  w.U64(meta.journal_generation);
  w.I64(meta.written_ms);
  const std::vector<int64_t> rolling = core.RollingSeconds();
  w.U64(rolling.size());
  for (int64_t s : rolling) w.I64(s);
  w.U64(core.config_.wait_buckets.size());
  for (double b : core.config_.wait_buckets) w.F64(b);
  SaveStats(core, w);
  SaveQueueChannels(core, w);
  SaveContacts(core, w);
  SaveAgents(core, w);
  SaveSources(core, w);
  SaveRecentIds(core.recent_ids_, w);
}

bool SnapshotCodec::Load(BinaryReader& r, Core& core, SnapshotMeta* meta, std::string* error) {
  meta->journal_generation = r.U64();
  meta->written_ms = r.I64();
  std::vector<int64_t> rolling(r.Count(8));
  for (int64_t& s : rolling) s = r.I64();
  std::vector<double> buckets(r.Count(8));
  for (double& b : buckets) b = r.F64();
  LoadStats(r, core);
  const std::vector<uint32_t> qc_map = LoadQueueChannels(r, core, rolling == core.RollingSeconds(),
                                                         buckets == core.config_.wait_buckets);
  LoadContacts(r, core, qc_map);
  LoadAgents(r, core);
  LoadSources(r, core);
  LoadRecentIds(r, core.recent_ids_);
  for (QueueChannel& qc : core.queue_channels_) {
    std::make_heap(qc.waiting_heap.begin(), qc.waiting_heap.end(), QueueChannel::HeapLater);
  }
  if (r.failed() || r.remaining() != 0) {
    *error = "snapshot body does not match its layout";
    return false;
  }
  return true;
}

void PutReplayCounters(BinaryWriter& w, const ReplayCounters& c) {
  for (uint64_t v : {c.requests, c.delivered, c.truncated, c.timeouts, c.overflows}) w.U64(v);
}

ReplayCounters GetReplayCounters(BinaryReader& r) {
  ReplayCounters c;
  for (uint64_t* v : {&c.requests, &c.delivered, &c.truncated, &c.timeouts, &c.overflows}) {
    *v = r.U64();
  }
  return c;
}

void SaveSnapshot(const Core& core, const SnapshotMeta& meta, std::string& out) {
  out.clear();
  out.append(kMagic);
  BinaryWriter w(out);
  w.U32(kVersion);
  SnapshotCodec::Save(core, meta, w);
  w.U32(Crc32c(out));
}

SnapshotLoad LoadSnapshot(std::string_view bytes, Core& core, SnapshotMeta* meta,
                          std::string* error) {
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    *error = "not a floorwatch snapshot";
    return SnapshotLoad::kDamaged;
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 4);
  BinaryReader tail(bytes.substr(bytes.size() - 4));
  if (Crc32c(body) != tail.U32()) {
    *error = "snapshot checksum mismatch";
    return SnapshotLoad::kDamaged;
  }
  BinaryReader r(body.substr(kMagic.size()));
  const uint32_t version = r.U32();
  if (version != kVersion) {
    *error = "snapshot layout version " + std::to_string(version) + ", this build reads " +
             std::to_string(kVersion);
    return SnapshotLoad::kIncompatible;
  }
  core.Flush();
  return SnapshotCodec::Load(r, core, meta, error) ? SnapshotLoad::kOk : SnapshotLoad::kLayoutError;
}

}  // namespace floorwatch
