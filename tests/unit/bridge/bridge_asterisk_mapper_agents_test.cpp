// queue_log member and agent verbs -> agent events (bridge/core/asterisk_mapper.cpp).
#include <doctest/doctest.h>

#include "mapper_script.h"

using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

TEST_CASE("ADDMEMBER of an agent not logged in: login, its queues, then available") {
  MapperScript s{AgentNamer("(\\d+)")};
  CHECK(s.Line("100|1.1|IT|Local/1127@callback-agent|ADDMEMBER|") ==
        Events{"agent.login 1127", "agent.queues 1127 [IT]", "agent.state 1127 available"});
}

TEST_CASE("ADDMEMBER PAUSED: the agent starts not_ready") {
  MapperScript s;
  CHECK(s.Line("100|1.1|IT|SIP/1127|ADDMEMBER|PAUSED") == Events{"agent.login SIP/1127",
                                                                 "agent.queues SIP/1127 [IT]",
                                                                 "agent.state SIP/1127 not_ready"});
}

TEST_CASE("ADDMEMBER to a second queue: no second login, the whole queue set") {
  MapperScript s;
  s.Line("100|1.1|Sales|SIP/7|ADDMEMBER|");
  CHECK(s.Line("101|MANAGER|IT|SIP/7|ADDMEMBER|") ==
        Events{"agent.queues SIP/7 [IT,Sales]", "agent.state SIP/7 available"});
}

TEST_CASE("ADDMEMBER of a member on a call keeps it on_contact") {
  MapperScript s;
  s.Line("100|1.1|IT|SIP/7|ADDMEMBER|");
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("210|17.1|IT|SIP/7|CONNECT|10|17.2|3");
  CHECK(s.Line("220|MANAGER|IT|SIP/7|ADDMEMBER|") ==
        Events{"agent.queues SIP/7 [IT]", "agent.state SIP/7 on_contact"});
}

TEST_CASE("REMOVEMEMBER: the remaining queues, or logout when none is left") {
  MapperScript s;
  s.Line("100|1.1|Sales|SIP/7|ADDMEMBER|");
  s.Line("101|1.1|IT|SIP/7|ADDMEMBER|");
  CHECK(s.Line("200|1.2|Sales|SIP/7|REMOVEMEMBER|") == Events{"agent.queues SIP/7 [IT]"});
  CHECK(s.Line("201|1.2|IT|SIP/7|REMOVEMEMBER|") == Events{"agent.logout SIP/7"});
  CHECK(s.Line("202|1.2|IT|SIP/7|REMOVEMEMBER|").empty());  // not a member any more
}

TEST_CASE("PAUSE gives not_ready with its reason, UNPAUSE available; the ALL forms too") {
  MapperScript s;
  s.Line("100|1.1|IT|SIP/7|ADDMEMBER|");
  CHECK(s.Line("200|NONE|IT|SIP/7|PAUSE|lunch") == Events{"agent.state SIP/7 not_ready lunch"});
  CHECK(s.Line("300|NONE|IT|SIP/7|UNPAUSE|") == Events{"agent.state SIP/7 available"});
  CHECK(s.Line("400|NONE|NONE|SIP/7|PAUSEALL|") == Events{"agent.state SIP/7 not_ready"});
  CHECK(s.Line("500|NONE|NONE|SIP/7|UNPAUSEALL|") == Events{"agent.state SIP/7 available"});
}

TEST_CASE("UNPAUSE of an agent on a call gives on_contact") {
  MapperScript s;
  s.Line("100|1.1|IT|SIP/7|ADDMEMBER|");
  s.Line("150|NONE|IT|SIP/7|PAUSE|wrap");
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("210|17.1|IT|SIP/7|CONNECT|10|17.2|3");
  CHECK(s.Line("220|NONE|IT|SIP/7|UNPAUSE|") == Events{"agent.state SIP/7 on_contact"});
}

