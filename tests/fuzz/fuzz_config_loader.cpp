// libFuzzer target: any bytes as a YAML config. Loading must never crash: it yields a config
// or an error naming a key.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>

#include "floorwatch/config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;  // deep YAML nesting is yaml-cpp's own recursion, not ours
  const floorwatch::ConfigResult r =
      floorwatch::LoadConfigFromString(std::string(reinterpret_cast<const char*>(data), size));
  if (const auto* e = std::get_if<floorwatch::ConfigError>(&r)) {
    if (e->message.empty()) std::abort();
  } else {
    const auto& c = std::get<floorwatch::Config>(r);
    if (c.windows.empty() || c.limits.max_event_bytes <= 0) std::abort();
  }
  return 0;
}
