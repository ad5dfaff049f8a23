// libFuzzer target: any bytes as a connect request body (or a --stdin line) through
// floorwatch-bridge's Amazon Connect parser and mapper, with small bounds. Nothing may crash;
// a refused body yields no record; every event the bridge writes must be accepted by the
// daemon's own parser; a record's kept JSON must parse again; and the mapper's saved state
// must load and save again to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/bridge/core/connect_mapper.h"
#include "floorwatch/core/event_parser.h"

namespace {

using namespace floorwatch;
using namespace floorwatch::bridge;

constexpr ConnectLimits kLimits{.max_contacts = 8, .max_agents = 4};

void CheckEvent(const OutEvent& e, EventParser& parser, std::string& json) {
  json.clear();
  WriteEventJson(e, "connect-fuzz", 1, json);
  const ParseOutcome r = parser.Parse(json);
  if (!r.ok || parser.event().type != e.type) std::abort();
}

void CheckStateRoundTrip(const ConnectMapper& mapper) {
  std::string saved, again;
  BinaryWriter w(saved);
  mapper.Save(w);
  ConnectMapper restored(kLimits);
  BinaryReader r(saved);
  if (!restored.Load(r) || r.remaining() != 0) std::abort();
  BinaryWriter w2(again);
  restored.Save(w2);
  if (again != saved) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static EventParser parser;
  static ConnectParser connect;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::vector<ConnectRecord> records;
  std::string error, json;
  if (!connect.ParseBody(body, records, &error) && !records.empty()) std::abort();
  ConnectMapper mapper(kLimits);
  std::vector<OutEvent> events;
  for (const ConnectRecord& r : records) {
    ConnectRecord again;
    if (!connect.ParseOne(r.json, again, &error) || again.json != r.json) std::abort();
    if (r.kind != ConnectKind::kContact && r.kind != ConnectKind::kAgent) continue;
    events.clear();
    const ConnectOutcome outcome = mapper.Apply(r, events);
    if (outcome != ConnectOutcome::kMapped && !events.empty()) std::abort();
    for (const OutEvent& e : events) CheckEvent(e, parser, json);
    if (mapper.contacts() > 8 || mapper.agents() > 4) std::abort();
  }
  CheckStateRoundTrip(mapper);
  return 0;
}
