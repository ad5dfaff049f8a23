// Sources: per `source` name, the next `seq` expected and the events missing by seq (gaps),
// and the replay bookkeeping of docs/protocol.md: while a source replays a gap, its live events
// are held here, then released in seq order when the replay ends.
//
// Not an event-type subscriber: the Core asks it about every sequenced event before any
// model sees the event (CheckSequence, Hold). Figures: floorwatch_events_gap_total{source},
// floorwatch_replay_*, floorwatch_events_held. Memory: limits.max_sources, and at most
// kMaxHeldBytesPerSource of held payloads per source. Core thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "floorwatch/core/model.h"
#include "floorwatch/core/slot_map.h"

namespace floorwatch {

// A live event held while its source replays the events before it.
struct HeldEvent {
  uint64_t seq;
  int64_t now_ms;  // when it arrived
  std::string payload;
};

struct Source {
  std::string id;
  uint64_t next_seq = 0;
  uint64_t gap_events = 0;
  bool replaying = false;       // a replay was requested; live events are held until it ends
  std::vector<HeldEvent> held;  // in arrival order
  size_t held_bytes = 0;
};

// Replay figures. The counters only grow; they are snapshotted and journaled so that they
// continue across restarts.
struct ReplayCounters {
  uint64_t requests = 0;   // replays asked for
  uint64_t delivered = 0;  // events received on replay connections
  uint64_t truncated = 0;  // replays whose source buffer no longer reached back far enough
  uint64_t timeouts = 0;   // replays ended by the time-out rather than replay.end
  uint64_t overflows = 0;  // replays ended early because the held events hit the bound
  bool operator==(const ReplayCounters&) const = default;
};

struct ReplayStats : ReplayCounters {
  uint64_t held = 0;  // live events held right now
};

// The replay counters' encoding, shared by the snapshot section and the journal's
// replay-counter records.
inline constexpr size_t kReplayCountersBytes = 5 * 8;
void PutReplayCounters(BinaryWriter& w, const ReplayCounters& counters);
ReplayCounters GetReplayCounters(BinaryReader& r);

class SourcesModel final : public Model {
 public:
  // Asked when a live event of a known source skips seq numbers: true means a replay from
  // `from_seq` was requested (the caller then ends it with Core::EndReplay).
  using GapHandler = std::function<bool(std::string_view source, uint64_t from_seq)>;
  static constexpr size_t kMaxHeldBytesPerSource = 64 << 20;
  enum class Hold : uint8_t { kNo, kHeld, kHeldAndFull };

  explicit SourcesModel(const Config& config) : config_(config) {}

  std::string_view name() const override { return "sources"; }
  void RenderMetrics(MetricWriter& writer, int64_t now_ms) const override;
  void Save(BinaryWriter& out) const override;
  bool Load(BinaryReader& in, uint32_t version, const LoadContext& context) override;

  // False: a duplicate by seq. Otherwise advances the source's next seq, counting a gap.
  bool CheckSequence(const Event& e);
  // Whether a live event is held for a replay (asking `gaps` when it opens a gap).
  // kHeldAndFull: held, and the source's held events passed their bound: end its replay.
  Hold HoldForReplay(const Event& e, int64_t now, std::string_view payload, const GapHandler& gaps);
  // Ends the replay of `source`: its held events in seq order (empty if none was running).
  std::vector<HeldEvent> TakeHeld(std::string_view source);
  std::vector<std::string> Replaying() const;

  const SlotMap<Source>& sources() const { return sources_; }
  const ReplayStats& replay() const { return replay_; }
  ReplayCounters& counters() { return replay_; }

 private:
  // The source's slot or kNoSlot; a busy input is nearly always one source, so the last
  // one found is checked first.
  uint32_t FindSource(std::string_view id);

  const Config& config_;
  SlotMap<Source> sources_;
  ReplayStats replay_;
  uint32_t last_source_ = kNoSlot;
};

}  // namespace floorwatch
