// A projected_breaches rule pages before the breach: with `for: 0s` it fires at the first
// evaluation after the event that made a breach projected, while the contact is still under
// T, and resolves at the first one after the event that removed it.
#include "floorwatch/alerts/alert_engine.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// T = 20 s; AHT 60 s from ten calls handled in the last 15 minutes.
const char* kConfig = R"yaml(
windows: [15m, today]
defaults: {service_level: {threshold_seconds: 20}, staffing: {window: 15m}}
alerts:
  - {name: BreachAhead, measure: projected_breaches, op: ">", threshold: 0, for: 0s}
)yaml";

struct BreachFixture : CoreFixture {
  BreachFixture() : CoreFixture(kConfig), engine(core.config()) {
    for (int i = 0; i < 10; ++i) {
      const std::string c = "h" + std::to_string(i);
      Queued(c, "q", i * 60'000);
      Answered(c, i * 60'000);
      On("ended", c, i * 60'000 + 60'000);
    }
    clock.Set(kT0 + 600'000);
    Agent("login", "a1", R"(,"queues":["q"])");
    Agent("state", "a1", R"(,"state":"acw")");  // S = 1, F = 0: 60 s per position
  }
  // "firing:..." / "resolved:..." of one evaluation at the clock's time.
  std::vector<std::string> Evaluate() {
    std::vector<std::string> out;
    for (const AlertTransition& t : engine.Evaluate(core, clock.NowMs()))
      out.push_back(std::string(t.firing ? "firing:" : "resolved:") + t.alertname);
    return out;
  }
  AlertEngine engine;
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("a contact that will pass T fires BreachAhead at once, while it is under T") {
  BreachFixture f;
  CHECK(f.Evaluate().empty());
  f.Queued("c1", "q", 600'000 - 2'000);  // 2 s old: 2 + 60 s projected
  CHECK(f.Evaluate() == Lines{"firing:BreachAhead"});
  CHECK(f.engine.Active(f.core).at(0).value == 1);
}

TEST_CASE("an agent becoming free resolves BreachAhead at the next evaluation") {
  BreachFixture f;
  f.Queued("c1", "q", 600'000 - 2'000);
  REQUIRE(f.Evaluate() == Lines{"firing:BreachAhead"});
  f.clock.Advance(200);
  f.Agent("state", "a1", R"(,"state":"available")");  // F = 1: c1 is answered now
  CHECK(f.Evaluate() == Lines{"resolved:BreachAhead"});
}

TEST_CASE("the contact answered resolves BreachAhead at the next evaluation") {
  BreachFixture f;
  f.Queued("c1", "q", 600'000 - 2'000);
  REQUIRE(f.Evaluate() == Lines{"firing:BreachAhead"});
  f.clock.Advance(200);
  f.Answered("c1", 600'200);
  CHECK(f.Evaluate() == Lines{"resolved:BreachAhead"});
}

TEST_CASE("BreachAhead resolves by itself once its contact is past T") {
  BreachFixture f;
  f.Queued("c1", "q", 600'000 - 2'000);
  REQUIRE(f.Evaluate() == Lines{"firing:BreachAhead"});
  f.clock.Advance(18'000);  // exactly T: still a projected breach
  CHECK(f.Evaluate().empty());
  f.clock.Advance(1);  // lost to the service level: the page's job is over
  CHECK(f.Evaluate() == Lines{"resolved:BreachAhead"});
}
