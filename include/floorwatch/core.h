// floorwatch's core: a pure state machine. Events and "now" go in; live queue, contact and
// agent state, counters and windowed figures come out, read by the renderers
// (metrics_text.h, json_api.h) and, later, alert evaluation and snapshots.
//
// No sockets, threads, timers or files: the caller passes the current time into every
// call, so tests drive it with a fake clock. Owned by exactly one thread (the core thread);
// nothing here locks. Memory is bounded by Config::limits (queues, agents, contacts,
// sources, remembered ids) and by the longest rolling window per queue/channel.
//
// Invariants (asserted in debug builds, checked by tests):
//  - QueueChannel::waiting equals the contacts in state kWaiting that point to it;
//    QueueChannel::active likewise for kConnected.
//  - The top of a waiting heap, if any, is a live waiting contact (stale entries below it
//    are dropped lazily, and the heap is compacted when they outnumber live ones).
//  - received = applied + duplicate + rejected + ignored + replay_stats().held.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/config.h"
#include "floorwatch/event.h"
#include "floorwatch/event_parser.h"
#include "floorwatch/recent_ids.h"
#include "floorwatch/reject_reason.h"
#include "floorwatch/rolling_windows.h"
#include "floorwatch/slot_map.h"
#include "floorwatch/tally.h"
#include "floorwatch/timezone.h"

namespace floorwatch {

class SnapshotCodec;

inline constexpr uint32_t kNoSlot = UINT32_MAX;

// Service-level settings resolved for one queue and channel (defaults < queue < channel).
struct ChannelSettings {
  double sl_threshold_seconds = 20;
  double sl_target = 0.8;
  SlFormula formula = SlFormula::kAnsweredPlusAbandoned;
  double short_abandon_seconds = 5;
  int64_t sl_threshold_ms = 20'000;
  int64_t short_abandon_ms = 5000;
};

struct QueueChannel {
  uint32_t queue = kNoSlot;
  Channel channel = Channel::kVoice;
  ChannelSettings settings;
  int64_t waiting = 0;
  int64_t active = 0;
  Tally totals;  // monotonic counters since start
  int64_t transferred_out = 0;
  std::vector<uint64_t> wait_buckets;  // per histogram bucket (not cumulative); last = +Inf
  int64_t wait_bucket_sum_ms = 0;      // restarts with the buckets if wait_buckets changes
  RollingWindows windows;

  struct WaitEntry {
    int64_t queued_ms;
    uint32_t contact;
    uint32_t epoch;
  };
  std::vector<WaitEntry> waiting_heap;  // min-heap by queued_ms, lazily cleaned
  // The heap order for std::push_heap and friends (they build max-heaps: invert for a min).
  static bool HeapLater(const WaitEntry& a, const WaitEntry& b) {
    return a.queued_ms > b.queued_ms;
  }