TEST_CASE("AGENTLOGIN and AGENTCALLBACKLOGIN log in once; the LOGOFF forms log out once") {
  const std::pair<std::string, std::string> verbs[] = {
      {"AGENTLOGIN|SIP/1127-0001", "AGENTLOGOFF|SIP/1127-0001|600"},
      {"AGENTCALLBACKLOGIN|hint:1127@default", "AGENTCALLBACKLOGOFF|hint:1127@default|25195"}};
  for (const auto& v : verbs) {
    const std::string login = v.first, logoff = v.second;
    CAPTURE(login);
    MapperScript s;
    CHECK(s.Line("100|1.1|NONE|Agent/1127|" + login) ==
          Events{"agent.login Agent/1127", "agent.state Agent/1127 available"});
    CHECK(s.Line("101|1.1|NONE|Agent/1127|" + login).empty());
    CHECK(s.Line("200|1.2|NONE|Agent/1127|" + logoff) == Events{"agent.logout Agent/1127"});
    CHECK(s.Line("201|1.2|NONE|Agent/1127|" + logoff).empty());
  }
}

TEST_CASE("the production log's order: ADDMEMBER then AGENTCALLBACKLOGIN, one login") {
  MapperScript s{AgentNamer("(\\d+)")};
  CHECK(s.Line("1543598990|1543598985.25|IT|Local/1127@callback-agent|ADDMEMBER|").size() == 3);
  CHECK(s.Line("1543598990|1543598985.25|NONE|Agent/1127|AGENTCALLBACKLOGIN|hint:1127@default")
            .empty());
  CHECK(s.Line("1543625964|1543625961.49|IT|Local/1127@callback-agent|REMOVEMEMBER|") ==
        Events{"agent.logout 1127"});
  CHECK(
      s.Line("1543625964|1543625961.49|NONE|Agent/1127|AGENTCALLBACKLOGOFF|hint:1127@default|25195")
          .empty());
}

TEST_CASE("a login after a logoff names the queues the agent is still a member of") {
  MapperScript s;
  s.Line("100|1.1|IT|Agent/7|ADDMEMBER|");
  s.Line("200|1.2|NONE|Agent/7|AGENTLOGOFF|SIP/7|100");
  CHECK(s.Line("300|1.3|NONE|Agent/7|AGENTLOGIN|SIP/7") ==
        Events{"agent.login Agent/7 [IT]", "agent.state Agent/7 available"});
}

TEST_CASE("member verbs without their queue or agent are missing fields") {
  MapperScript s;
  s.Line("100|1.1|NONE|SIP/7|ADDMEMBER|", MapOutcome::kMissingField);
  s.Line("100|1.1|IT|NONE|ADDMEMBER|", MapOutcome::kMissingField);
  s.Line("100|1.1|IT||REMOVEMEMBER|", MapOutcome::kMissingField);
  s.Line("100|NONE|IT|NONE|PAUSE|x", MapOutcome::kMissingField);
  s.Line("100|NONE|NONE|NONE|AGENTLOGIN|x", MapOutcome::kMissingField);
}

TEST_CASE("past max_agents a new agent's record is refused as a limit; known ones go on") {
  MapperScript s{AgentNamer(), MapperLimits{.max_calls = 10, .max_agents = 2}};
  s.Line("100|1.1|IT|SIP/1|ADDMEMBER|");
  s.Line("100|1.1|IT|SIP/2|ADDMEMBER|");
  CHECK(s.Line("100|1.1|IT|SIP/3|ADDMEMBER|", MapOutcome::kLimit).empty());
  CHECK(s.Line("100|NONE|IT|SIP/3|PAUSE|", MapOutcome::kLimit).empty());
  CHECK(s.Line("101|NONE|IT|SIP/1|PAUSE|") == Events{"agent.state SIP/1 not_ready"});
  CHECK(s.mapper.agents() == 2);
}
