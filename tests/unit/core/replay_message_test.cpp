// Replay control frames (docs/protocol.md, Replay).
#include "floorwatch/core/replay_message.h"

#include <doctest/doctest.h>

using namespace floorwatch;
using Kind = ReplayControl::Kind;

TEST_CASE("replay.end gives the source and the next live seq") {
  const ReplayControl c =
      ParseReplayControl(R"({"type":"replay.end","source":"acd-1","next_seq":130})");
  CHECK(c.kind == Kind::kEnd);
  CHECK(c.source == "acd-1");
  CHECK(c.seq == 130);
}

TEST_CASE("replay.truncated gives the oldest seq the source still has") {
  const ReplayControl c =
      ParseReplayControl(R"({"type":"replay.truncated","source":"acd-1","oldest_seq":127})");
  CHECK(c.kind == Kind::kTruncated);
  CHECK(c.seq == 127);
}

TEST_CASE("an event frame is not a control frame, even when it mentions replay") {
  CHECK(ParseReplayControl(R"({"type":"contact.queued","contact":"c","queue":"q","ts":1,"seq":4})")
            .kind == Kind::kNotControl);
  CHECK(ParseReplayControl(R"({"type":"contact.queued","reason":"\"replay.end\""})").kind ==
        Kind::kNotControl);
  CHECK(ParseReplayControl("not json \"replay.end").kind == Kind::kNotControl);
}

TEST_CASE("a replay frame without its fields is malformed") {
  CHECK(ParseReplayControl(R"({"type":"replay.end","source":"acd-1"})").kind == Kind::kMalformed);
  CHECK(ParseReplayControl(R"({"type":"replay.end","next_seq":3})").kind == Kind::kMalformed);
  CHECK(ParseReplayControl(R"({"type":"replay.truncated","source":"s","oldest_seq":-1})").kind ==
        Kind::kMalformed);
}

TEST_CASE("the request names the source (escaped) and the first missing seq") {
  CHECK(ReplayRequestJson("acd-1", 124) ==
        R"({"type":"replay.request","source":"acd-1","from_seq":124})");
  CHECK(ReplayRequestJson("a\"b", 1) ==
        R"({"type":"replay.request","source":"a\"b","from_seq":1})");
}
