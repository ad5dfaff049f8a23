// Repeat contacts and repeat escalations over outcomes.repeat_window.
#include "floorwatch/core/models/customers_model.h"

#include <doctest/doctest.h>

#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

constexpr int64_t kHour = 3'600'000;

struct Floor : CoreFixture {
  explicit Floor(const std::string& yaml = "outcomes: {repeat_window: 2h}") : CoreFixture(yaml) {}
  ApplyResult NewContact(const std::string& id, const std::string& queue, int64_t at,
                         const std::string& customer) {
    return Queued(id, queue, at, customer.empty() ? "" : R"(,"customer":")" + customer + "\"");
  }
  CustomerTally Window(const std::string& queue, size_t window = 2) {  // today by default
    core.Tick(clock.NowMs());
    return core.models().customers.WindowTally(QcIndex(queue), window);
  }
};

}  // namespace

TEST_CASE("a new contact of a customer seen within the window before is a repeat") {
  Floor f;
  f.NewContact("c1", "sales", 0, "cu-1");
  f.NewContact("c2", "support", kHour, "cu-1");  // another queue still counts
  f.clock.Set(kT0 + kHour);
  CHECK(f.Window("sales").repeat == 0);
  CHECK(f.Window("support").repeat == 1);
  CHECK(f.core.models().customers.NewContacts(f.QcIndex("support"), 2) == 1);
}

TEST_CASE("a new contact after the window is not a repeat") {
  Floor f;
  f.NewContact("c1", "q", 0, "cu-1");
  f.NewContact("c2", "q", 2 * kHour + 1000, "cu-1");
  f.clock.Set(kT0 + 2 * kHour + 1000);
  CHECK(f.Window("q").repeat == 0);
}

TEST_CASE("without a customer nothing is a repeat, and a transfer in is not a new contact") {
  Floor f;
  f.NewContact("c1", "a", 0, "");
  f.NewContact("c2", "a", 1000, "");
  f.NewContact("c3", "a", 2000, "cu-1");
  f.On("transferred", "c3", 3000, R"(,"queue":"b")");
  CHECK(f.Window("a").repeat == 0);
  CHECK(f.core.models().customers.NewContacts(f.QcIndex("a"), 2) == 3);
  CHECK(f.core.models().customers.NewContacts(f.QcIndex("b"), 2) == 0);  // offered 1, in 1
}

TEST_CASE("repeat ratio is repeats over new contacts, NaN without any") {
  Floor f;
  f.NewContact("c1", "q", 0, "cu-1");
  f.NewContact("c2", "q", 1000, "cu-1");
  f.NewContact("c3", "q", 2000, "cu-2");
  f.NewContact("c4", "q", 3000, "cu-1");
  f.core.Tick(f.clock.NowMs());
  const Reading r = f.core.models().customers.Measure(0, f.QcIndex("q"), 0, f.clock.NowMs());
  CHECK(r.value == doctest::Approx(2.0 / 4.0));
  CHECK(std::isnan(f.core.models().customers.Measure(0, f.QcIndex("q"), 0, 0).value) == false);
  Floor empty("queues: [{id: idle}]");
  CHECK(std::isnan(empty.core.models().customers.Measure(0, 0, 0, kT0).value));
}

