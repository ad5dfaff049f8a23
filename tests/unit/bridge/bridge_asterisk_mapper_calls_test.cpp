// queue_log call verbs -> contact events (bridge/core/asterisk_mapper.cpp, ADAPTERS.md's table).
#include <doctest/doctest.h>

#include "mapper_script.h"

using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

namespace {
// Agent 1127 logged in to IT by callback, as the shared production log does it.
MapperScript LoggedIn() {
  MapperScript s{AgentNamer("(\\d+)")};
  s.Line("100|1.1|IT|Local/1127@callback-agent|ADDMEMBER|");
  return s;
}
}  // namespace

TEST_CASE("ENTERQUEUE: contact.queued, voice, with the caller id as customer") {
  MapperScript s;
  CHECK(s.Line("200|17.1|IT|NONE|ENTERQUEUE||cust-04077df1a5|1") ==
        Events{"contact.queued 17.1 IT customer=cust-04077df1a5"});
}

TEST_CASE("ENTERQUEUE without a caller id has no customer") {
  MapperScript s;
  CHECK(s.Line("200|17.1|IT|NONE|ENTERQUEUE|||1") == Events{"contact.queued 17.1 IT"});
}

TEST_CASE("CONNECT: contact.answered by the agent, then agent.state on_contact") {
  MapperScript s = LoggedIn();
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  CHECK(s.Line("210|17.1|IT|Agent/1127|CONNECT|10|17.2|3") ==
        Events{"contact.answered 17.1 1127", "agent.state 1127 on_contact"});
}

