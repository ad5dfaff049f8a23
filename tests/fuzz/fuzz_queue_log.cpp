// libFuzzer target: any bytes as a queue_log (one line per '\n') through floorwatch-bridge's
// parser and asterisk mapper, with small bounds. Nothing may crash; every event the bridge
// writes must be accepted by the daemon's own parser (the protocol the daemon speaks); and
// the mapper's saved state must load and save again to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/bridge/core/asterisk_mapper.h"
#include "floorwatch/bridge/core/queue_log.h"
#include "floorwatch/core/event_parser.h"

namespace {

using namespace floorwatch;
using namespace floorwatch::bridge;

void CheckEvent(const OutEvent& e, EventParser& parser, std::string& json) {
  json.clear();
  WriteEventJson(e, "asterisk-fuzz", 1, json);
  const ParseOutcome r = parser.Parse(json);
  if (!r.ok || parser.event().type != e.type) std::abort();
}

void CheckStateRoundTrip(const AsteriskMapper& mapper) {
  std::string saved, again;
  BinaryWriter w(saved);
  mapper.Save(w);
  AsteriskMapper restored{AgentNamer("([0-9]+)"), MapperLimits{.max_calls = 8, .max_agents = 4}};
  BinaryReader r(saved);
  if (!restored.Load(r) || r.remaining() != 0) std::abort();
  BinaryWriter w2(again);
  restored.Save(w2);
  if (again != saved) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static EventParser parser;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  AsteriskMapper mapper{AgentNamer("([0-9]+)"), MapperLimits{.max_calls = 8, .max_agents = 4}};
  std::vector<OutEvent> events;
  std::string json;
  while (!input.empty()) {
    const size_t nl = input.find('\n');
    const std::string_view line = input.substr(0, nl);
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
    const ParsedLine p = ParseQueueLogLine(line);
    if (p.record.data_count > QueueLogRecord::kMaxData) std::abort();
    if (p.error != LineError::kNone) continue;
    events.clear();
    const MapOutcome outcome = mapper.Apply(p.record, events);
    if (outcome != MapOutcome::kMapped && !events.empty()) std::abort();
    for (const OutEvent& e : events) CheckEvent(e, parser, json);
    if (mapper.calls() > 8 || mapper.agents() > 4) std::abort();
  }
  CheckStateRoundTrip(mapper);
  return 0;
}
