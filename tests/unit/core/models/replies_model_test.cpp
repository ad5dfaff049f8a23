// Chat responsiveness: awaiting replies (open, kept, moved, closed), their oldest age, and the
// windowed replies and first responses with their mean times.
#include <cmath>

#include "core/models/replies_model_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

// ---- Awaiting reply -----------------------------------------------------------------------

TEST_CASE("a customer message opens an awaiting reply on a waiting contact") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.clock.Set(kT0 + 5'000);
  f.Says("c1", "customer", 2'000);
  CHECK(f.Awaiting("q") == 1);
  CHECK(f.Oldest("q") == doctest::Approx(3.0));
}

TEST_CASE("a customer message opens an awaiting reply on a connected contact") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Answered("c1", 1'000);
  f.Says("c1", "customer", 2'000);
  CHECK(f.Awaiting("q") == 1);
}

TEST_CASE("no awaiting reply: none counted and the oldest age is 0") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.clock.Set(kT0 + 60'000);
  CHECK(f.Awaiting("q") == 0);
  CHECK(f.Oldest("q") == 0.0);
}

TEST_CASE("a later customer message while one is open changes nothing") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "customer", 1'000);
  f.Says("c1", "customer", 4'000);
  f.clock.Set(kT0 + 10'000);
  CHECK(f.Awaiting("q") == 1);
  CHECK(f.Oldest("q") == doctest::Approx(9.0));  // from the message that opened it
  f.Says("c1", "agent", 10'000);
  CHECK(f.Win("q", "15m").reply_ms == 9'000);
}

TEST_CASE("an agent message closes the awaiting reply as replied") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Answered("c1", 1'000);
  f.Says("c1", "customer", 2'000);
  f.clock.Set(kT0 + 8'000);
  f.Says("c1", "agent", 7'500);
  CHECK(f.Awaiting("q") == 0);
  CHECK(f.Oldest("q") == 0.0);
  const ReplyTally t = f.Win("q", "15m");
  CHECK(t.replied == 1);
  CHECK(t.reply_ms == 5'500);
}

TEST_CASE("an agent message with no awaiting reply open counts no reply") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "agent", 1'000);
  f.Says("c1", "agent", 2'000);
  CHECK(f.Win("q", "15m").replied == 0);
}

TEST_CASE("each customer message after a reply opens a new awaiting reply") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "customer", 1'000);
  f.Says("c1", "agent", 3'000);
  f.Says("c1", "customer", 10'000);
  CHECK(f.Awaiting("q") == 1);
  f.Says("c1", "agent", 11'000);
  const ReplyTally t = f.Win("q", "15m");
  CHECK(t.replied == 2);
  CHECK(t.reply_ms == 3'000);  // 2 s + 1 s
}

TEST_CASE("the oldest awaiting reply is the earliest open message, whatever the arrival order") {
  ChatFixture f;
  f.clock.Set(kT0 + 100'000);
  f.Enter("c1", "q", 0);
  f.Enter("c2", "q", 0);
  f.Enter("c3", "q", 0);
  f.Says("c2", "customer", 50'000);
  f.Says("c1", "customer", 20'000);  // older, arrives later
  f.Says("c3", "customer", 70'000);
  CHECK(f.Oldest("q") == doctest::Approx(80.0));
  f.Says("c1", "agent", 90'000);
  CHECK(f.Oldest("q") == doctest::Approx(50.0));
  f.Says("c3", "agent", 90'000);  // a younger one closes: the oldest stays
  CHECK(f.Oldest("q") == doctest::Approx(50.0));
  CHECK(f.Awaiting("q") == 1);
}

TEST_CASE("the oldest awaiting reply's age is never negative") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "customer", 30'000);  // source clock 30 s ahead
  CHECK(f.Awaiting("q") == 1);
  CHECK(f.Oldest("q") == 0.0);
}

TEST_CASE("awaiting replies count per queue and channel") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Queued("v1", "q", 0);  // voice
  f.Says("c1", "customer", 1'000);
  f.Says("v1", "customer", 1'000);
  CHECK(f.Awaiting("q") == 1);
  CHECK(f.core.models().replies.awaiting(f.QcIndex("q", Channel::kVoice)) == 1);
}

// ---- Lifecycle ------------------------------------------------------------------------------

TEST_CASE("an awaiting reply moves with a transfer and keeps its message's ts") {
  ChatFixture f;
  f.Enter("c1", "a", 0);
  f.Says("c1", "customer", 1'000);
  f.clock.Set(kT0 + 10'000);
  f.On("transferred", "c1", 5'000, R"(,"queue":"b")");
  CHECK(f.Awaiting("a") == 0);
  CHECK(f.Oldest("a") == 0.0);
  CHECK(f.Awaiting("b") == 1);
  CHECK(f.Oldest("b") == doctest::Approx(9.0));
  f.Says("c1", "agent", 10'000);
  CHECK(f.Win("b", "15m").reply_ms == 9'000);
  CHECK(f.Win("a", "15m").replied == 0);
}

TEST_CASE("a contact.queued into another queue moves the awaiting reply like a transfer") {
  ChatFixture f;
  f.Enter("c1", "a", 0);
  f.Answered("c1", 500);
  f.Says("c1", "customer", 1'000);
  f.Enter("c1", "b", 2'000);
  CHECK(f.Awaiting("a") == 0);
  CHECK(f.Awaiting("b") == 1);
}

TEST_CASE("the contact ending closes its awaiting reply unreplied") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Answered("c1", 500);
  f.Says("c1", "customer", 1'000);
  f.On("ended", "c1", 2'000);
  CHECK(f.Awaiting("q") == 0);
  f.Says("c1", "agent", 3'000);  // ended, awaiting its wrap: nothing left to reply to
  CHECK(f.Win("q", "15m").replied == 0);
}

TEST_CASE("the contact abandoning closes its awaiting reply unreplied") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "customer", 1'000);
  f.On("abandoned", "c1", 2'000);
  CHECK(f.Awaiting("q") == 0);
  CHECK(f.Oldest("q") == 0.0);
  CHECK(f.Win("q", "15m").replied == 0);
}

TEST_CASE("the contact expiring closes its awaiting reply unreplied") {
  ChatFixture f("limits: {contact_ttl: 1m}");
  f.Enter("c1", "q", 0);
  f.Says("c1", "customer", 1'000);
  f.clock.Set(kT0 + 10 * 60'000);
  f.core.Tick(f.clock.NowMs());
  CHECK(f.core.models().contacts.contacts().size() == 0);
  CHECK(f.Awaiting("q") == 0);
  CHECK(f.Oldest("q") == 0.0);
}

TEST_CASE("a customer message on an ended contact awaiting its wrap opens nothing") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Answered("c1", 500);
  f.On("ended", "c1", 1'000);
  f.Says("c1", "customer", 2'000);
  CHECK(f.Awaiting("q") == 0);
}

TEST_CASE("a contact queued again after it ended starts a fresh conversation") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Answered("c1", 500);
  f.Says("c1", "agent", 1'000);  // first response of the first conversation
  f.On("ended", "c1", 2'000);    // kept until its wrap: same slot
  f.Enter("c1", "q", 10'000);
  f.Says("c1", "agent", 14'000);
  const ReplyTally t = f.Win("q", "15m");
  CHECK(t.first_responded == 2);
  CHECK(t.first_response_ms == 1'000 + 4'000);
}

TEST_CASE("a contact in a reused slot inherits nothing from the one before") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "customer", 1'000);
  f.Says("c1", "agent", 2'000);
  f.Says("c1", "customer", 3'000);
  f.On("abandoned", "c1", 4'000);  // freed
  f.Enter("c2", "q", 10'000);      // takes the freed slot
  f.Says("c2", "agent", 12'000);
  const ReplyTally t = f.Win("q", "15m");
  CHECK(t.replied == 1);  // c1's only
  CHECK(t.first_responded == 2);
  CHECK(t.first_response_ms == 2'000 + 2'000);
}

// ---- First response -------------------------------------------------------------------------

TEST_CASE("a contact's first agent message is its first response, timed from queueing") {
  ChatFixture f;
  f.Enter("c1", "q", 1'000);
  f.Answered("c1", 2'000);
  f.Says("c1", "agent", 6'000);
  const ReplyTally t = f.Win("q", "15m");
  CHECK(t.first_responded == 1);
  CHECK(t.first_response_ms == 5'000);
}

// The first queued ts is shared with the resolution model, which drops its part at the end.
TEST_CASE("a first agent message after the contact ended still times from its first queued ts") {
  ChatFixture f;
  f.Enter("c1", "q", 1'000);
  f.Answered("c1", 2'000);
  f.On("ended", "c1", 3'000);  // resolved; kept until its wrap
  f.Says("c1", "agent", 7'000);
  const ReplyTally t = f.Win("q", "15m");
  CHECK(t.first_responded == 1);
  CHECK(t.first_response_ms == 6'000);
}

TEST_CASE("later agent messages are not first responses") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "agent", 1'000);
  f.Says("c1", "customer", 2'000);
  f.Says("c1", "agent", 3'000);
  CHECK(f.Win("q", "15m").first_responded == 1);
}

TEST_CASE("the first response counts from the first queued ts across transfers") {
  ChatFixture f;
  f.Enter("c1", "a", 0);
  f.On("transferred", "c1", 4'000, R"(,"queue":"b")");
  f.Says("c1", "agent", 9'000);
  const ReplyTally t = f.Win("b", "15m");  // counted where the contact then is
  CHECK(t.first_responded == 1);
  CHECK(t.first_response_ms == 9'000);
  CHECK(f.Win("a", "15m").first_responded == 0);
}

TEST_CASE("durations that come out negative count as 0") {
  ChatFixture f;
  f.Enter("c1", "q", 5'000);
  f.Says("c1", "customer", 6'000);
  f.Says("c1", "agent", 4'000);  // before both the message and the queueing
  const ReplyTally t = f.Win("q", "15m");
  CHECK(t.replied == 1);
  CHECK(t.reply_ms == 0);
  CHECK(t.first_responded == 1);
  CHECK(t.first_response_ms == 0);
}

// ---- Windows and means ----------------------------------------------------------------------

TEST_CASE("replies and first responses count at their own event's ts in the windows") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "customer", 1'000);
  f.clock.Set(kT0 + 10 * 60'000);
  f.Says("c1", "agent", 10 * 60'000);
  f.clock.Set(kT0 + 16 * 60'000);  // the queueing and the message left 15m, the reply did not
  CHECK(f.Win("q", "15m").replied == 1);
  CHECK(f.Win("q", "15m").first_responded == 1);
  f.clock.Set(kT0 + 25 * 60'000);
  CHECK(f.Win("q", "15m").replied == 0);
  CHECK(f.Win("q", "1h").replied == 1);
  CHECK(f.Win("q", "today").first_responded == 1);
}

TEST_CASE("the mean reply and first response times are over the window's outcomes") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Enter("c2", "q", 0);
  f.Says("c1", "customer", 1'000);
  f.Says("c2", "customer", 1'000);
  f.Says("c1", "agent", 3'000);
  f.Says("c2", "agent", 7'000);
  CHECK(f.MeasureOf("reply_seconds", "q", 0).value == doctest::Approx(4.0));
  CHECK(f.MeasureOf("reply_seconds", "q", 0).contacts == 2);
  CHECK(f.MeasureOf("first_response_seconds", "q", 0).value == doctest::Approx(5.0));
}

TEST_CASE("the means are NaN when nothing was replied or first responded") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  const Reading r = f.MeasureOf("reply_seconds", "q", 0);
  CHECK(std::isnan(r.value));
  CHECK(r.contacts == 0);
  CHECK(std::isnan(f.MeasureOf("first_response_seconds", "q", 0).value));
  CHECK(f.Metrics().find(R"(floorwatch_queue_reply_seconds{queue="q",channel="chat",)"
                         R"(window="15m"} NaN)") != std::string::npos);
}

TEST_CASE("a window list that changes on reload restarts the windows") {
  ChatFixture f;
  f.Enter("c1", "q", 0);
  f.Says("c1", "agent", 1'000);
  f.core.Reconfigure(ConfigFrom("windows: [5m, today]"));
  CHECK(f.Win("q", "5m").first_responded == 0);
  CHECK(f.Win("q", "today").first_responded == 0);
}