TEST_CASE(
    "a first escalation is a repeat escalation when the customer escalated within the window") {
  Floor f;
  f.NewContact("c1", "q", 0, "cu-1");
  f.On("escalated", "c1", 1000);
  f.On("escalated", "c1", 2000, R"(,"tier":3)");  // a raise: not a first escalation
  f.NewContact("c2", "q", 10'000, "cu-1");
  f.On("escalated", "c2", 11'000);
  f.NewContact("c3", "q", 12'000, "cu-2");
  f.On("escalated", "c3", 13'000);
  CHECK(f.Window("q").repeat_escalated == 1);
}

TEST_CASE("past max_customers the customer touched longest ago is forgotten, and counted") {
  Floor f("limits: {max_customers: 2}\noutcomes: {repeat_window: 2h}");
  f.NewContact("c1", "q", 0, "cu-1");
  f.clock.Advance(1000);
  f.NewContact("c2", "q", 1000, "cu-2");
  f.clock.Advance(1000);
  f.NewContact("c3", "q", 2000, "cu-3");  // cu-1 is forgotten
  f.clock.Advance(1000);
  f.NewContact("c4", "q", 3000, "cu-1");              // so this is not a repeat
  CHECK(f.core.models().customers.forgotten() == 2);  // cu-1, then cu-2 made room for cu-1
  CHECK(f.core.models().customers.remembered() == 2);
  CHECK(f.Window("q").repeat == 0);
}

TEST_CASE("customers idle longer than the window are dropped at the tick, not counted") {
  Floor f;
  f.NewContact("c1", "q", 0, "cu-1");
  f.clock.Advance(3 * kHour);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.core.models().customers.remembered() == 0);
  CHECK(f.core.models().customers.forgotten() == 0);
}

TEST_CASE("remembered customers and repeat windows survive a snapshot") {
  Floor f;
  f.NewContact("c1", "q", 0, "cu-1");
  f.On("escalated", "c1", 500);
  f.NewContact("c2", "q", 1000, "cu-1");
  Core restored(ConfigFrom("outcomes: {repeat_window: 2h}"));
  RestoreSnapshotOf(f.core, restored);
  const int64_t now = f.clock.NowMs() + 5000;
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  const std::string next = R"({"type":"contact.queued","ts":)" + std::to_string(kT0 + 2000) +
                           R"(,"contact":"c3","queue":"q","customer":"cu-1"})";
  f.Feed(next);
  restored.OnPayload(next, f.clock.NowMs());
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));  // the repeat is seen after it too
  CHECK(restored.models().customers.WindowTally(f.QcIndex("q"), 0).repeat == 2);
}

TEST_CASE("a customer forgotten past max_customers takes its escalation with it") {
  Floor f("limits: {max_customers: 1}\noutcomes: {repeat_window: 2h}");
  f.NewContact("c1", "q", 0, "cu-1");
  f.On("escalated", "c1", 500);
  CHECK(f.core.models().customers.remembered_escalations() == 1);
  f.clock.Advance(1000);
  f.NewContact("c2", "q", 1000, "cu-2");  // cu-1 is forgotten
  CHECK(f.core.models().customers.remembered_escalations() == 0);
  f.clock.Advance(1000);
  f.NewContact("c3", "q", 2000, "cu-1");  // remembered anew, without its escalation
  f.On("escalated", "c3", 2500);
  CHECK(f.core.models().customers.forgotten() == 2);
  CHECK(f.Window("q").repeat_escalated == 0);
}

TEST_CASE("a customer dropped at the tick takes its escalation with it") {
  Floor f;
  f.NewContact("c1", "q", 0, "cu-1");
  f.On("escalated", "c1", 500);
  CHECK(f.core.models().customers.remembered_escalations() == 1);
  f.clock.Advance(3 * kHour);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.core.models().customers.remembered() == 0);
  CHECK(f.core.models().customers.remembered_escalations() == 0);
}

TEST_CASE("a customer's latest escalation survives a snapshot") {
  Floor f;
  f.NewContact("c1", "q", 0, "cu-1");
  f.On("escalated", "c1", 500);
  f.NewContact("c2", "q", 1000, "cu-1");
  Core restored(ConfigFrom("outcomes: {repeat_window: 2h}"));
  RestoreSnapshotOf(f.core, restored);
  const std::string next =
      R"({"type":"contact.escalated","ts":)" + std::to_string(kT0 + 2000) + R"(,"contact":"c2"})";
  f.Feed(next);
  restored.OnPayload(next, f.clock.NowMs());
  CHECK(restored.models().customers.WindowTally(f.QcIndex("q"), 0).repeat_escalated == 1);
  CHECK(f.core.models().customers.WindowTally(f.QcIndex("q"), 0).repeat_escalated == 1);
}