  explicit QueueChannel(const std::vector<int64_t>& rolling_seconds) : windows(rolling_seconds) {}
};

struct Queue {
  std::string id;
  bool configured = false;
  std::map<std::string, std::string> labels;
  std::unique_ptr<TimeZone> zone;
  std::array<uint32_t, kChannelCount> channels;  // index into Core::queue_channels(), or kNoSlot
  Queue() { channels.fill(kNoSlot); }
};

// kEnded: no longer waiting or connected, kept only until the after-contact work of its
// agent segments is wrapped (or limits.wrap_timeout passes).
enum class ContactState : uint8_t { kWaiting, kConnected, kEnded };

// An agent segment that ended (contact.ended, or a transfer while connected) and whose
// after-contact work is not wrapped yet. Counted where the segment was handled.
struct PendingWrap {
  uint32_t queue_channel;
  int64_t ended_ms;
  uint64_t agent_hash;  // HashId of the segment's agent, to match a wrap that names it
};

struct Contact {
  std::string id;
  int64_t queued_ms = 0;                   // entered its current queue (queued or transferred in)
  int64_t answered_ms = 0;                 // start of the current agent segment
  int64_t touched_ms = 0;                  // daemon time of its last event, for limits.contact_ttl
  uint64_t agent_hash = 0;                 // the current segment's agent
  std::vector<PendingWrap> pending_wraps;  // oldest first; empty (no allocation) nearly always
  uint32_t queue_channel = kNoSlot;
  uint32_t epoch = 0;  // bumped on every change of waiting status; validates heap entries
  ContactState state = ContactState::kWaiting;
  Channel channel = Channel::kVoice;
};

struct Agent {
  std::string id;
  AgentState state = AgentState::kNotReady;
  int64_t state_since_ms = 0;
  std::vector<uint32_t> queues;  // queue slots
  std::string team;
  std::string site;
};

// A live event held while its source replays the events before it (PROTOCOL.md, Replay).
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

// Replay figures (beyond METRICS.md; see docs/metrics.md). The counters only grow; they are
// snapshotted and journaled so that they continue across restarts.
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

struct CoreStats {
  uint64_t received = 0;
  uint64_t applied = 0;
  uint64_t duplicate = 0;
  std::array<uint64_t, kRejectReasonCount> rejected{};
  std::array<uint64_t, kIgnoreReasonCount> ignored{};
  uint64_t contacts_expired = 0;
  uint64_t input_auth_denied = 0;  // CURVE clients refused by an input's allow-list
  int64_t last_event_lag_ms = 0;   // now - ts of the last applied event
};

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

class Core {
 public:
  friend class SnapshotCodec;  // snapshot.h: saves and restores the private state
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
  using GapHandler = std::function<bool(std::string_view source, uint64_t from_seq)>;
  static constexpr size_t kMaxHeldBytesPerSource = 64 << 20;

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
  void OnInputAuthDenied() { ++stats_.input_auth_denied; }
  // Applies a parsed event (dedup, seq, then the state change) and counts the outcome.
  ApplyResult Apply(const Event& event, int64_t now_ms);

  // Expires windows, rolls `today` over and drops contacts past their TTL. Call about
  // once a second and before reading figures.
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
  // Sources with a replay in progress.
  std::vector<std::string> ReplayingSources() const;
  const ReplayStats& replay_stats() const { return replay_stats_; }
  void CountReplayTruncated() { ++replay_stats_.truncated; }
  // For a journal restore: the replay counters as journaled.
  void RestoreReplayCounters(const ReplayCounters& c) {
    static_cast<ReplayCounters&>(replay_stats_) = c;
  }
  void CountReplayTimeout() { ++replay_stats_.timeouts; }

  // Read access for renderers (same thread).
  const Config& config() const { return config_; }
  const CoreStats& stats() const { return stats_; }
  const SlotMap<Queue>& queues() const { return queues_; }
  const std::vector<QueueChannel>& queue_channels() const { return queue_channels_; }
  const SlotMap<Contact>& contacts() const { return contacts_; }
  const SlotMap<Agent>& agents() const { return agents_; }
  const SlotMap<Source>& sources() const { return sources_; }
  // Queued time of the longest-waiting contact, or nullopt when none waits.
  std::optional<int64_t> OldestQueuedMs(uint32_t queue_channel) const;
  // Age of the longest-waiting contact at `now_ms` in seconds: 0 when none waits, and never
  // negative (a queued time stamped in the future counts as 0).
  double OldestWaitSeconds(uint32_t queue_channel, int64_t now_ms) const;
  // Logged-in member agents per queue slot and state (an agent counts in each of its queues).
  // O(agents x memberships); shared by /metrics, /api/v1/queues and alert evaluation.
  using AgentCounts = std::vector<std::array<int64_t, kAgentStateCount>>;
  AgentCounts AgentsByQueue() const;
  // Windows in config order: rolling ones by index into RollingWindows, `today` separately.
  const Tally& WindowTally(const QueueChannel& qc, size_t window_index) const;

