// The replay buffer and its answers (bridge/core/replay_ring.cpp, PROTOCOL.md "Replay").
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "floorwatch/bridge/core/replay_ring.h"
#include "floorwatch/core/replay_message.h"

using namespace floorwatch;
using namespace floorwatch::bridge;

namespace {

ReplayRing RingOf(size_t capacity, uint64_t first, uint64_t count) {
  ReplayRing ring(capacity, first);
  for (uint64_t s = first; s < first + count; ++s) ring.Add(s, "t", "e" + std::to_string(s));
  return ring;
}

std::vector<std::string> Answer(const ReplayRing& ring, const std::string& request,
                                ReplayAnswer* a = nullptr) {
  std::vector<std::string> frames;
  const ReplayAnswer got =
      ring.Answer(request, "acd-1", [&](std::string_view f) { frames.emplace_back(f); });
  if (a) *a = got;
  return frames;
}

}  // namespace

TEST_CASE("a request gets the events from from_seq on, then replay.end with the next seq") {
  const ReplayRing ring = RingOf(10, 1, 5);
  ReplayAnswer a;
  const auto frames = Answer(ring, ReplayRequestJson("acd-1", 3), &a);
  REQUIRE(frames.size() == 4);
  CHECK(frames[0] == "e3");
  CHECK(frames[2] == "e5");
  const ReplayControl end = ParseReplayControl(frames[3]);
  CHECK(end.kind == ReplayControl::Kind::kEnd);
  CHECK(end.source == "acd-1");
  CHECK(end.seq == 6);
  CHECK(a.answered);
  CHECK(a.events == 3);
  CHECK_FALSE(a.truncated);
}

TEST_CASE("past its capacity the oldest go; a request before them gets replay.truncated first") {
  const ReplayRing ring = RingOf(3, 1, 5);  // holds 3, 4, 5
  CHECK(ring.oldest_seq() == 3);
  ReplayAnswer a;
  const auto frames = Answer(ring, ReplayRequestJson("acd-1", 1), &a);
  REQUIRE(frames.size() == 5);
  const ReplayControl t = ParseReplayControl(frames[0]);
  CHECK(t.kind == ReplayControl::Kind::kTruncated);
  CHECK(t.seq == 3);
  CHECK(frames[1] == "e3");
  CHECK(a.truncated);
}

TEST_CASE("a request for what is not sent yet gets replay.end alone") {
  const ReplayRing ring = RingOf(10, 1, 5);
  const auto frames = Answer(ring, ReplayRequestJson("acd-1", 6));
  REQUIRE(frames.size() == 1);
  CHECK(ParseReplayControl(frames[0]).seq == 6);
}

TEST_CASE("an empty ring answers with its starting seq (a restart with nothing buffered)") {
  const ReplayRing ring(10, 42);
  const auto frames = Answer(ring, ReplayRequestJson("acd-1", 42));
  REQUIRE(frames.size() == 1);
  CHECK(ParseReplayControl(frames[0]).seq == 42);
}

TEST_CASE("a request for another source gets replay.end for that source and no events") {
  const ReplayRing ring = RingOf(10, 1, 5);
  const auto frames = Answer(ring, ReplayRequestJson("other", 1));
  REQUIRE(frames.size() == 1);
  CHECK(ParseReplayControl(frames[0]).source == "other");
}

TEST_CASE("frames that are not a replay.request are not answered") {
  const ReplayRing ring = RingOf(10, 1, 5);
  ReplayAnswer a;
  for (const char* junk : {"", "{", R"({"type":"replay.end","source":"acd-1","next_seq":3})",
                           R"({"type":"replay.request","source":"acd-1","from_seq":-1})",
                           R"({"type":"replay.request","from_seq":2})"}) {
    CAPTURE(junk);
    CHECK(Answer(ring, junk, &a).empty());
    CHECK_FALSE(a.answered);
  }
}
