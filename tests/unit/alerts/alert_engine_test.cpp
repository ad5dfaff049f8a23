// Alert rules over live state, driven by a fake clock.
#include "floorwatch/alerts/alert_engine.h"

#include "floorwatch/core/timestamp.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

struct AlertFixture : CoreFixture {
  explicit AlertFixture(const std::string& yaml) : CoreFixture(yaml), engine(core.config()) {}
  // Evaluates at the clock's time; returns "firing:Name:severity" / "resolved:..." lines.
  std::vector<std::string> Step() {
    core.Tick(clock.NowMs());
    std::vector<std::string> out;
    for (const AlertTransition& t : engine.Evaluate(core, clock.NowMs())) {
      out.push_back(std::string(t.firing ? "firing:" : "resolved:") + t.alertname + ":" +
                    t.severity);
      last = t;
    }
    return out;
  }
  // kOldest: a contact queued at kT0, over 60 s waiting at +61 s (pending), held for the
  // 10 s `for` at +71 s. Returns the transitions of that last step.
  std::vector<std::string> FireLongestWait() {
    Queued("c1", "q", 0);
    clock.Set(kT0 + 61'000);
    Step();
    clock.Set(kT0 + 71'000);
    return Step();
  }

  AlertEngine engine;
  AlertTransition last;
};

using Lines = std::vector<std::string>;

const char* kOldest = R"yaml(
alerts:
  - name: LongestWait
    measure: oldest_wait_seconds
    op: ">"
    threshold: 60
    for: 10s
    clear: 30
    severity: warning
    escalate:
      - {after: 2m, severity: critical}
      - {after: 5m, severity: page}
    labels: {team: retail}
    annotations: {summary: "{{queue}} {{channel}}: oldest waiting {{value}} (limit {{threshold}})"}
)yaml";

}  // namespace

