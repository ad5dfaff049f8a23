#include "floorwatch/core/models/sources_model.h"

#include <algorithm>

namespace floorwatch {

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

uint32_t SourcesModel::FindSource(std::string_view id) {
  if (last_source_ == kNoSlot || sources_[last_source_].id != id) last_source_ = sources_.Find(id);
  return last_source_;
}

bool SourcesModel::CheckSequence(const Event& e) {
  if (!e.has_seq || e.source.empty()) return true;
  uint32_t s = FindSource(e.source);
  if (s == kNoSlot) {
    // Past limits.max_sources a source's events are applied without sequence checks.
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

SourcesModel::Hold SourcesModel::HoldForReplay(const Event& e, int64_t now,
                                               std::string_view payload, const GapHandler& gaps) {
  if (!e.has_seq || e.source.empty()) return Hold::kNo;
  const uint32_t s = FindSource(e.source);
  if (s == kNoSlot) return Hold::kNo;  // a new source: nothing to fill in yet
  Source& src = sources_[s];
  if (!src.replaying) {
    if (e.seq <= src.next_seq) return Hold::kNo;
    if (!gaps(src.id, src.next_seq)) return Hold::kNo;
    src.replaying = true;
    ++replay_.requests;
  }
  src.held.push_back(HeldEvent{e.seq, now, std::string(payload)});
  src.held_bytes += payload.size();
  ++replay_.held;
  if (src.held_bytes <= kMaxHeldBytesPerSource) return Hold::kHeld;
  // The source is not answering fast enough for this traffic; stop holding rather than grow
  // without bound. The caller's replay connection ends at its time-out.
  ++replay_.overflows;
  return Hold::kHeldAndFull;
}

std::vector<HeldEvent> SourcesModel::TakeHeld(std::string_view source) {
  const uint32_t s = sources_.Find(source);
  if (s == kNoSlot || !sources_[s].replaying) return {};
  std::vector<HeldEvent> held = std::move(sources_[s].held);
  sources_[s].held.clear();
  sources_[s].held_bytes = 0;
  sources_[s].replaying = false;
  replay_.held -= held.size();
  std::stable_sort(held.begin(), held.end(),
                   [](const HeldEvent& a, const HeldEvent& b) { return a.seq < b.seq; });
  return held;
}

std::vector<std::string> SourcesModel::Replaying() const {
  std::vector<std::string> out;
  sources_.ForEach([&](uint32_t, const Source& s) {
    if (s.replaying) out.push_back(s.id);
  });
  return out;
}

void SourcesModel::RenderMetrics(MetricWriter& w, int64_t) const {
  std::string l;
  w.Family("floorwatch_events_gap_total", "counter", "Events missing by seq, per source.");
  sources_.ForEach([&](uint32_t, const Source& s) {
    l.assign("source=\"");
    AppendLabelValue(l, s.id);
    l += '"';
    w.Sample("floorwatch_events_gap_total", l, double(s.gap_events));
  });
  w.Single("floorwatch_replay_requests_total", "counter",
           "Replays requested from sources after a gap in seq.", double(replay_.requests));
  w.Single("floorwatch_replay_events_total", "counter", "Events received on replay connections.",
           double(replay_.delivered));
  w.Single("floorwatch_replay_truncated_total", "counter",
           "Replays whose source no longer had the first missing event (the rest is a gap).",
           double(replay_.truncated));
  w.Single("floorwatch_replay_timeouts_total", "counter",
           "Replays ended by inputs[].replay_timeout instead of replay.end.",
           double(replay_.timeouts));
  w.Single("floorwatch_replay_overflows_total", "counter",
           "Replays cut short because the live events held meanwhile reached their memory bound.",
           double(replay_.overflows));
  w.Single("floorwatch_events_held", "gauge",
           "Live events held until their source's replay ends (counted as received already).",
           double(replay_.held));
}

// Snapshot section "sources", version 1: the five replay counters, u64 n, then n sources:
// str id, u64 next seq, u64 gap events. Held events are not saved: their source resends
// them after a restart (their seq lies past the restored next seq).
void SourcesModel::Save(BinaryWriter& w) const {
  PutReplayCounters(w, replay_);
  w.U64(sources_.size());
  sources_.ForEach([&](uint32_t, const Source& s) {
    w.Str(s.id);
    w.U64(s.next_seq);
    w.U64(s.gap_events);
  });
}

bool SourcesModel::Load(BinaryReader& r, uint32_t, const LoadContext&) {
  static_cast<ReplayCounters&>(replay_) = GetReplayCounters(r);
  const uint64_t n = r.Count(4 + 16);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const std::string_view id = r.Str();
    const uint64_t next_seq = r.U64();
    const uint64_t gaps = r.U64();
    if (r.failed()) break;
    if (static_cast<int64_t>(sources_.size()) >= config_.limits.max_sources) continue;
    if (sources_.Find(id) != kNoSlot) return false;
    const uint32_t slot = sources_.Insert(id);
    sources_[slot].next_seq = next_seq;
    sources_[slot].gap_events = gaps;
  }
  return !r.failed();
}

}  // namespace floorwatch
