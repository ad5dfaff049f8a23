// The replies model's figures as shown outside (/metrics, /api/v1/queues, alert measures),
// refused events, the bound on its heaps, and its snapshot section.
#include <cmath>

#include "core/models/replies_model_fixture.h"
#include "floorwatch/core/snapshot.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// c1 replied to in 4 s, c2 awaiting since 20 s, c3 moved a -> b awaiting since 30 s.
void Conversations(ChatFixture& f) {
  f.clock.Set(kT0 + 60'000);
  f.Enter("c1", "a", 0);
  f.Says("c1", "customer", 1'000);
  f.Says("c1", "agent", 5'000);
  f.Enter("c2", "a", 10'000);
  f.Answered("c2", 12'000);
  f.Says("c2", "customer", 20'000);
  f.Enter("c3", "a", 25'000);
  f.Says("c3", "customer", 30'000);
  f.On("transferred", "c3", 40'000, R"(,"queue":"b")");
}

}  // namespace

TEST_CASE("the instant gauges are rendered per queue and channel") {
  ChatFixture f;
  Conversations(f);
  const std::string m = f.Metrics();
  CHECK(Has(m, "# TYPE floorwatch_queue_awaiting_reply_contacts gauge"));
  CHECK(Has(m, R"(floorwatch_queue_awaiting_reply_contacts{queue="a",channel="chat"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_awaiting_reply_contacts{queue="b",channel="chat"} 1)"));
  CHECK(Has(m, "# TYPE floorwatch_queue_oldest_awaiting_reply_seconds gauge"));
  CHECK(Has(m, R"(floorwatch_queue_oldest_awaiting_reply_seconds{queue="a",channel="chat"} 40)"));
  CHECK(Has(m, R"(floorwatch_queue_oldest_awaiting_reply_seconds{queue="b",channel="chat"} 30)"));
}

TEST_CASE("the means are rendered per queue, channel and window") {
  ChatFixture f;
  Conversations(f);
  const std::string m = f.Metrics();
  CHECK(Has(m, "# TYPE floorwatch_queue_reply_seconds gauge"));
  CHECK(Has(m, R"(floorwatch_queue_reply_seconds{queue="a",channel="chat",window="1h"} 4)"));
  CHECK(Has(m, "# TYPE floorwatch_queue_first_response_seconds gauge"));
  CHECK(Has(m, R"(floorwatch_queue_first_response_seconds{queue="a",channel="chat",)"
               R"(window="today"} 5)"));
  CHECK(Has(m, R"(floorwatch_queue_first_response_seconds{queue="b",channel="chat",)"
               R"(window="15m"} NaN)"));
}

TEST_CASE("replied and first_responded are outcomes of floorwatch_queue_window_contacts") {
  ChatFixture f;
  Conversations(f);
  const std::string m = f.Metrics();
  CHECK(Has(m, R"(floorwatch_queue_window_contacts{queue="a",channel="chat",window="15m",)"
               R"(outcome="replied"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_window_contacts{queue="a",channel="chat",window="15m",)"
               R"(outcome="first_responded"} 1)"));
  CHECK(Has(m, R"(floorwatch_queue_window_contacts{queue="b",channel="chat",window="15m",)"
               R"(outcome="replied"} 0)"));
}

TEST_CASE("the queues API shows the gauges and each window's means") {
  ChatFixture f;
  Conversations(f);
  std::string json;
  f.core.Tick(f.clock.NowMs());
  f.core.RenderQueuesJson(json, f.clock.NowMs());
  CHECK(Has(json, R"("awaiting_reply_contacts":1)"));
  CHECK(Has(json, R"("oldest_awaiting_reply_seconds":40)"));
  CHECK(Has(json, R"("reply_seconds":4)"));
  CHECK(Has(json, R"("first_response_seconds":5)"));
  CHECK(Has(json, R"("reply_seconds":null)"));  // queue b: nothing replied
  CHECK(Has(json, R"("replied":1)"));
  CHECK(Has(json, R"("first_responded":1)"));
}

TEST_CASE("every figure is an alert measure") {
  ChatFixture f;
  Conversations(f);
  const Reading awaiting = f.MeasureOf("awaiting_reply_contacts", "a", 0);
  CHECK(awaiting.value == 1);
  CHECK(awaiting.contacts == 1);
  CHECK(f.MeasureOf("oldest_awaiting_reply_seconds", "b", 0).value == doctest::Approx(30.0));
  CHECK(f.MeasureOf("reply_seconds", "a", 1).value == doctest::Approx(4.0));
  const Reading first = f.MeasureOf("first_response_seconds", "a", 2);
  CHECK(first.value == doctest::Approx(5.0));
  CHECK(first.contacts == 1);
  for (const char* name : {"awaiting_reply_contacts", "oldest_awaiting_reply_seconds",
                           "reply_seconds", "first_response_seconds"}) {
    const MeasureDef* def = FindMeasureDef(name);
    REQUIRE(def != nullptr);
    CHECK(def->windowed == (std::string(name).find("awaiting") == std::string::npos));
  }
}

TEST_CASE("a refused or ignored event changes none of the replies figures") {
  ChatFixture f("unknown_queues: reject\nqueues: [{id: a}]");
  f.Enter("c1", "a", 0);
  f.Says("c1", "customer", 1'000);
  const std::string before = f.RepliesFigures();
  CHECK(f.Says("ghost", "customer", 2'000).outcome == Outcome::kRejected);  // unknown contact
  CHECK(f.Says("ghost", "agent", 2'000).outcome == Outcome::kRejected);
  CHECK(f.On("transferred", "c1", 3'000, R"(,"queue":"nope")").outcome == Outcome::kRejected);
  CHECK(f.Enter("c1", "a", 4'000).outcome == Outcome::kIgnored);   // already waiting there
  CHECK(f.On("ended", "c1", 5'000).outcome == Outcome::kIgnored);  // not connected
  CHECK(f.RepliesFigures() == before);
  f.Says("c1", "agent", 6'000);  // its conversation was not restarted by the ignored queueing
  CHECK(f.Win("a", "15m").first_response_ms == 6'000);
}

TEST_CASE("a heap of awaiting replies stays bounded as they open and close") {
  ChatFixture f;
  f.Enter("keep", "q", 0);
  f.Says("keep", "customer", 0);  // stays open at the top
  for (int i = 0; i < 2'000; ++i) {
    const std::string id = "c" + std::to_string(i);
    f.Enter(id, "q", 1'000 + i);
    f.Says(id, "customer", 1'000 + i);
    if (i % 3 != 0) f.Says(id, "agent", 1'001 + i);  // a third stays open
  }
  const uint32_t qc = f.QcIndex("q", ChatFixture::kChat);
  const int64_t open = f.Awaiting("q");
  CHECK(open == 1 + 667);
  CHECK(f.replies().heap_size(qc) <= static_cast<size_t>(2 * open + 1));
}

TEST_CASE("a core restored from a snapshot renders exactly what the saved one did") {
  ChatFixture f;
  Conversations(f);
  f.Enter("c4", "a", 41'000);  // queued, not yet responded
  std::string bytes;
  SaveSnapshot(f.core, {}, bytes);
  Core restored(ConfigFrom(""));
  SnapshotMeta meta;
  std::string error;
  REQUIRE(LoadSnapshot(bytes, restored, &meta, &error, nullptr) == SnapshotLoad::kOk);
  const int64_t now = f.clock.NowMs();
  CHECK(RenderAll(restored, now) == RenderAll(f.core, now));
  CHECK(restored.models().replies.awaiting(f.QcIndex("a", ChatFixture::kChat)) == 1);
  // And it continues the same: replies to the restored awaiting replies, a first response.
  for (const std::string& e :
       {std::string(R"({"type":"contact.message","ts":)") + std::to_string(kT0 + 50'000) +
            R"(,"contact":"c2","from":"agent"})",
        std::string(R"({"type":"contact.message","ts":)") + std::to_string(kT0 + 51'000) +
            R"(,"contact":"c3","from":"agent"})",
        std::string(R"({"type":"contact.message","ts":)") + std::to_string(kT0 + 52'000) +
            R"(,"contact":"c4","from":"agent"})"}) {
    f.core.OnPayload(e, now);
    restored.OnPayload(e, now);
  }
  CHECK(RenderAll(restored, now + 1'000) == RenderAll(f.core, now + 1'000));
  CHECK(f.Win("b", "15m").reply_ms == 21'000);
  CHECK(f.Win("a", "15m").first_responded == 3);
}

TEST_CASE("contacts restored from a snapshot older than the model count no first response") {
  ChatFixture f;
  f.Enter("c1", "a", 0);
  std::string bytes;
  SaveSnapshot(f.core, {}, bytes);
  // Cut the "replies" section out (snapshot.h: str name, u32 version, u64 length, bytes),
  // then fix the section count (after magic, version, generation, written ms) and the CRC.
  const size_t at = bytes.find(std::string("\x07\0\0\0replies", 11));
  REQUIRE(at != std::string::npos);
  BinaryReader length(std::string_view(bytes).substr(at + 11 + 4, 8));
  bytes.erase(at, 11 + 4 + 8 + length.U64());
  bytes.resize(bytes.size() - 4);
  BinaryReader count(std::string_view(bytes).substr(26, 4));
  const uint32_t sections = count.U32() - 1;
  bytes.replace(26, 4, reinterpret_cast<const char*>(&sections), 4);
  BinaryWriter(bytes).U32(Crc32c(bytes));
  Core restored(ConfigFrom(""));
  SnapshotMeta meta;
  std::string error;
  std::vector<std::string> notes;
  REQUIRE(LoadSnapshot(bytes, restored, &meta, &error, &notes) == SnapshotLoad::kOk);
  REQUIRE(notes.size() == 1);
  const std::string reply = R"({"type":"contact.message","ts":)" + std::to_string(kT0 + 9'000) +
                            R"(,"contact":"c1","from":"agent"})";
  REQUIRE(restored.OnPayload(reply, f.clock.NowMs()).outcome == Outcome::kApplied);
  restored.Tick(f.clock.NowMs());
  // No first queued ts to time it from: counted as responded, not as a first response.
  const uint32_t qc = restored.directory().Find("a", ChatFixture::kChat);
  CHECK(restored.models().replies.WindowTally(qc, 0).first_responded == 0);
}
