#include <doctest/doctest.h>

#include "floorwatch/core/core.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("the queues snapshot holds gauges, totals and windows per queue and channel") {
  CoreFixture f("queues: [{id: \"sales\", labels: {team: t1}}]");
  f.Queued("c1", "sales", 0);
  f.Answered("c1", 4000);
  f.Queued("c2", "sales", 0, R"(,"channel":"chat")");
  f.clock.Advance(10'000);
  f.core.Tick(f.clock.NowMs());
  std::string out;
  f.core.RenderQueuesJson(out, f.clock.NowMs());
  CHECK(out.find(R"("queue":"sales","channel":"voice","labels":{"team":"t1"})") !=
        std::string::npos);
  CHECK(out.find(R"("channel":"chat")") != std::string::npos);
  CHECK(out.find(R"("waiting_contacts":1,"oldest_wait_seconds":10,)") != std::string::npos);
  CHECK(out.find(R"("15m":{"offered":1,"answered":1,"answered_in_sl":1,)") != std::string::npos);
  CHECK(out.find(R"("aht_seconds":null)") != std::string::npos);  // NaN becomes null
}
