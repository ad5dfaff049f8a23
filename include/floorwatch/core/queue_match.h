// Which `queues:` entry configures a queue: the entry whose id is the queue's id, else the
// first entry (in config order) whose id is a glob pattern (it holds `*`, `?` or `[`,
// fnmatch(3) syntax) matching it. A pattern makes every matching queue known, so a shard
// can own "sales-*" with `unknown_queues: reject`, and gives them its labels and settings.
// Pure functions of the config; any thread.
#pragma once

#include <string_view>
#include <vector>

#include "floorwatch/core/config.h"

namespace floorwatch {

bool IsQueuePattern(std::string_view id);

// nullptr: no entry configures `id`.
const QueueConfig* FindQueueConfig(const std::vector<QueueConfig>& queues, std::string_view id);

}  // namespace floorwatch
