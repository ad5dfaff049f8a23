// Windowed figures: rolling windows, `today` in the queue's time zone, the three service
// level formulas, abandon ratio, ASA and AHT.
#include <cmath>

#include "floorwatch/core/timestamp.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {
int64_t Utc(int y, int mo, int d, int h, int mi) {
  return (DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60) * 1000;
}
}  // namespace

TEST_CASE("an outcome leaves the 15m window after 15 minutes but stays in 1h") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.clock.Set(kT0 + 10'000);
  f.Answered("c1", 10'000);
  f.clock.Set(kT0 + 10'000 + 15 * 60'000 - 1000);
  CHECK(f.Window("q", "15m").answered == 1);
  f.clock.Advance(1000);
  CHECK(f.Window("q", "15m").answered == 0);
  CHECK(f.Window("q", "15m").offered == 0);
  CHECK(f.Window("q", "1h").answered == 1);
  f.clock.Set(kT0 + 10'000 + 3'600'000);
  CHECK(f.Window("q", "1h").answered == 0);
}

TEST_CASE("each outcome counts at its own event time") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.clock.Set(kT0 + 10 * 60'000);
  f.Answered("c1", 10 * 60'000);
  f.clock.Set(kT0 + 16 * 60'000);  // the queueing left the 15m window, the answer did not
  const Tally t = f.Window("q", "15m");
  CHECK(t.offered == 0);
  CHECK(t.answered == 1);
  CHECK(t.wait_ms == 10 * 60'000);
}

TEST_CASE("a late event with an old timestamp lands in the windows its time belongs to") {
  CoreFixture f;
  f.clock.Set(kT0 + 30 * 60'000);
  f.Queued("c1", "q", 0);  // 30 minutes old on arrival
  CHECK(f.Window("q", "15m").offered == 0);
  CHECK(f.Window("q", "1h").offered == 1);
  CHECK(f.Window("q", "today").offered == 1);
}

TEST_CASE("out-of-order events inside a window are all counted") {
  CoreFixture f;
  f.clock.Set(kT0 + 60'000);
  f.Queued("c2", "q", 50'000);
  f.Queued("c1", "q", 10'000);  // older, arrives later
  f.Queued("c3", "q", 30'000);
  CHECK(f.Window("q", "15m").offered == 3);
  f.clock.Set(kT0 + 10'000 + 15 * 60'000);  // c1's second leaves first
  CHECK(f.Window("q", "15m").offered == 2);
  f.clock.Set(kT0 + 30'000 + 15 * 60'000);
  CHECK(f.Window("q", "15m").offered == 1);
}

TEST_CASE("an event stamped in the future counts in the windows as now") {
  CoreFixture f;
  f.Queued("c1", "q", 10 * 60'000);  // source clock 10 minutes ahead
  CHECK(f.Window("q", "15m").offered == 1);
  f.clock.Advance(15 * 60'000);  // leaves 15 minutes after it arrived, not after its ts
  CHECK(f.Window("q", "15m").offered == 0);
}

TEST_CASE("configured window lengths are honoured and labelled canonically") {
  CoreFixture f("windows: [300s, 2h, today]");
  CHECK(f.core.config().windows[0].label == "5m");
  f.Queued("c1", "q", 0);
  f.clock.Advance(5 * 60'000);
  CHECK(f.Window("q", "5m").offered == 0);
  CHECK(f.Window("q", "2h").offered == 1);
}

TEST_CASE("today starts at local midnight in the queue's time zone") {
  CoreFixture f(
      "queues: [{id: de, timezone: Europe/Berlin}, {id: ny, timezone: America/New_York}]");
  // 2026-11-23 22:30 UTC = 23:30 in Berlin (CET) = 17:30 in New York (EST).
  f.clock.Set(Utc(2026, 11, 23, 22, 30));
  f.Queued("c1", "de", 0 - kT0 + Utc(2026, 11, 23, 22, 30));
  f.Queued("c2", "ny", 0 - kT0 + Utc(2026, 11, 23, 22, 30));
  // 23:10 UTC = 00:10 in Berlin (a new day), 18:10 in New York (same day).
  f.clock.Set(Utc(2026, 11, 23, 23, 10));
  CHECK(f.Window("de", "today").offered == 0);
  CHECK(f.Window("ny", "today").offered == 1);
  CHECK(f.Window("de", "1h").offered == 1);
}

TEST_CASE("today spans a 23-hour local day when DST starts") {
  // Europe/Berlin, 2026-03-29: 02:00 CET -> 03:00 CEST. Local day = 22:00 UTC Mar 28
  // to 22:00 UTC Mar 29 (23 hours).
  CoreFixture f("defaults: {timezone: Europe/Berlin}");
  f.clock.Set(Utc(2026, 3, 28, 22, 30));  // 23:30 CET, Mar 28
  f.Queued("c0", "q", Utc(2026, 3, 28, 22, 30) - kT0);
  f.clock.Set(Utc(2026, 3, 28, 23, 30));  // 00:30 CET, Mar 29
  f.Queued("c1", "q", Utc(2026, 3, 28, 23, 30) - kT0);
  CHECK(f.Window("q", "today").offered == 1);
  f.clock.Set(Utc(2026, 3, 29, 21, 59));  // 23:59 CEST, still Mar 29
  f.Queued("c2", "q", Utc(2026, 3, 29, 21, 59) - kT0);
  CHECK(f.Window("q", "today").offered == 2);
  f.clock.Set(Utc(2026, 3, 29, 22, 0));  // 00:00 CEST, Mar 30
  CHECK(f.Window("q", "today").offered == 0);
}

TEST_CASE("today spans a 25-hour local day when DST ends") {
  // America/New_York, 2026-11-01: 02:00 EDT -> 01:00 EST. Local day = 04:00 UTC Nov 1 to
  // 05:00 UTC Nov 2 (25 hours).
  CoreFixture f("defaults: {timezone: America/New_York}");
  f.clock.Set(Utc(2026, 11, 1, 4, 30));  // 00:30 EDT, Nov 1
  f.Queued("c1", "q", Utc(2026, 11, 1, 4, 30) - kT0);
  f.clock.Set(Utc(2026, 11, 2, 4, 30));  // 23:30 EST, still Nov 1 (24.5 h later)
  CHECK(f.Window("q", "today").offered == 1);
  f.clock.Set(Utc(2026, 11, 2, 5, 0));  // 00:00 EST, Nov 2
  CHECK(f.Window("q", "today").offered == 0);
}

TEST_CASE("an event from yesterday does not count in today") {
  CoreFixture f;
  f.clock.Set(Utc(2026, 11, 24, 0, 5));
  f.Queued("c1", "q", Utc(2026, 11, 23, 23, 55) - kT0);
  CHECK(f.Window("q", "today").offered == 0);
  CHECK(f.Window("q", "15m").offered == 1);
}

namespace {
// 8 answered (6 within 20 s), 4 abandoned: 1 short (2 s), 2 within threshold (10 s), 1 after (60
// s).
void FeedMix(CoreFixture& f) {
  const int64_t answers[] = {5, 10, 15, 20, 20, 19, 25, 40};
  for (int i = 0; i < 8; ++i) {
    const std::string id = "a" + std::to_string(i);
    f.Queued(id, "q", 0);
    f.Answered(id, answers[i] * 1000);
  }
  const int64_t abandons[] = {2, 10, 10, 60};
  for (int i = 0; i < 4; ++i) {
    const std::string id = "b" + std::to_string(i);
    f.Queued(id, "q", 0);
    f.On("abandoned", id, abandons[i] * 1000);
  }
  f.clock.Advance(61'000);
}
}  // namespace

TEST_CASE("service level answered_plus_abandoned = Asl / (A + B)") {
  CoreFixture f;
  FeedMix(f);
  CHECK(f.Figures("q", "15m").service_level_ratio == doctest::Approx(6.0 / (8 + 3)));
}

TEST_CASE("service level answered = Asl / A") {
  CoreFixture f("defaults: {service_level: {formula: answered}}");
  FeedMix(f);
  CHECK(f.Figures("q", "15m").service_level_ratio == doctest::Approx(6.0 / 8));
}

TEST_CASE("service level abandons_positive = (Asl + Bsl) / (A + B)") {
  CoreFixture f("defaults: {service_level: {formula: abandons_positive}}");
  FeedMix(f);
  CHECK(f.Figures("q", "15m").service_level_ratio == doctest::Approx((6.0 + 2) / (8 + 3)));
}

TEST_CASE("abandon ratio leaves short abandons out of numerator and denominator") {
  CoreFixture f;
  FeedMix(f);
  CHECK(f.Figures("q", "15m").abandon_ratio == doctest::Approx(3.0 / (8 + 3)));
  const Tally t = f.Window("q", "15m");
  CHECK(t.abandoned == 4);
  CHECK(t.short_abandoned == 1);
  CHECK(t.abandoned_in_sl == 2);
}

TEST_CASE("ASA is the mean wait of answered contacts") {
  CoreFixture f;
  FeedMix(f);
  CHECK(f.Figures("q", "15m").asa_seconds ==
        doctest::Approx((5 + 10 + 15 + 20 + 20 + 19 + 25 + 40) / 8.0));
}

TEST_CASE("AHT is the mean of talk plus after-contact work of handled contacts") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Answered("c1", 0);
  f.On("ended", "c1", 100'000);
  f.On("wrapped", "c1", 130'000);
  f.Queued("c2", "q", 0);
  f.Answered("c2", 0);
  f.On("ended", "c2", 200'000);
  f.On("wrapped", "c2", 210'000);
  f.clock.Advance(300'000);
  CHECK(f.Figures("q", "15m").aht_seconds == doctest::Approx((100 + 30 + 200 + 10) / 2.0));
}

TEST_CASE("transferred-out contacts are in no service-level denominator") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Answered("c1", 1000);
  f.Queued("c2", "q", 0);
  f.On("transferred", "c2", 50'000, R"(,"queue":"other")");
  f.clock.Advance(60'000);
  CHECK(f.Figures("q", "15m").service_level_ratio == doctest::Approx(1.0));
}

TEST_CASE("ratios with a zero denominator are NaN") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  const WindowFigures w = f.Figures("q", "15m");
  CHECK(std::isnan(w.service_level_ratio));
  CHECK(std::isnan(w.abandon_ratio));
  CHECK(std::isnan(w.asa_seconds));
  CHECK(std::isnan(w.aht_seconds));
}

TEST_CASE("per-channel service-level overrides apply to that channel only") {
  CoreFixture f(R"(
queues:
  - id: q
    service_level: {threshold_seconds: 30}
    channels:
      chat: {service_level: {threshold_seconds: 60, target: 0.9}}
)");
  CHECK(f.Qc("q", Channel::kChat).settings.sl_threshold_seconds == 60);
  CHECK(f.Qc("q", Channel::kChat).settings.sl_target == doctest::Approx(0.9));
  f.Queued("v1", "q", 0);
  f.Answered("v1", 45'000);
  f.Queued("c1", "q", 0, R"(,"channel":"chat")");
  f.Answered("c1", 45'000);
  CHECK(f.Qc("q", Channel::kVoice).totals.answered_in_sl == 0);
  CHECK(f.Qc("q", Channel::kChat).totals.answered_in_sl == 1);
}

TEST_CASE(
    "a reload keeps counters and waiting contacts and applies the new threshold from then on") {
  CoreFixture f("queues: [{id: q}]");
  f.Queued("c1", "q", 0);
  f.Answered("c1", 25'000);
  f.Queued("c2", "q", 0);
  f.core.Reconfigure(
      ConfigFrom("queues: [{id: q, service_level: {threshold_seconds: 30}, labels: {site: x}}]"));
  CHECK(f.Qc("q").totals.answered == 1);
  CHECK(f.Qc("q").waiting == 1);
  CHECK(f.core.directory().queues()[f.core.directory().queues().Find("q")].labels.at("site") ==
        "x");
  f.Answered("c2", 25'000);
  CHECK(f.Qc("q").totals.answered_in_sl == 1);  // only the second, under the new 30 s
  CHECK(f.Window("q", "15m").answered == 2);    // windows kept: same window list
}

TEST_CASE("configured queues exist with their channels from the start") {
  CoreFixture f("queues: [{id: plain}, {id: multi, channels: {chat: {}, email: {}}}]");
  CHECK(f.Qc("plain", Channel::kVoice).waiting == 0);
  CHECK(f.Qc("multi", Channel::kChat).waiting == 0);
  CHECK(f.Qc("multi", Channel::kEmail).waiting == 0);
  CHECK(f.core.directory().queues()[f.core.directory().queues().Find("multi")].channels[0] ==
        kNoSlot);
}
