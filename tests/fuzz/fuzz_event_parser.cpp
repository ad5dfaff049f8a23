// libFuzzer target: any bytes as an event payload. The parser must never crash, and what it
// accepts must satisfy the protocol's ranges.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "floorwatch/core/event_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static floorwatch::EventParser parser;
  const floorwatch::ParseOutcome r =
      parser.Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (r.ok) {
    const floorwatch::Event& e = parser.event();
    if (e.ts_ms < 0) std::abort();
    if (e.csat && (*e.csat < 1 || *e.csat > 5)) std::abort();
    if (e.nps && (*e.nps < 0 || *e.nps > 10)) std::abort();
    if (e.type == floorwatch::EventType::kContactEscalated && e.tier < 2) std::abort();
  }
  return 0;
}
