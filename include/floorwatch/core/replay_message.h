// The control messages of the replay protocol (docs/protocol.md, Replay): the request the daemon
// sends, and the replay.end / replay.truncated frames a source answers with (every other
// frame on a replay connection is an event, applied like a live one).
//
// Pure: no I/O, no state. Strict like the event parser: a frame that names a replay.* type
// but lacks a string `source` or an unsigned `next_seq` / `oldest_seq` is malformed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace floorwatch {

struct ReplayControl {
  enum class Kind : uint8_t {
    kNotControl,  // an event (or anything else): handle as a replayed event
    kEnd,         // replay.end: `seq` is the next seq the source will publish live
    kTruncated,   // replay.truncated: `seq` is the oldest seq the source still has
    kMalformed,   // a replay.* frame missing its fields
  };
  Kind kind = Kind::kNotControl;
  std::string source;
  uint64_t seq = 0;
};

ReplayControl ParseReplayControl(std::string_view frame);

// {"type":"replay.request","source":...,"from_seq":...}
std::string ReplayRequestJson(std::string_view source, uint64_t from_seq);

}  // namespace floorwatch
