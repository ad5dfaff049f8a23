// Core: holding a source's live events while it replays a gap (PROTOCOL.md, Replay).
#include <algorithm>

#include "floorwatch/core.h"

namespace floorwatch {

bool Core::HoldForReplay(const Event& e, int64_t now, std::string_view payload) {
  if (!e.has_seq || e.source.empty()) return false;
  const uint32_t s = FindSource(e.source);
  if (s == kNoSlot) return false;  // a new source: nothing to fill in yet
  Source& src = sources_[s];
  if (!src.replaying) {
    if (e.seq <= src.next_seq) return false;
    if (!gap_handler_(src.id, src.next_seq)) return false;
    src.replaying = true;
    ++replay_stats_.requests;
  }
  src.held.push_back(HeldEvent{e.seq, now, std::string(payload)});
  src.held_bytes += payload.size();
  ++replay_stats_.held;
  if (src.held_bytes > kMaxHeldBytesPerSource) {
    // The source is not answering fast enough for this traffic; stop holding rather than
    // grow without bound. The caller's replay connection ends at its time-out.
    ++replay_stats_.overflows;
    EndReplay(src.id, now);
  }
  return true;
}

ApplyResult Core::OnReplayPayload(std::string_view payload, int64_t now_ms) {
  ++replay_stats_.delivered;
  replay_delivery_ = true;
  const ApplyResult r = OnPayload(payload, now_ms);
  replay_delivery_ = false;
  return r;
}

void Core::EndReplay(std::string_view source, int64_t now_ms) {
  Flush();
  const uint32_t s = sources_.Find(source);
  if (s == kNoSlot || !sources_[s].replaying) return;
  std::vector<HeldEvent> held = std::move(sources_[s].held);
  sources_[s].held.clear();
  sources_[s].held_bytes = 0;
  sources_[s].replaying = false;
  replay_stats_.held -= held.size();
  std::stable_sort(held.begin(), held.end(),
                   [](const HeldEvent& a, const HeldEvent& b) { return a.seq < b.seq; });
  replay_delivery_ = true;
  for (const HeldEvent& h : held) {
    // Counted as received when it arrived; applied now, at the time the replay ended.
    if (!StageOrReject(h.payload, now_ms)) Flush();
  }
  replay_delivery_ = false;
}

std::vector<std::string> Core::ReplayingSources() const {
  std::vector<std::string> out;
  sources_.ForEach([&](uint32_t, const Source& s) {
    if (s.replaying) out.push_back(s.id);
  });
  return out;
}

}  // namespace floorwatch
