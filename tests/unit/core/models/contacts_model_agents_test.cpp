// The contacts model's count of each agent's connected contacts, by channel: it follows
// answers, ends, transfers and expiry, and is rebuilt by a snapshot restore.
#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// The agent's connected contacts on `channel`, as the view reports them.
int32_t ConnectedOn(const Core& core, const std::string& agent, Channel channel) {
  const ContactsModel::ChannelCounts* c = core.models().contacts.ConnectedTo(HashId(agent));
  return c ? (*c)[static_cast<int>(channel)] : 0;
}

}  // namespace

TEST_CASE("an answer connects the contact to its agent on the contact's channel") {
  CoreFixture f;
  f.Queued("c1", "q1", 0, R"(,"channel":"chat")");
  f.Queued("c2", "q2", 0, R"(,"channel":"chat")");
  f.Queued("c3", "q1", 0);
  for (const char* c : {"c1", "c2", "c3"}) f.On("answered", c, 1000, R"(,"agent":"a1")");
  CHECK(ConnectedOn(f.core, "a1", Channel::kChat) == 2);  // in any queue
  CHECK(ConnectedOn(f.core, "a1", Channel::kVoice) == 1);
  CHECK(f.core.models().contacts.ConnectedTo(HashId("a2")) == nullptr);
}

TEST_CASE("an end or a transfer of a connected contact releases it from its agent") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Queued("c2", "q", 0);
  f.On("answered", "c1", 1000, R"(,"agent":"a1")");
  f.On("answered", "c2", 1000, R"(,"agent":"a1")");
  f.On("ended", "c1", 2000);
  CHECK(ConnectedOn(f.core, "a1", Channel::kVoice) == 1);
  f.On("transferred", "c2", 3000, R"(,"queue":"q2")");
  CHECK(f.core.models().contacts.ConnectedTo(HashId("a1")) == nullptr);  // the entry goes
}

TEST_CASE("a connected contact queued again elsewhere leaves its agent") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.On("answered", "c1", 1000, R"(,"agent":"a1")");
  f.Queued("c1", "q2", 2000, R"(,"channel":"chat")");
  CHECK(f.core.models().contacts.ConnectedTo(HashId("a1")) == nullptr);
}

TEST_CASE("an expired connected contact leaves its agent") {
  CoreFixture f("limits: {contact_ttl: 1h}");
  f.Queued("c1", "q", 0);
  f.On("answered", "c1", 1000, R"(,"agent":"a1")");
  f.clock.Advance(2 * 3'600'000);
  f.core.Tick(f.clock.NowMs());
  REQUIRE(f.core.models().contacts.expired() == 1);
  CHECK(f.core.models().contacts.ConnectedTo(HashId("a1")) == nullptr);
}

TEST_CASE("a restored core counts each agent's connected contacts again") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"channel":"email")");
  f.On("answered", "c1", 1000, R"(,"agent":"a1")");
  Core restored(ConfigFrom(""));
  RestoreSnapshotOf(f.core, restored);
  CHECK(ConnectedOn(restored, "a1", Channel::kEmail) == 1);
  CHECK(ConnectedOn(restored, "a1", Channel::kVoice) == 0);
}

TEST_CASE("an agent connected again before the next Tick counts from zero") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Queued("c2", "q", 0, R"(,"channel":"chat")");
  f.On("answered", "c1", 1000, R"(,"agent":"a1")");
  f.On("ended", "c1", 2000);  // its load falls to 0 and stays until the Tick
  CHECK(f.core.models().contacts.ConnectedTo(HashId("a1")) == nullptr);
  f.On("answered", "c2", 3000, R"(,"agent":"a1")");
  CHECK(ConnectedOn(f.core, "a1", Channel::kChat) == 1);
  CHECK(ConnectedOn(f.core, "a1", Channel::kVoice) == 0);
  f.On("ended", "c2", 4000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.core.models().contacts.ConnectedTo(HashId("a1")) == nullptr);
}
