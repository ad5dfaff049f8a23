// --agent-pattern (bridge/core/agent_namer.cpp).
#include <doctest/doctest.h>

#include "floorwatch/bridge/core/agent_namer.h"

using namespace floorwatch::bridge;

TEST_CASE("without a pattern the field is the id") {
  AgentNamer n;
  CHECK(n.Name("Local/1127@callback-agent") == "Local/1127@callback-agent");
}

TEST_CASE("the first capture group is the id: Local/ and Agent/ forms meet") {
  AgentNamer n("(\\d+)");
  CHECK(n.Name("Local/1127@callback-agent") == "1127");
  CHECK(n.Name("Agent/1127") == "1127");
  CHECK(n.Name("Agent/1127") == "1127");  // from the memory
}

TEST_CASE("a field the pattern does not match keeps its own text") {
  AgentNamer n("^SIP/(\\w+)$");
  CHECK(n.Name("SIP/alice") == "alice");
  CHECK(n.Name("PJSIP/bob") == "PJSIP/bob");
}

TEST_CASE("an empty first group does not make an empty id") {
  AgentNamer n("Agent/(\\d*)");
  CHECK(n.Name("Agent/") == "Agent/");
}

TEST_CASE("Validate refuses bad patterns and patterns without a group") {
  CHECK(AgentNamer::Validate("(\\d+)").empty());
  CHECK(AgentNamer::Validate("(").find("not a valid regular expression") != std::string::npos);
  CHECK(AgentNamer::Validate("\\d+").find("capture group") != std::string::npos);
}
