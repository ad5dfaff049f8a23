#include "floorwatch/core/replay_message.h"

#include <simdjson.h>

#include "floorwatch/core/exposition.h"

namespace floorwatch {

ReplayControl ParseReplayControl(std::string_view frame) {
  ReplayControl out;
  // Every replayed event passes through here: skip the parse unless it can be a control.
  if (frame.find("\"replay.") == std::string_view::npos) return out;
  // Control frames are rare (two per replay): a parser per call keeps this free of state.
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(frame.data(), frame.size()).get_object().get(obj)) return out;
  std::string_view type;
  if (obj["type"].get_string().get(type)) return out;
  const char* seq_field = nullptr;
  if (type == "replay.end") {
    out.kind = ReplayControl::Kind::kEnd;
    seq_field = "next_seq";
  } else if (type == "replay.truncated") {
    out.kind = ReplayControl::Kind::kTruncated;
    seq_field = "oldest_seq";
  } else {
    return out;  // an event that merely mentions "replay." somewhere
  }
  std::string_view source;
  uint64_t seq = 0;
  if (obj["source"].get_string().get(source) || obj[seq_field].get_uint64().get(seq)) {
    out.kind = ReplayControl::Kind::kMalformed;
    return out;
  }
  out.source = std::string(source);
  out.seq = seq;
  return out;
}

std::string ReplayRequestJson(std::string_view source, uint64_t from_seq) {
  std::string out = R"({"type":"replay.request","source":)";
  AppendJsonString(out, source);
  out += R"(,"from_seq":)" + std::to_string(from_seq) + "}";
  return out;
}

}  // namespace floorwatch
