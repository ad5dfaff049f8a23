// The journal's bytes: frames round-trip every kind of record, a damaged frame applies
// nothing of itself and ends the journal, old (version 1) journals still apply, unknown
// versions are refused.
#include "floorwatch/state/journal_format.h"

#include <cstring>

#include "floorwatch/core/binary_io.h"
#include "support/core_fixture.h"
#include "support/event_script.h"
#include "support/render_all.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

const char* kConfig = "windows: [15m, 1h, today]\n";

// A journal of `frames` frames of `per_frame` scripted events (and a tick in each), fed to
// `live` as it is written. `ends` receives the byte where each frame ends.
std::string Journal(EventScript& script, Core& live, int frames, int per_frame,
                    std::vector<size_t>* ends = nullptr) {
  std::string out(kJournalMagicV2);
  JournalFrameWriter frame;
  for (int f = 0; f < frames; ++f) {
    for (int i = 0; i < per_frame; ++i) {
      const std::string payload = script.Next();
      live.OnPayload(payload, script.now_ms() + 20);
      frame.Payload(out, script.now_ms() + 20, payload);
    }
    live.Tick(script.now_ms() + 30);
    frame.Tick(out, script.now_ms() + 30);
    REQUIRE(frame.Seal(out));
    if (ends) ends->push_back(out.size());
  }
  return out;
}

}  // namespace

TEST_CASE("frames round-trip payloads, malformed messages, ticks and replay counters") {
  Core live(ConfigFrom(kConfig));
  EventScript script(1, kT0);
  std::string bytes = Journal(script, live, 3, 40);
  JournalFrameWriter frame;
  live.OnMalformedMessage(RejectReason::kFrames, kT0 + 99'000);
  frame.Malformed(bytes, kT0 + 99'000, RejectReason::kFrames);
  ReplayCounters counters;
  counters.requests = 3;
  counters.delivered = 17;
  live.RestoreReplayCounters(counters);
  frame.Counters(bytes, kT0 + 98'000, counters);  // `now` may step back (a wall clock)
  REQUIRE(frame.Seal(bytes));

  Core restored(ConfigFrom(kConfig));
  const JournalReadResult read = ApplyJournal(bytes, restored);
  CHECK(read.version == 2);
  CHECK(read.records == 3 * 41 + 2);
  CHECK(read.good_bytes == bytes.size());
  CHECK(RenderAll(restored, kT0 + 200'000) == RenderAll(live, kT0 + 200'000));
}

TEST_CASE("a frame without records seals to nothing") {
  std::string bytes = "x";
  JournalFrameWriter frame;
  frame.Begin(bytes);
  CHECK_FALSE(frame.Seal(bytes));
  CHECK(bytes == "x");
}

TEST_CASE("a journal cut anywhere in its last frame applies exactly the frames before it") {
  Core live(ConfigFrom(kConfig));
  EventScript script(2, kT0);
  std::vector<size_t> ends;
  const std::string bytes = Journal(script, live, 2, 30, &ends);
  Core first_frame(ConfigFrom(kConfig));
  REQUIRE(ApplyJournal(std::string_view(bytes).substr(0, ends[0]), first_frame).records == 31);
  const std::string expected = RenderAll(first_frame, kT0 + 100'000);
  for (size_t cut = ends[0]; cut < bytes.size(); cut += 7) {
    CAPTURE(cut);
    Core restored(ConfigFrom(kConfig));
    const JournalReadResult read = ApplyJournal(std::string_view(bytes).substr(0, cut), restored);
    CHECK(read.records == 31);
    CHECK(read.good_bytes == ends[0]);
    CHECK(RenderAll(restored, kT0 + 100'000) == expected);
  }
}

TEST_CASE("a flipped byte in a frame applies nothing of that frame and ends the journal") {
  Core live(ConfigFrom(kConfig));
  EventScript script(3, kT0);
  std::vector<size_t> ends;
  std::string bytes = Journal(script, live, 3, 30, &ends);
  bytes[ends[0] + 40] ^= 0x01;  // inside the second frame's body
  Core restored(ConfigFrom(kConfig));
  const JournalReadResult read = ApplyJournal(bytes, restored);
  CHECK(read.records == 31);
  CHECK(read.good_bytes == ends[0]);
}

TEST_CASE("a version 1 journal (per-record CRC-32C) still applies") {
  std::string bytes(kJournalMagicV1);
  auto record = [&](uint8_t kind, int64_t now, std::string_view tail) {
    std::string body;
    BinaryWriter w(body);
    w.U8(kind);
    w.I64(now);
    w.Bytes(tail);
    BinaryWriter out(bytes);
    out.U32(static_cast<uint32_t>(body.size()));
    out.U32(Crc32c(body));
    out.Bytes(body);
  };
  const std::string login =
      R"({"type":"agent.login","ts":1795428000000,"agent":"a1","queues":["q"]})";
  record(0, kT0, login);
  record(2, kT0 + 1000, "");
  Core restored(ConfigFrom(kConfig));
  const JournalReadResult read = ApplyJournal(bytes, restored);
  CHECK(read.version == 1);
  CHECK(read.records == 2);
  CHECK(read.good_bytes == bytes.size());
  CHECK(restored.stats().applied == 1);
}

TEST_CASE("an unknown journal version is refused with its number; other bytes are no journal") {
  Core core(ConfigFrom(kConfig));
  const JournalReadResult newer = ApplyJournal("FWJRNL7\nwhatever", core);
  CHECK(newer.version == -1);
  CHECK(newer.error.find("version 7") != std::string::npos);
  const JournalReadResult other = ApplyJournal("hello world", core);
  CHECK(other.version == 0);
  CHECK(core.stats().received == 0);
}
