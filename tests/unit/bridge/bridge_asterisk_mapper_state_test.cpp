// AsteriskMapper's saved state and bounds (bridge/core/asterisk_mapper_state.cpp), on the
// shared production queue_log (bridge/testdata/asterisk/queue_log).
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "mapper_script.h"

using namespace floorwatch;
using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

namespace {

std::vector<std::string> ProductionLines() {
  std::ifstream in(FLOORWATCH_SOURCE_DIR "/bridge/testdata/asterisk/queue_log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 1000);
  return lines;
}

std::vector<std::string> Apply(AsteriskMapper& m, const std::vector<std::string>& lines,
                               size_t from, size_t to) {
  std::vector<std::string> out;
  std::vector<OutEvent> events;
  for (size_t i = from; i < to; ++i) {
    const ParsedLine p = ParseQueueLogLine(lines[i]);
    if (p.error != LineError::kNone) continue;
    events.clear();
    m.Apply(p.record, events);
    for (const OutEvent& e : events) out.push_back(Describe(e));
  }
  return out;
}

}  // namespace

TEST_CASE("a mapper loaded from a saved state goes on exactly as the one that saved it") {
  const std::vector<std::string> lines = ProductionLines();
  for (size_t cut : {0, 1, 137, 500, 999, 1000}) {
    CAPTURE(cut);
    AsteriskMapper live{AgentNamer("(\\d+)")};
    Apply(live, lines, 0, cut);
    std::string saved;
    BinaryWriter w(saved);
    live.Save(w);
    AsteriskMapper restored{AgentNamer("(\\d+)")};
    BinaryReader r(saved);
    REQUIRE(restored.Load(r));
    CHECK(r.remaining() == 0);
    CHECK(Apply(restored, lines, cut, lines.size()) == Apply(live, lines, cut, lines.size()));
  }
}

TEST_CASE("a damaged or truncated state is refused and the mapper stays as it was") {
  const std::vector<std::string> lines = ProductionLines();
  AsteriskMapper live{AgentNamer("(\\d+)")};
  Apply(live, lines, 0, 600);
  std::string saved;
  BinaryWriter w(saved);
  live.Save(w);
  MapperScript other;
  other.Line("100|1.1|IT|SIP/9|ADDMEMBER|");
  for (size_t len : {size_t(0), size_t(1), saved.size() / 2, saved.size() - 1}) {
    BinaryReader r(std::string_view(saved).substr(0, len));
    CHECK_FALSE(other.mapper.Load(r));
  }
  std::string wrong_version = saved;
  wrong_version[0] = 9;
  BinaryReader r(wrong_version);
  CHECK_FALSE(other.mapper.Load(r));
  CHECK(other.mapper.agents() == 1);
}

TEST_CASE("calls are remembered up to max_calls, the oldest forgotten first") {
  MapperScript s{AgentNamer(), MapperLimits{.max_calls = 3, .max_agents = 10}};
  for (int i = 1; i <= 5; ++i) {
    s.Line("100|" + std::to_string(i) + ".1|IT|NONE|ENTERQUEUE||c|1");
    s.Line("101|" + std::to_string(i) + ".1|IT|NONE|ABANDON|1|1|1");
  }
  CHECK(s.mapper.calls() == 3);
  // 5.1 is remembered (its second entry is #2); 1.1 was forgotten (plain id again).
  CHECK(s.Line("200|5.1|IT|NONE|ENTERQUEUE||c|1") == Events{"contact.queued 5.1#2 IT customer=c"});
  CHECK(s.Line("200|1.1|IT|NONE|ENTERQUEUE||c|1") == Events{"contact.queued 1.1 IT customer=c"});
}

TEST_CASE("a forgotten connected call no longer holds its agent on_contact") {
  MapperScript s{AgentNamer(), MapperLimits{.max_calls = 1, .max_agents = 10}};
  s.Line("100|1.1|IT|SIP/7|ADDMEMBER|");
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("210|17.1|IT|SIP/7|CONNECT|10|17.2|3");
  s.Line("220|18.1|IT|NONE|ENTERQUEUE||c|1");  // pushes 17.1 out
  CHECK(s.Line("230|NONE|IT|SIP/7|UNPAUSE|") == Events{"agent.state SIP/7 available"});
}

TEST_CASE("a call with no record for a day is forgotten when a new one comes") {
  MapperScript s;
  s.Line("1000|1.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("1010|1.1|IT|NONE|ABANDON|1|1|10");
  s.Line("50000|2.1|IT|NONE|ENTERQUEUE||c|1");  // 13.6 h later: 1.1 is still remembered
  CHECK(s.mapper.calls() == 2);
  s.Line("90000|3.1|IT|NONE|ENTERQUEUE||c|1");  // 24.7 h after 1.1's last record
  CHECK(s.mapper.calls() == 2);
  CHECK(s.Line("90001|1.1|IT|NONE|ENTERQUEUE||c|1") == Events{"contact.queued 1.1 IT customer=c"});
}
