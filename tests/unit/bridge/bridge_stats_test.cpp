// The bridge's /metrics text (bridge/core/bridge_stats.cpp).
#include "floorwatch/bridge/core/bridge_stats.h"

#include <doctest/doctest.h>

using namespace floorwatch::bridge;

TEST_CASE("skips are counted by reason and kind") {
  SkipCounts s;
  s.Count("unmapped_verb", "RINGNOANSWER");
  s.Count("unmapped_verb", "RINGNOANSWER");
  s.Count("short_line", "");
  CHECK(s.Get("unmapped_verb", "RINGNOANSWER") == 2);
  CHECK(s.Get("short_line") == 1);
  CHECK(s.Get("bad_timestamp") == 0);
  CHECK(s.total() == 3);
}

TEST_CASE("past kMaxKeys distinct kinds, new kinds count as other") {
  SkipCounts s;
  for (size_t i = 0; i < SkipCounts::kMaxKeys + 10; ++i)
    s.Count("unmapped_verb", "V" + std::to_string(i));
  CHECK(s.counts().size() == SkipCounts::kMaxKeys + 1);
  CHECK(s.Get("unmapped_verb", "other") == 10);
  CHECK(s.total() == SkipCounts::kMaxKeys + 10);
}

TEST_CASE("the figures render with their labels, lag from the newest record's time") {
  BridgeStats b;
  b.platform = "asterisk";
  b.source = "asterisk-\"pbx\"";
  b.records_read = 1000;
  b.skipped.Count("unmapped_verb", "RINGNOANSWER");
  b.events_sequenced = 563;
  b.next_seq = 564;
  b.last_record_ts_ms = 100'000;
  b.input.push_back({"floorwatch_bridge_input_rotations_total", "counter", "Rotations.", 2});
  PublisherCounts p{.published = 560, .replay_requests = 1, .replay_events = 3};
  const std::string text = RenderBridgeMetrics(b, p, 112'500);
  CHECK(text.find("floorwatch_bridge_info{platform=\"asterisk\",source=\"asterisk-\\\"pbx\\\"\"") !=
        std::string::npos);
  CHECK(text.find("floorwatch_bridge_records_read_total 1000\n") != std::string::npos);
  CHECK(text.find("floorwatch_bridge_records_skipped_total{reason=\"unmapped_verb\",kind="
                  "\"RINGNOANSWER\"} 1\n") != std::string::npos);
  CHECK(text.find("floorwatch_bridge_events_published_total 560\n") != std::string::npos);
  CHECK(text.find("floorwatch_bridge_lag_seconds 12.5\n") != std::string::npos);
  CHECK(text.find("floorwatch_bridge_replay_events_total 3\n") != std::string::npos);
  CHECK(text.find("# TYPE floorwatch_bridge_input_rotations_total counter\n") != std::string::npos);
}

TEST_CASE("before the first record the lag is 0") {
  const std::string text = RenderBridgeMetrics(BridgeStats{}, PublisherCounts{}, 5'000);
  CHECK(text.find("floorwatch_bridge_lag_seconds 0\n") != std::string::npos);
}