 private:
  ApplyResult ApplyContactQueued(const Event& e, int64_t now);
  ApplyResult ApplyContactAnswered(const Event& e, int64_t now);
  ApplyResult ApplyContactAbandoned(const Event& e, int64_t now);
  ApplyResult ApplyContactTransferred(const Event& e, int64_t now);
  ApplyResult ApplyContactEnded(const Event& e, int64_t now);
  ApplyResult ApplyContactWrapped(const Event& e, int64_t now);
  ApplyResult ApplyContactOther(const Event& e, int64_t now);
  ApplyResult ApplyAgent(const Event& e, int64_t now);

  // Apply without counting received. `payload` (empty for Apply) allows holding the event.
  ApplyResult Process(const Event& e, int64_t now, std::string_view payload);
  bool HoldForReplay(const Event& e, int64_t now, std::string_view payload);
  void LogInput(int64_t now, std::string_view payload,
                std::optional<RejectReason> malformed = std::nullopt) {
    if (input_log_) input_log_(now, payload, malformed);
  }
  // Parses into the next parser; a rejection is counted (after flushing) and returned.
  // The caller has counted the payload as received.
  std::optional<ApplyResult> StageOrReject(std::string_view payload, int64_t now_ms);
  bool CheckSequence(const Event& e);  // false: a duplicate by seq
  // The source's slot or kNoSlot; a busy input is nearly always one source, so the last one
  // found is checked first.
  uint32_t FindSource(std::string_view id);
  uint32_t KnownContact(const Event& e, int64_t now);  // the contact, touched; or kNoSlot
  static ApplyResult UnknownContact(const Event& e);
  ApplyResult Count(ApplyResult r, std::string_view payload);

  // Queue and queue/channel lookup, creating on demand. kNoSlot with *why set on refusal.
  uint32_t FindOrCreateQueue(std::string_view id, RejectReason* why);
  uint32_t QueueChannelOf(uint32_t queue, Channel channel);
  const QueueConfig* ConfiguredQueue(std::string_view id) const;  // nullptr: not configured
  void ApplyQueueSettings(uint32_t queue);
  ChannelSettings SettingsFor(const QueueConfig* qc_config, Channel channel) const;

  void EnterQueue(uint32_t contact, uint32_t queue_channel, int64_t ts, int64_t now);
  void LeaveWaiting(uint32_t contact);
  void EndSegment(uint32_t contact, int64_t ts, int64_t now);  // connected -> handled
  void Record(uint32_t queue_channel, int64_t ts, int64_t now, const Tally& delta);
  void FreeContact(uint32_t contact);
  // Frees the contact, or keeps it as kEnded while after-contact work is pending.
  void CloseContact(uint32_t contact);
  void ExpireContacts(int64_t now);
  void SetAgentQueues(Agent& agent, const std::vector<std::string_view>& queues);
  std::vector<int64_t> RollingSeconds() const;

  Config config_;
  std::vector<const WindowSpec*> rolling_specs_;
  SlotMap<Queue> queues_;
  std::vector<QueueChannel> queue_channels_;
  SlotMap<Contact> contacts_;
  SlotMap<Agent> agents_;
  SlotMap<Source> sources_;
  RecentIds recent_ids_;
  EventParser parsers_[2];  // alternate, so a staged event stays valid while the next parses
  int next_parser_ = 0;
  const EventParser* staged_ = nullptr;
  int64_t staged_now_ms_ = 0;
  CoreStats stats_;
  RejectLog reject_log_;
  InputLog input_log_;
  GapHandler gap_handler_;
  bool replay_delivery_ = false;  // applying replayed or released events: never hold them
  ReplayStats replay_stats_;
  int64_t last_expiry_ms_ = 0;
  uint32_t last_source_ = kNoSlot;  // a busy input is nearly always one source: skip the lookup
  Tally zero_tally_;
};

}  // namespace floorwatch