TEST_CASE("an alert is pending until its condition has held for `for`, then fires") {
  AlertFixture f(kOldest);
  f.Queued("c1", "q", 0);
  f.clock.Set(kT0 + 61'000);
  CHECK(f.Step().empty());  // condition true: pending
  REQUIRE(f.engine.Active(f.core).size() == 1);
  CHECK_FALSE(f.engine.Active(f.core)[0].firing);
  f.clock.Set(kT0 + 70'999);
  CHECK(f.Step().empty());
  f.clock.Set(kT0 + 71'000);
  CHECK(f.Step() == Lines{"firing:LongestWait:warning"});
  CHECK(f.Step().empty());  // no repeat while it stays firing
}

TEST_CASE("a firing alert carries labels, templated annotations and value") {
  AlertFixture f(kOldest);
  f.Queued("c1", "sales", 0, R"(,"channel":"chat")");
  f.clock.Set(kT0 + 61'000);
  f.Step();
  f.clock.Set(kT0 + 75'000);
  f.Step();
  CHECK(f.last.labels.at("alertname") == "LongestWait");
  CHECK(f.last.labels.at("queue") == "sales");
  CHECK(f.last.labels.at("channel") == "chat");
  CHECK(f.last.labels.at("severity") == "warning");
  CHECK(f.last.labels.at("team") == "retail");
  CHECK(f.last.annotations.at("summary") == "sales chat: oldest waiting 1:15 (limit 1:00)");
  CHECK(f.last.annotations.at("value") == "1:15");
  CHECK(f.last.starts_at_ms == kT0 + 75'000);
}

TEST_CASE("hysteresis: a firing alert resolves only once the value is back past clear") {
  AlertFixture f(R"(
alerts:
  - {name: Waiting, measure: waiting_contacts, op: ">", threshold: 3, clear: 1}
)");
  for (int i = 0; i < 4; ++i) f.Queued("c" + std::to_string(i), "q", 0);
  CHECK(f.Step() == Lines{"firing:Waiting:warning"});  // for: 0 fires at once
  f.Answered("c0", 1000);
  f.Answered("c1", 1000);  // 2 waiting: under the threshold but not past clear
  CHECK(f.Step().empty());
  f.Answered("c2", 1000);  // 1 waiting: not > 1
  CHECK(f.Step() == Lines{"resolved:Waiting:warning"});
  CHECK(f.engine.Active(f.core).empty());
}

TEST_CASE("flapping under `for` never fires") {
  AlertFixture f(R"(
alerts:
  - {name: Waiting, measure: waiting_contacts, op: ">=", threshold: 1, for: 30s}
)");
  for (int i = 0; i < 10; ++i) {
    f.Queued("c" + std::to_string(i), "q", i * 20'000);
    f.clock.Set(kT0 + i * 20'000 + 15'000);
    CHECK(f.Step().empty());
    f.Answered("c" + std::to_string(i), i * 20'000 + 15'000);
    CHECK(f.Step().empty());  // cleared before 30 s: back to inactive
  }
}

TEST_CASE("min_contacts keeps a ratio alert quiet on a tiny sample") {
  AlertFixture f(R"(
alerts:
  - {name: LowSL, measure: service_level_ratio, window: 15m, op: "<", threshold: 0.8, min_contacts: 5}
)");
  for (int i = 0; i < 4; ++i) {
    f.Queued("c" + std::to_string(i), "q", 0);
    f.Answered("c" + std::to_string(i), 60'000);  // all outside SL: 0%
  }
  f.clock.Set(kT0 + 60'000);
  CHECK(f.Step().empty());  // 4 contacts < 5
  f.Queued("c9", "q", 0);
  f.Answered("c9", 60'000);
  CHECK(f.Step() == Lines{"firing:LowSL:warning"});
  CHECK(f.last.annotations.at("value") == "0.0%");
}

TEST_CASE("each escalation step adds an alert of its severity, and all resolve together") {
  AlertFixture f(kOldest);
  CHECK(f.FireLongestWait() == Lines{"firing:LongestWait:warning"});
  f.clock.Set(kT0 + 71'000 + 119'000);
  CHECK(f.Step().empty());
  f.clock.Set(kT0 + 71'000 + 120'000);
  CHECK(f.Step() == Lines{"firing:LongestWait:critical"});
  f.clock.Set(kT0 + 71'000 + 300'000);
  CHECK(f.Step() == Lines{"firing:LongestWait:page"});
  CHECK(f.engine.Active(f.core).size() == 3);
  f.Answered("c1", 71'000 + 300'000);
  CHECK(f.Step() == Lines{"resolved:LongestWait:critical", "resolved:LongestWait:page",
                          "resolved:LongestWait:warning"});
}

TEST_CASE("rules match queues and channels by glob") {
  AlertFixture f(R"(
alerts:
  - {name: W, measure: waiting_contacts, op: ">", threshold: 0, queues: ["sales-*"], channels: [voice]}
)");
  f.Queued("a", "sales-de", 0);
  f.Queued("b", "support", 0);
  f.Queued("c", "sales-fr", 0, R"(,"channel":"chat")");
  CHECK(f.Step() == Lines{"firing:W:warning"});
  CHECK(f.last.queue == "sales-de");
}

TEST_CASE("agents by state are a measure: waiting contacts with no agent available") {
  AlertFixture f(R"(
alerts:
  - {name: NoAgent, measure: agents_available, op: "==", threshold: 0, queues: ["q"]}
)");
  f.Agent("login", "a1", R"(,"queues":["q"])");
  f.Agent("state", "a1", R"(,"state":"available")");
  f.Queued("c1", "q", 0);
  CHECK(f.Step().empty());
  f.Agent("state", "a1", R"(,"state":"on_contact")");
  CHECK(f.Step() == Lines{"firing:NoAgent:warning"});
}

namespace {
int64_t Utc(int y, int mo, int d, int h, int mi) {
  return (DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60) * 1000;
}
const char* kBusiness = R"(
queues:
  - id: q
    timezone: Europe/Berlin
    business_hours: {"mon-fri": "08:00-18:00", "sat": "10:00-14:00"}
    holidays: ["2026-12-24"]
alerts:
  - {name: W, measure: waiting_contacts, op: ">", threshold: 0, active: business_hours}
)";
}  // namespace

TEST_CASE("business hours: a rule holds only while the queue is open, in its time zone") {
  AlertFixture f(kBusiness);
  // Monday 2026-11-23 07:30 Berlin (06:30 UTC): closed.
  f.clock.Set(Utc(2026, 11, 23, 6, 30));
  f.Queued("c1", "q", Utc(2026, 11, 23, 6, 30) - kT0);
  CHECK(f.Step().empty());
  f.clock.Set(Utc(2026, 11, 23, 7, 0));  // 08:00 Berlin: open
  CHECK(f.Step() == Lines{"firing:W:warning"});
  f.clock.Set(Utc(2026, 11, 23, 17, 0));  // 18:00 Berlin: closed again
  CHECK(f.Step() == Lines{"resolved:W:warning"});
}

TEST_CASE("business hours follow the queue's clock across a DST change") {
  AlertFixture f(kBusiness);
  // Saturday 2026-03-28 (CET, UTC+1): open 10:00-14:00 local = 09:00-13:00 UTC.
  f.clock.Set(Utc(2026, 3, 28, 9, 30));
  f.Queued("c1", "q", Utc(2026, 3, 28, 9, 30) - kT0);
  CHECK(f.Step() == Lines{"firing:W:warning"});
  f.clock.Set(Utc(2026, 3, 28, 13, 0));
  CHECK(f.Step() == Lines{"resolved:W:warning"});
  // Monday 2026-03-30 (CEST, UTC+2): 08:00 local = 06:00 UTC. (c1 expired meanwhile:
  // contact_ttl is 24 h.)
  f.clock.Set(Utc(2026, 3, 30, 5, 59));
  f.Queued("c2", "q", Utc(2026, 3, 30, 5, 59) - kT0);
  CHECK(f.Step().empty());
  f.clock.Set(Utc(2026, 3, 30, 6, 0));
  CHECK(f.Step() == Lines{"firing:W:warning"});
}

TEST_CASE("business hours: a holiday is closed all day") {
  AlertFixture f(kBusiness);
  f.clock.Set(Utc(2026, 12, 24, 10, 0));  // Thursday, 11:00 Berlin, but a holiday
  f.Queued("c1", "q", Utc(2026, 12, 24, 10, 0) - kT0);
  CHECK(f.Step().empty());
  f.clock.Set(Utc(2026, 12, 25, 10, 0));  // the next day is open
  CHECK(f.Step() == Lines{"firing:W:warning"});
}

TEST_CASE("a reload keeps a firing alert that the new config still has") {
  AlertFixture f(kOldest);
  CHECK(f.FireLongestWait() == Lines{"firing:LongestWait:warning"});
  f.engine.Reconfigure(ConfigFrom(kOldest));
  f.clock.Advance(1000);
  CHECK(f.Step().empty());  // still firing, not re-fired
  CHECK(f.engine.Active(f.core).size() == 1);
}

TEST_CASE("templates format seconds as m:ss and ratios as percent") {
  CHECK(FormatMeasureValue("oldest_wait_seconds", 220.4) == "3:40");
  CHECK(FormatMeasureValue("asa_seconds", 5) == "0:05");
  CHECK(FormatMeasureValue("service_level_ratio", 0.713) == "71.3%");
  CHECK(FormatMeasureValue("waiting_contacts", 12) == "12");
  CHECK(FormatMeasureValue("abandon_ratio", std::nan("")) == "n/a");
}

TEST_CASE("comparisons") {
  CHECK(Compare(">", 2, 1));
  CHECK_FALSE(Compare(">", 1, 1));
  CHECK(Compare(">=", 1, 1));
  CHECK(Compare("<", 0, 1));
  CHECK(Compare("<=", 1, 1));
  CHECK(Compare("==", 1, 1));
  CHECK(Compare("!=", 2, 1));
  CHECK_FALSE(Compare("<", std::nan(""), 1));
}

TEST_CASE("waiting contacts with no agent available is one measure") {
  AlertFixture f(R"(
alerts:
  - {name: Unserved, measure: waiting_contacts_no_agent_available, op: ">", threshold: 0}
)");
  f.Agent("login", "a1", R"(,"queues":["q"])");
  f.Agent("state", "a1", R"(,"state":"available")");
  f.Queued("c1", "q", 0);
  CHECK(f.Step().empty());  // someone waits, but an agent is available
  f.Agent("state", "a1", R"(,"state":"not_ready")");
  CHECK(f.Step() == Lines{"firing:Unserved:warning"});
  f.Answered("c1", 1000);
  CHECK(f.Step() == Lines{"resolved:Unserved:warning"});  // no agent, but nobody waits
}
