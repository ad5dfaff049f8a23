// The contact lifecycle of docs/protocol.md applied by the core, checked figure by figure.
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("a queued contact waits, is offered, and ages with the clock") {
  CoreFixture f;
  CHECK(f.Queued("c1", "q", 0).outcome == Outcome::kApplied);
  f.clock.Advance(42'500);
  const auto qc = f.Qc("q");
  CHECK(qc.waiting == 1);
  CHECK(qc.totals.offered == 1);
  const uint32_t index =
      f.core.directory().queues()[f.core.directory().queues().Find("q")].channels[0];
  REQUIRE(f.core.models().contacts.OldestQueuedMs(index).has_value());
  CHECK(f.clock.NowMs() - *f.core.models().contacts.OldestQueuedMs(index) == 42'500);
}

TEST_CASE("oldest wait follows the longest waiter as others leave") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Queued("c2", "q", 5000);
  f.Queued("c3", "q", 9000);
  const uint32_t index =
      f.core.directory().queues()[f.core.directory().queues().Find("q")].channels[0];
  CHECK(*f.core.models().contacts.OldestQueuedMs(index) == kT0);
  f.Answered("c1", 10'000);
  CHECK(*f.core.models().contacts.OldestQueuedMs(index) == kT0 + 5000);
  f.On("abandoned", "c3", 11'000);  // leaving from the middle does not change the oldest
  CHECK(*f.core.models().contacts.OldestQueuedMs(index) == kT0 + 5000);
  f.Answered("c2", 12'000);
  CHECK_FALSE(f.core.models().contacts.OldestQueuedMs(index).has_value());
}

TEST_CASE("a contact reusing a departed contact's slot does not inherit its place in the queue") {
  // Found by the snapshot round-trip test: c1's heap entry stays buried under c0's, and c3
  // takes c1's freed slot with the same change count; the buried entry must not come back
  // as c3's (it showed c1's old queued time as the oldest wait).
  CoreFixture f;
  f.Queued("c0", "q", 0);
  f.Queued("c1", "q", 1000);
  f.On("abandoned", "c1", 2000);  // freed; its heap entry stays below c0's
  f.Queued("c3", "q", 5000);      // reuses c1's slot
  f.Answered("c0", 6000);
  const uint32_t index =
      f.core.directory().queues()[f.core.directory().queues().Find("q")].channels[0];
  CHECK(*f.core.models().contacts.OldestQueuedMs(index) == kT0 + 5000);
}

TEST_CASE("the channel of a queued contact picks its queue/channel series") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"channel":"chat")");
  CHECK(f.Qc("q", Channel::kChat).waiting == 1);
  CHECK(f.core.directory().queues()[f.core.directory().queues().Find("q")].channels[0] == kNoSlot);
}

TEST_CASE("an answer within the threshold counts in service level, with its wait") {
  CoreFixture f;  // default threshold 20 s
  f.Queued("c1", "q", 0);
  f.Answered("c1", 20'000);  // exactly at the threshold: in SL (wait <= threshold)
  const auto qc = f.Qc("q");
  CHECK(qc.waiting == 0);
  CHECK(qc.active == 1);
  CHECK(qc.totals.answered == 1);
  CHECK(qc.totals.answered_in_sl == 1);
  CHECK(qc.totals.wait_ms == 20'000);
}

TEST_CASE("an answer after the threshold is answered but not in service level") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Answered("c1", 20'001);
  CHECK(f.Qc("q").totals.answered == 1);
  CHECK(f.Qc("q").totals.answered_in_sl == 0);
}

TEST_CASE("the wait histogram puts each answer in its bucket") {
  CoreFixture f("wait_buckets: [10, 30, 60]");
  f.Queued("c1", "q", 0);
  f.Answered("c1", 10'000);  // le=10
  f.Queued("c2", "q", 0);
  f.Answered("c2", 25'000);  // le=30
  f.Queued("c3", "q", 0);
  f.Answered("c3", 600'000);  // +Inf
  const auto& b = f.Qc("q").wait_buckets;
  REQUIRE(b.size() == 4);
  CHECK(b[0] == 1);
  CHECK(b[1] == 1);
  CHECK(b[2] == 0);
  CHECK(b[3] == 1);
  CHECK(f.Qc("q").wait_bucket_sum_ms == 635'000);
}

TEST_CASE("abandons shorter than short_abandon_seconds are short abandons") {
  CoreFixture f("defaults: {short_abandon_seconds: 5}");
  f.Queued("c1", "q", 0);
  f.On("abandoned", "c1", 4999);
  f.Queued("c2", "q", 0);
  f.On("abandoned", "c2", 5000);
  const auto qc = f.Qc("q");
  CHECK(qc.totals.abandoned == 2);
  CHECK(qc.totals.short_abandoned == 1);
  CHECK(qc.waiting == 0);
  CHECK(f.core.models().contacts.contacts().size() == 0);
}

TEST_CASE(
    "a contact transferred while waiting is neither answered nor abandoned in its first queue") {
  CoreFixture f;
  f.Queued("c1", "a", 0);
  f.On("transferred", "c1", 30'000, R"(,"queue":"b")");
  f.Answered("c1", 35'000);
  const auto a = f.Qc("a");
  CHECK(a.waiting == 0);
  CHECK(a.transferred_out == 1);
  CHECK(a.totals.answered == 0);
  CHECK(a.totals.abandoned == 0);
  const auto b = f.Qc("b");
  CHECK(b.totals.offered == 1);
  CHECK(b.totals.answered == 1);
  CHECK(b.totals.wait_ms == 5000);  // counted from the transfer, not from the first queueing
  CHECK(b.totals.answered_in_sl == 1);
}

TEST_CASE(
    "a contact transferred while connected is handled in its first queue up to the transfer") {
  CoreFixture f;
  f.Queued("c1", "a", 0);
  f.Answered("c1", 10'000);
  f.On("transferred", "c1", 70'000, R"(,"queue":"b")");
  const auto a = f.Qc("a");
  CHECK(a.active == 0);
  CHECK(a.transferred_out == 1);
  CHECK(a.totals.handled == 1);
  CHECK(a.totals.talk_ms == 60'000);
  CHECK(f.Qc("b").waiting == 1);
  CHECK(f.Qc("b").totals.offered == 1);
}

TEST_CASE("after-contact work of a transferred segment counts where that segment was handled") {
  CoreFixture f;
  f.Queued("c1", "a", 0);
  f.Answered("c1", 10'000);
  f.On("transferred", "c1", 70'000, R"(,"queue":"b")");
  f.On("wrapped", "c1", 90'000);
  CHECK(f.Qc("a").totals.acw_ms == 20'000);
  CHECK(f.Qc("b").totals.acw_ms == 0);
  CHECK(f.Qc("b").waiting == 1);  // the contact itself still waits in b
}

TEST_CASE("ended then wrapped gives talk and after-contact work, and frees the contact") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  f.Answered("c1", 10'000);
  f.On("ended", "c1", 190'000);
  CHECK(f.Qc("q").active == 0);
  CHECK(f.Qc("q").totals.handled == 1);
  CHECK(f.Qc("q").totals.talk_ms == 180'000);
  CHECK(f.core.models().contacts.contacts().size() == 1);  // kept for its wrap
  f.On("wrapped", "c1", 220'000);
  CHECK(f.Qc("q").totals.acw_ms == 30'000);
  CHECK(f.core.models().contacts.contacts().size() == 0);
}

TEST_CASE("a repeated contact.queued in the same queue changes nothing") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  const ApplyResult r = f.Queued("c1", "q", 5000);
  CHECK(r.outcome == Outcome::kIgnored);
  CHECK(f.Ignored(IgnoreReason::kNoChange) == 1);
  CHECK(f.Qc("q").totals.offered == 1);
  CHECK(f.Qc("q").waiting == 1);
  const uint32_t index =
      f.core.directory().queues()[f.core.directory().queues().Find("q")].channels[0];
  CHECK(*f.core.models().contacts.OldestQueuedMs(index) == kT0);  // the original queue time stands
}

TEST_CASE("contact.queued into another queue moves a waiting contact like a transfer") {
  CoreFixture f;
  f.Queued("c1", "a", 0);
  f.Queued("c1", "b", 5000);
  CHECK(f.Qc("a").waiting == 0);
  CHECK(f.Qc("a").transferred_out == 1);
  CHECK(f.Qc("b").waiting == 1);
}

TEST_CASE("events about an unknown contact are rejected as unknown_contact") {
  CoreFixture f;
  CHECK(f.Answered("ghost", 0).outcome == Outcome::kRejected);
  f.On("abandoned", "ghost", 0);
  f.On("ended", "ghost", 0);
  f.On("wrapped", "ghost", 0);
  f.On("transferred", "ghost", 0, R"(,"queue":"b")");
  f.On("escalated", "ghost", 0);
  f.On("message", "ghost", 0, R"(,"from":"customer")");
  CHECK(f.Rejected(RejectReason::kUnknownContact) == 7);
  CHECK(f.core.directory().queues().size() == 0);  // a refused transfer created no queue either
}

TEST_CASE("events out of lifecycle order are ignored as invalid_state") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  CHECK(f.On("ended", "c1", 1000).outcome == Outcome::kIgnored);    // ended while waiting
  CHECK(f.On("wrapped", "c1", 1000).outcome == Outcome::kIgnored);  // nothing to wrap
  f.Answered("c1", 2000);
  CHECK(f.Answered("c1", 3000).outcome == Outcome::kIgnored);  // answered twice
  CHECK(f.On("abandoned", "c1", 3000).outcome == Outcome::kIgnored);
  CHECK(f.Ignored(IgnoreReason::kInvalidState) == 4);
  CHECK(f.Qc("q").totals.answered == 1);
  CHECK(f.Qc("q").active == 1);
}

TEST_CASE("durations made negative by clock skew count as zero") {
  CoreFixture f;
  f.Queued("c1", "q", 10'000);
  f.Answered("c1", 4000);  // answered "before" it was queued
  f.On("ended", "c1", 3000);
  f.On("wrapped", "c1", 1000);
  const auto qc = f.Qc("q");
  CHECK(qc.totals.wait_ms == 0);
  CHECK(qc.totals.answered_in_sl == 1);
  CHECK(qc.totals.talk_ms == 0);
  CHECK(qc.totals.acw_ms == 0);
}

TEST_CASE("a queued time in the future shows an oldest wait of zero, not a negative one") {
  CoreFixture f;
  f.Queued("c1", "q", 60'000);  // source clock a minute ahead
  const uint32_t index =
      f.core.directory().queues()[f.core.directory().queues().Find("q")].channels[0];
  CHECK(*f.core.models().contacts.OldestQueuedMs(index) > f.clock.NowMs());
  CHECK(f.core.models().contacts.OldestWaitSeconds(index, f.clock.NowMs()) == 0);
}

TEST_CASE("escalated, message and survey events are validated and accepted") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  CHECK(f.On("escalated", "c1", 1000, R"(,"tier":3,"reason":"vip")").outcome == Outcome::kApplied);
  CHECK(f.On("message", "c1", 1000, R"(,"from":"agent")").outcome == Outcome::kApplied);
  CHECK(f.Feed(R"({"type":"contact.survey","ts":1,"queue":"q","csat":5,"nps":9,"resolved":true})")
            .outcome == Outcome::kApplied);
  CHECK(f.On("survey", "c1", 1000, R"(,"csat":4)").outcome == Outcome::kApplied);
  CHECK(f.On("survey", "gone", 1000, R"(,"csat":4)").outcome == Outcome::kRejected);
}

TEST_CASE("contacts idle past contact_ttl are dropped and stop counting as waiting") {
  CoreFixture f("limits: {contact_ttl: 1h}");
  f.Queued("c1", "q", 0);
  f.clock.Advance(3'600'000 + 20'000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.Qc("q").waiting == 0);
  CHECK(f.core.models().contacts.contacts().size() == 0);
  CHECK(f.core.models().contacts.expired() == 1);
  CHECK(f.Qc("q").totals.abandoned == 0);  // expiry is not an outcome
}

TEST_CASE("an ended contact whose wrap never comes is dropped after wrap_timeout") {
  CoreFixture f("limits: {wrap_timeout: 10m}");
  f.Queued("c1", "q", 0);
  f.Answered("c1", 1000);
  f.On("ended", "c1", 2000);
  f.clock.Advance(9 * 60'000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.core.models().contacts.contacts().size() == 1);
  f.clock.Advance(2 * 60'000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.core.models().contacts.contacts().size() == 0);
}

TEST_CASE("waiting and active gauges equal the contacts that point to each queue/channel") {
  CoreFixture f;
  // A deterministic mix of lifecycles over two queues.
  for (int i = 0; i < 300; ++i) {
    const std::string id = "c" + std::to_string(i);
    f.Queued(id, i % 2 ? "a" : "b", i * 10);
    if (i % 3 == 0) f.Answered(id, i * 10 + 5);
    if (i % 5 == 0) f.On("transferred", id, i * 10 + 7, R"(,"queue":"a")");
    if (i % 7 == 0) f.On("abandoned", id, i * 10 + 8);
    if (i % 11 == 0) f.On("ended", id, i * 10 + 9);
  }
  std::map<uint32_t, std::pair<int64_t, int64_t>> expected;
  f.core.models().contacts.contacts().ForEach([&](uint32_t, const Contact& c) {
    if (c.state == ContactState::kWaiting) ++expected[c.queue_channel].first;
    if (c.state == ContactState::kConnected) ++expected[c.queue_channel].second;
  });
  for (uint32_t i = 0; i < f.core.directory().queue_channels().size(); ++i) {
    CHECK(f.core.models().contacts.waiting(i) == expected[i].first);
    CHECK(f.core.models().contacts.active(i) == expected[i].second);
  }
  const IntakeStats& s = f.core.stats();
  uint64_t rejected = 0, ignored = 0;
  for (auto n : s.rejected) rejected += n;
  for (auto n : s.ignored) ignored += n;
  CHECK(s.received == s.applied + s.duplicate + rejected + ignored);
}

TEST_CASE(
    "a wrap that arrives after the transferred contact abandoned still counts where it was "
    "handled") {
  CoreFixture f;
  f.Queued("c1", "a", 0);
  f.Answered("c1", 1000);
  f.On("transferred", "c1", 61'000, R"(,"queue":"b")");
  f.On("abandoned", "c1", 70'000);  // gives up in b before agent 1 wrapped
  CHECK(f.Qc("b").waiting == 0);
  CHECK(f.core.models().contacts.contacts().size() == 1);  // kept for the pending wrap only
  CHECK(f.On("wrapped", "c1", 91'000).outcome == Outcome::kApplied);
  CHECK(f.Qc("a").totals.acw_ms == 30'000);
  CHECK(f.core.models().contacts.contacts().size() == 0);
}

TEST_CASE("a wrap naming its agent is matched to that agent's segment") {
  CoreFixture f;
  f.Queued("c1", "a", 0);
  f.On("answered", "c1", 1000, R"(,"agent":"first")");
  f.On("transferred", "c1", 61'000, R"(,"queue":"b")");
  f.On("answered", "c1", 62'000, R"(,"agent":"second")");
  f.On("ended", "c1", 100'000);
  f.On("wrapped", "c1", 105'000, R"(,"agent":"second")");  // second agent wraps first
  f.On("wrapped", "c1", 121'000, R"(,"agent":"first")");
  CHECK(f.Qc("b").totals.acw_ms == 5000);
  CHECK(f.Qc("a").totals.acw_ms == 60'000);
  CHECK(f.core.models().contacts.contacts().size() == 0);
}

TEST_CASE("wraps without an agent go to the oldest pending segment") {
  CoreFixture f;
  f.Queued("c1", "a", 0);
  f.Answered("c1", 1000);
  f.On("transferred", "c1", 11'000, R"(,"queue":"b")");
  f.Answered("c1", 12'000);
  f.On("ended", "c1", 20'000);
  f.On("wrapped", "c1", 21'000);
  CHECK(f.Qc("a").totals.acw_ms == 10'000);
  CHECK(f.core.models().contacts.contacts().size() == 1);
  f.On("wrapped", "c1", 22'000);
  CHECK(f.Qc("b").totals.acw_ms == 2000);
  CHECK(f.core.models().contacts.contacts().size() == 0);
}
