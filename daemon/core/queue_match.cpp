#include "floorwatch/core/queue_match.h"

#include <fnmatch.h>

#include <string>

namespace floorwatch {

bool IsQueuePattern(std::string_view id) { return id.find_first_of("*?[") != id.npos; }

const QueueConfig* FindQueueConfig(const std::vector<QueueConfig>& queues, std::string_view id) {
  for (const QueueConfig& q : queues) {
    if (q.id == id) return &q;
  }
  const std::string name(id);  // fnmatch wants a terminated string
  for (const QueueConfig& q : queues) {
    if (IsQueuePattern(q.id) && fnmatch(q.id.c_str(), name.c_str(), 0) == 0) return &q;
  }
  return nullptr;
}

}  // namespace floorwatch
