// The bridge's own figures and their /metrics text (docs/bridge.md lists them).
//
// BridgeStats is a plain value: the bridge thread keeps one and hands copies to the metrics
// thread (io/stats_board.h); PublisherCounts come from the publisher thread's counters.
// RenderBridgeMetrics is pure text building, at scrape time, from those copies.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace floorwatch::bridge {

// Records skipped, by reason and kind (for an unmapped record, its verb or type; else
// empty). Bounded: past kMaxKeys distinct pairs a new kind counts as "other".
class SkipCounts {
 public:
  static constexpr size_t kMaxKeys = 200;
  void Count(std::string_view reason, std::string_view kind);
  uint64_t Get(std::string_view reason, std::string_view kind = {}) const;
  uint64_t total() const { return total_; }
  const std::map<std::pair<std::string, std::string>, uint64_t>& counts() const { return counts_; }

 private:
  std::map<std::pair<std::string, std::string>, uint64_t> counts_;
  uint64_t total_ = 0;
};

// One unlabelled sample an adapter adds about its input (file rotations, bytes not yet read).
struct Figure {
  std::string name;
  std::string type;  // counter or gauge
  std::string help;
  double value = 0;
};

struct BridgeStats {
  std::string platform;
  std::string source;
  int64_t start_ms = 0;
  uint64_t records_read = 0;  // every input record, skipped ones included
  SkipCounts skipped;
  uint64_t events_sequenced = 0;  // given a seq (journaled with state, then handed to publish)
  uint64_t next_seq = 1;
  int64_t last_record_ts_ms = 0;  // the newest record's own time; 0 before the first
  uint64_t journal_write_errors = 0;
  uint64_t snapshots = 0;
  uint64_t snapshot_errors = 0;
  std::vector<Figure> input;
};

struct PublisherCounts {
  uint64_t published = 0;  // sent live on every output
  uint64_t replay_requests = 0;
  uint64_t replay_events = 0;
  uint64_t replay_truncated = 0;
  uint64_t buffered = 0;  // events in the replay buffer now
};

std::string RenderBridgeMetrics(const BridgeStats& stats, const PublisherCounts& publisher,
                                int64_t now_ms);

}  // namespace floorwatch::bridge
