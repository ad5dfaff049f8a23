// A populated floor for the in-process benches: traffic over the last hour in every
// queue/channel (so every window has buckets to sum) and agents logged in over teams.
#pragma once

#include <cstdint>
#include <string>

#include "floorwatch/core/core.h"

namespace floorwatch::bench {

// printf into a string (the bench's event payloads; < 512 bytes).
std::string Payload(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// Each queue/channel gets 12 contacts over the last hour: 9 answered (of them 4 ended, each
// with a survey and an evaluation, one escalated first; chat ones with a customer message
// and its reply), 2 abandoned, by 5 customers. Every figure of a busy floor has a value, not
// NaN: a ratio costs ~30 ns to print as the shortest round trip, a NaN or a count a few.
void FeedTraffic(Core& core, int queues, int channels, int64_t now);
// Agents in three queues each, spread over the four states and over 1,000 teams
// (limits.max_teams' default), as a large outsourced floor.
void FeedAgents(Core& core, int queues, int agents, int64_t now);

}  // namespace floorwatch::bench
