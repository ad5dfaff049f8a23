// Loads and validates a YAML config into a Config. The single validation step: anything
// unknown or out of range is refused (never clamped) with a message naming the key path and
// line, e.g. "queues[2].service_level.target (line 14): must be between 0 and 1, got 1.5".
// Pure: reads the text it is given (or one file), touches nothing else.
#pragma once

#include <string>
#include <variant>

#include "floorwatch/core/config.h"

namespace floorwatch {

struct ConfigError {
  std::string message;
};

using ConfigResult = std::variant<Config, ConfigError>;

ConfigResult LoadConfigFromString(const std::string& yaml_text);
ConfigResult LoadConfigFromFile(const std::string& path);

}  // namespace floorwatch
