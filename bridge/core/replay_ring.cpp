#include "floorwatch/bridge/core/replay_ring.h"

#include <simdjson.h>

#include <algorithm>

#include "floorwatch/core/exposition.h"

namespace floorwatch::bridge {
namespace {

std::string Control(std::string_view type, std::string_view source, std::string_view key,
                    uint64_t seq) {
  std::string out = "{\"type\":\"";
  out.append(type).append("\",\"source\":");
  AppendJsonString(out, source);
  out.append(",\"").append(key).append("\":").append(std::to_string(seq)).append("}");
  return out;
}

}  // namespace

bool ParseReplayRequest(std::string_view frame, std::string* source, uint64_t* from_seq) {
  simdjson::dom::parser parser;  // requests are rare: no parser kept between them
  simdjson::dom::object obj;
  if (parser.parse(frame.data(), frame.size()).get_object().get(obj)) return false;
  std::string_view type, name;
  uint64_t from = 0;
  if (obj["type"].get_string().get(type) || type != "replay.request") return false;
  if (obj["source"].get_string().get(name) || obj["from_seq"].get_uint64().get(from)) {
    return false;
  }
  source->assign(name);
  *from_seq = from;
  return true;
}

ReplayRing::ReplayRing(size_t capacity, uint64_t next_seq)
    : capacity_(capacity > 0 ? capacity : 1), next_seq_(next_seq) {}

void ReplayRing::Add(uint64_t seq, std::string topic, std::string payload) {
  if (events_.size() >= capacity_) events_.pop_front();
  events_.push_back(BufferedEvent{seq, std::move(topic), std::move(payload)});
  next_seq_ = seq + 1;
}

ReplayAnswer ReplayRing::Answer(std::string_view request, std::string_view source,
                                const std::function<void(std::string_view)>& send) const {
  ReplayAnswer answer;
  std::string asked;
  uint64_t from = 0;
  if (!ParseReplayRequest(request, &asked, &from)) return answer;
  answer.answered = true;
  if (asked == source) {
    const uint64_t oldest = oldest_seq();
    if (from < oldest) {
      answer.truncated = true;
      send(Control("replay.truncated", source, "oldest_seq", oldest));
    }
    auto it = std::lower_bound(events_.begin(), events_.end(), from,
                               [](const BufferedEvent& e, uint64_t seq) { return e.seq < seq; });
    for (; it != events_.end(); ++it) {
      send(it->payload);
      ++answer.events;
    }
  }
  send(Control("replay.end", asked, "next_seq", next_seq_));
  return answer;
}

}  // namespace floorwatch::bridge
