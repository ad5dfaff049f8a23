// Shared by the config tests: the loader's answer to a YAML text.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "floorwatch/config/config_loader.h"

namespace floorwatch::testing {

// The error message for `yaml`, or "" when it loads.
inline std::string ErrorOf(const std::string& yaml) {
  ConfigResult r = LoadConfigFromString(yaml);
  auto* e = std::get_if<ConfigError>(&r);
  return e ? e->message : "";
}

// The config of `yaml`, which must load.
inline Config Good(const std::string& yaml) {
  ConfigResult r = LoadConfigFromString(yaml);
  if (auto* e = std::get_if<ConfigError>(&r)) FAIL(e->message);
  return std::get<Config>(r);
}

}  // namespace floorwatch::testing
