// floorwatch-bridge-bench: the bridge's pure path in process (no file, no sockets) on a large
// queue_log: the shared production file (bridge/testdata/asterisk/queue_log) repeated N
// times, each copy later in time with its own call ids.
//   floorwatch-bridge-bench QUEUE_LOG N
// Times three passes over the same lines: parse only; parse + map; parse + map + JSON (what
// the bridge does per line before journaling and sending). Prints one JSON object.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "floorwatch/bridge/core/asterisk_mapper.h"
#include "floorwatch/bridge/core/queue_log.h"

using namespace floorwatch::bridge;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> Repeated(const std::string& path, int copies) {
  std::ifstream in(path);
  std::vector<std::string> base;
  for (std::string line; std::getline(in, line);) base.push_back(line);
  if (base.empty()) return base;
  const int64_t first = std::atoll(base.front().c_str()), last = std::atoll(base.back().c_str());
  const int64_t span = last - first + 3600;
  std::vector<std::string> out;
  out.reserve(base.size() * copies);
  for (int r = 0; r < copies; ++r) {
    for (const std::string& line : base) {
      const size_t bar = line.find('|');
      const size_t bar2 = line.find('|', bar + 1);
      std::string callid = line.substr(bar + 1, bar2 - bar - 1);
      if (r > 0 && callid != "NONE" && callid != "MANAGER")
        callid = "r" + std::to_string(r) + "-" + callid;
      out.push_back(std::to_string(std::atoll(line.c_str()) + r * span) + "|" + callid +
                    line.substr(bar2));
    }
  }
  return out;
}

// Runs one pass; returns {seconds, events}.
std::pair<double, size_t> Pass(const std::vector<std::string>& lines, bool map, bool json) {
  AsteriskMapper mapper{AgentNamer("([0-9]+)")};
  std::vector<OutEvent> events;
  std::string out;
  size_t n = 0, bytes = 0;
  const auto start = Clock::now();
  uint64_t seq = 1;
  for (const std::string& line : lines) {
    const ParsedLine p = ParseQueueLogLine(line);
    if (p.error != LineError::kNone || !map) continue;
    events.clear();
    mapper.Apply(p.record, events);
    n += events.size();
    for (const OutEvent& e : events) {
      if (!json) break;
      out.clear();
      WriteEventJson(e, "asterisk-bench", seq++, out);
      bytes += out.size();
    }
  }
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  if (bytes == 1) std::puts("");  // keeps the JSON writing from being optimised away
  return {s, n};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: floorwatch-bridge-bench QUEUE_LOG COPIES\n");
    return 2;
  }
  const std::vector<std::string> lines = Repeated(argv[1], std::atoi(argv[2]));
  const auto [parse_s, unused] = Pass(lines, false, false);
  const auto [map_s, events] = Pass(lines, true, false);
  const auto [json_s, events2] = Pass(lines, true, true);
  std::printf(
      "{\"lines\":%zu,\"events\":%zu,\"parse_lines_per_s\":%.0f,\"map_lines_per_s\":%.0f,"
      "\"json_lines_per_s\":%.0f,\"json_events_per_s\":%.0f}\n",
      lines.size(), events2, lines.size() / parse_s, lines.size() / map_s, lines.size() / json_s,
      events2 / json_s);
  (void)unused;
  (void)events;
  return 0;
}
