// The small-limits config both core fuzz targets run under (limits are reached quickly, so
// their paths are fuzzed too). `extra` adds YAML keys.
#pragma once

#include <string>

#include "floorwatch/config/config_loader.h"

namespace floorwatch::fuzz {

inline Config SmallConfig(const std::string& extra = "") {
  return std::get<Config>(LoadConfigFromString(
      "limits: {max_queues: 8, max_agents: 8, max_contacts: 16, max_sources: 4, dedup_ids: 64,\n"
      "         max_teams: 3, max_customers: 8, max_closed_contacts: 8}\n"
      "windows: [10s, 1m, today]\n" +
      extra));
}

}  // namespace floorwatch::fuzz
