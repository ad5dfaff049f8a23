// libFuzzer target: any bytes as TaskRouter callback bodies (one per '\n') through
// floorwatch-bridge's form decoding, callback parsing, signature and mapper, with small
// bounds. Nothing may crash; a decoded form's signature is stable and checks as valid; every
// event the bridge writes must be accepted by the daemon's own parser; the mapper's saved
// state must load and save again to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/bridge/core/twilio_mapper.h"
#include "floorwatch/bridge/core/twilio_signature.h"
#include "floorwatch/core/event_parser.h"

namespace {

using namespace floorwatch;
using namespace floorwatch::bridge;

constexpr TwilioLimits kLimits{.max_tasks = 8, .max_workers = 4};

void CheckStateRoundTrip(const TwilioMapper& mapper) {
  std::string saved, again;
  BinaryWriter w(saved);
  mapper.Save(w);
  TwilioMapper restored(kLimits);
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
  TwilioMapper mapper(kLimits);
  FormParams params;
  std::vector<OutEvent> events;
  std::string json;
  while (!input.empty()) {
    const size_t nl = input.find('\n');
    const std::string_view body = input.substr(0, nl);
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
    if (!DecodeForm(body, &params)) continue;
    const std::string signature = TwilioSignature("12345", "https://h/e", params);
    if (signature.size() != 28 ||
        !TwilioSignatureValid("12345", "https://h/e", params, signature)) {
      std::abort();
    }
    TwilioEvent event;
    if (ParseTwilioEvent(params, &event) != TwilioParse::kOk) continue;
    events.clear();
    const TwilioOutcome outcome = mapper.Apply(event, events);
    if (outcome != TwilioOutcome::kMapped && !events.empty()) std::abort();
    for (const OutEvent& e : events) {
      json.clear();
      WriteEventJson(e, "twilio-fuzz", 1, json);
      if (!parser.Parse(json).ok || parser.event().type != e.type) std::abort();
    }
    if (mapper.tasks() > 8 || mapper.workers() > 4) std::abort();
  }
  CheckStateRoundTrip(mapper);
  return 0;
}
