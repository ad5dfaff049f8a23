// Agent events: login, state, queue membership, logout.
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {
int AgentsIn(const Core& core, const std::string& queue, AgentState state) {
  const uint32_t q = core.directory().queues().Find(queue);
  int n = 0;
  core.models().agents.agents().ForEach([&](uint32_t, const Agent& a) {
    if (a.state == state && std::find(a.queues.begin(), a.queues.end(), q) != a.queues.end()) ++n;
  });
  return n;
}
}  // namespace

TEST_CASE("a login puts the agent in its queues as not_ready") {
  CoreFixture f;
  f.Agent("login", "a1", R"(,"queues":["q1","q2"],"team":"t","site":"s","capacity":{"chat":3})");
  CHECK(AgentsIn(f.core, "q1", AgentState::kNotReady) == 1);
  CHECK(AgentsIn(f.core, "q2", AgentState::kNotReady) == 1);
  const Agent& a = f.core.models().agents.agents()[f.core.models().agents.agents().Find("a1")];
  CHECK(a.team == "t");
  CHECK(a.site == "s");
}

TEST_CASE("agent.state changes the state shown in every queue of the agent") {
  CoreFixture f;
  f.Agent("login", "a1", R"(,"queues":["q1","q2"])");
  f.Agent("state", "a1", R"(,"state":"available")");
  CHECK(AgentsIn(f.core, "q1", AgentState::kAvailable) == 1);
  CHECK(AgentsIn(f.core, "q2", AgentState::kAvailable) == 1);
  CHECK(AgentsIn(f.core, "q1", AgentState::kNotReady) == 0);
}

TEST_CASE("agent.queues replaces the membership") {
  CoreFixture f;
  f.Agent("login", "a1", R"(,"queues":["q1","q2"])");
  f.Agent("queues", "a1", R"(,"queues":["q3"])");
  CHECK(AgentsIn(f.core, "q1", AgentState::kNotReady) == 0);
  CHECK(AgentsIn(f.core, "q3", AgentState::kNotReady) == 1);
}

TEST_CASE("logout removes the agent from every queue and from the global count") {
  CoreFixture f;
  f.Agent("login", "a1", R"(,"queues":["q1"])");
  f.Agent("logout", "a1");
  CHECK(f.core.models().agents.agents().size() == 0);
  CHECK(AgentsIn(f.core, "q1", AgentState::kNotReady) == 0);
}

TEST_CASE("agent.state from an agent never seen logging in takes the agent in") {
  CoreFixture f;  // e.g. the daemon restarted after the login
  CHECK(f.Agent("state", "a9", R"(,"state":"on_contact")").outcome == Outcome::kApplied);
  REQUIRE(f.core.models().agents.agents().Find("a9") != kNoSlot);
  CHECK(f.core.models().agents.agents()[f.core.models().agents.agents().Find("a9")].state ==
        AgentState::kOnContact);
}

TEST_CASE("contact events never change an agent's state") {
  CoreFixture f;
  f.Agent("login", "a1", R"(,"queues":["q"])");
  f.Agent("state", "a1", R"(,"state":"available")");
  f.Queued("c1", "q", 0);
  f.Answered("c1", 1000);
  f.On("ended", "c1", 2000);
  CHECK(f.core.models().agents.agents()[f.core.models().agents.agents().Find("a1")].state ==
        AgentState::kAvailable);
}

TEST_CASE("a repeated login resets the agent to not_ready") {
  CoreFixture f;
  f.Agent("login", "a1");
  f.Agent("state", "a1", R"(,"state":"available")");
  f.Agent("login", "a1");
  CHECK(f.core.models().agents.agents()[f.core.models().agents.agents().Find("a1")].state ==
        AgentState::kNotReady);
  CHECK(f.core.models().agents.agents().size() == 1);
}

TEST_CASE("membership in a refused queue is left out, the rest applies") {
  CoreFixture f("unknown_queues: reject\nqueues: [{id: q1}]");
  f.Agent("login", "a1", R"(,"queues":["q1","nope"])");
  CHECK(AgentsIn(f.core, "q1", AgentState::kNotReady) == 1);
  CHECK(f.core.directory().queues().Find("nope") == kNoSlot);
}

TEST_CASE("max_agents holds") {
  CoreFixture f("limits: {max_agents: 2}");
  f.Agent("login", "a1");
  f.Agent("login", "a2");
  CHECK(f.Agent("login", "a3").outcome == Outcome::kRejected);
  CHECK(f.Rejected(RejectReason::kLimit) == 1);
}

TEST_CASE("a login keeps the capacity map: its slots, 0 for channels it leaves out") {
  CoreFixture f;
  f.Agent("login", "a1", R"(,"capacity":{"chat":3,"voice":1})");
  const Agent& a = f.core.models().agents.agents()[f.core.models().agents.agents().Find("a1")];
  CHECK(a.capacity[static_cast<int>(Channel::kChat)] == 3);
  CHECK(a.capacity[static_cast<int>(Channel::kVoice)] == 1);
  CHECK(a.capacity[static_cast<int>(Channel::kEmail)] == 0);
}

TEST_CASE("a login without a capacity map leaves every channel to its concurrency") {
  CoreFixture f;
  f.Agent("login", "a1");
  const Agent& a = f.core.models().agents.agents()[f.core.models().agents.agents().Find("a1")];
  CHECK(a.capacity == Agent::NoCapacity());
}

TEST_CASE("an agents section of version 1 (no capacities) still loads, as no map") {
  CoreFixture f("queues: [{id: q}]");
  std::string bytes;
  BinaryWriter w(bytes);
  w.U64(1);
  w.Str("a1");
  w.U8(static_cast<uint8_t>(AgentState::kAvailable));
  w.I64(kT0);
  w.Str("team");
  w.Str("site");
  w.U64(1);
  w.Str("q");
  BinaryReader r(bytes);
  AgentsModel& agents = f.core.mutable_models().agents;
  REQUIRE(agents.Load(r, 1, LoadContext{}));
  CHECK(r.remaining() == 0);
  const Agent& a = agents.agents()[agents.agents().Find("a1")];
  CHECK(a.state == AgentState::kAvailable);
  CHECK(a.team == "team");
  CHECK(a.capacity == Agent::NoCapacity());
  CHECK(agents.InQueue(f.core.directory().FindQueue("q"))[0] == 1);
}