TEST_CASE("COMPLETECALLER and COMPLETEAGENT: contact.ended, then agent.state available") {
  MapperScript s = LoggedIn();
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("210|17.1|IT|Agent/1127|CONNECT|10|17.2|3");
  CHECK(s.Line("300|17.1|IT|Agent/1127|COMPLETECALLER|10|90|1") ==
        Events{"contact.ended 17.1", "agent.state 1127 available"});
  s.Line("400|18.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("401|18.1|IT|Agent/1127|CONNECT|1|18.2|1");
  CHECK(s.Line("500|18.1|IT|Agent/1127|COMPLETEAGENT|1|99|1") ==
        Events{"contact.ended 18.1", "agent.state 1127 available"});
}

TEST_CASE("the three transfer verbs end the contact and free the agent") {
  for (const char* verb :
       {"BLINDTRANSFER|1142|transfer|6|38|1", "ATTENDEDTRANSFER|BRIDGE|b-1543833609.335|6|30|1",
        "TRANSFER|1142|from-internal|6|38|1"}) {
    CAPTURE(verb);
    MapperScript s = LoggedIn();
    s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
    s.Line("206|17.1|IT|Agent/1127|CONNECT|6|17.2|1");
    CHECK(s.Line(std::string("244|17.1|IT|Agent/1127|") + verb) ==
          Events{"contact.ended 17.1", "agent.state 1127 available"});
  }
}

TEST_CASE("ABANDON, EXITWITHKEY, EXITWITHTIMEOUT, EXITEMPTY: abandoned with their reasons") {
  const std::pair<const char*, const char*> cases[] = {
      {"ABANDON|1|1|191", "customer"},
      {"EXITWITHKEY|5|1|1|12", "key"},
      {"EXITWITHTIMEOUT|1|2|300", "timeout"},
      {"EXITEMPTY|1|1|3", "no_agents"},
  };
  for (const auto& c : cases) {
    const std::string verb = c.first, reason = c.second;
    CAPTURE(verb);
    MapperScript s;
    s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
    CHECK(s.Line("391|17.1|IT|NONE|" + verb) == Events{"contact.abandoned 17.1 " + reason});
  }
}

TEST_CASE("a call entering a queue again is contact callid#N for its N-th entry") {
  MapperScript s = LoggedIn();
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("206|17.1|IT|Agent/1127|CONNECT|6|17.2|1");
  s.Line("244|17.1|IT|Agent/1127|BLINDTRANSFER|800|ivr|6|38|1");
  CHECK(s.Line("250|17.1|Sales|NONE|ENTERQUEUE||c|1") ==
        Events{"contact.queued 17.1#2 Sales customer=c"});
  CHECK(s.Line("260|17.1|Sales|NONE|ABANDON|1|1|10") ==
        Events{"contact.abandoned 17.1#2 customer"});
  CHECK(s.Line("270|17.1|IT|NONE|ENTERQUEUE||c|1") ==
        Events{"contact.queued 17.1#3 IT customer=c"});
  CHECK(s.Line("280|17.1|IT|Agent/1127|CONNECT|10|17.9|1") ==
        Events{"contact.answered 17.1#3 1127", "agent.state 1127 on_contact"});
}

TEST_CASE("without a pattern Local/ and Agent/ are two agents; the pattern makes them one") {
  MapperScript plain;
  plain.Line("100|1.1|IT|Local/1127@callback-agent|ADDMEMBER|");
  plain.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  // Agent/1127 was never seen: taken in as logged in (a static member), as the daemon does.
  CHECK(plain.Line("210|17.1|IT|Agent/1127|CONNECT|10|17.2|3") ==
        Events{"contact.answered 17.1 Agent/1127", "agent.state Agent/1127 on_contact"});
  MapperScript named = LoggedIn();
  named.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  CHECK(named.Line("210|17.1|IT|Agent/1127|CONNECT|10|17.2|3")[0] == "contact.answered 17.1 1127");
}

TEST_CASE("a call record about an agent seen logging out gives no agent.state") {
  MapperScript s = LoggedIn();
  s.Line("150|1.1|IT|Local/1127@callback-agent|REMOVEMEMBER|");
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  CHECK(s.Line("210|17.1|IT|Agent/1127|CONNECT|10|17.2|3") == Events{"contact.answered 17.1 1127"});
  CHECK(s.Line("300|17.1|IT|Agent/1127|COMPLETECALLER|10|90|1") == Events{"contact.ended 17.1"});
}

TEST_CASE("a paused agent stays not_ready after its call ends") {
  MapperScript s = LoggedIn();
  s.Line("200|17.1|IT|NONE|ENTERQUEUE||c|1");
  s.Line("210|17.1|IT|Agent/1127|CONNECT|10|17.2|3");
  CHECK(s.Line("250|NONE|IT|Local/1127@callback-agent|PAUSE|lunch") ==
        Events{"agent.state 1127 not_ready lunch"});
  CHECK(s.Line("300|17.1|IT|Agent/1127|COMPLETECALLER|10|90|1") ==
        Events{"contact.ended 17.1", "agent.state 1127 not_ready lunch"});
}

TEST_CASE("call verbs without their callid, queue or agent are missing fields") {
  MapperScript s;
  s.Line("200|NONE|IT|NONE|ENTERQUEUE||c|1", MapOutcome::kMissingField);
  s.Line("200|17.1|NONE|NONE|ENTERQUEUE||c|1", MapOutcome::kMissingField);
  s.Line("200|17.1|IT|NONE|CONNECT|1|2|3", MapOutcome::kMissingField);
  s.Line("200||IT|NONE|ABANDON|1|1|1", MapOutcome::kMissingField);
}

TEST_CASE("other verbs are unmapped and publish nothing") {
  MapperScript s;
  CHECK(s.Line("200|17.1|IT|Agent/1127|RINGNOANSWER|10000", MapOutcome::kUnmapped).empty());
  CHECK(s.Line("200|NONE|NONE|NONE|QUEUESTART|", MapOutcome::kUnmapped).empty());
  CHECK(s.Line("200|9.1|NONE|Agent/1127|OUTDIAL|3318||", MapOutcome::kUnmapped).empty());
}

TEST_CASE("CONNECT of a call never seen entering is still published (the daemon may know it)") {
  MapperScript s;
  CHECK(s.Line("210|17.1|IT|Agent/1127|CONNECT|10|17.2|3")[0] ==
        "contact.answered 17.1 Agent/1127");
}
