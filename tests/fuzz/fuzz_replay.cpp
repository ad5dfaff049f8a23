// libFuzzer target: replay messages and the state they lead to. Each input line is one step,
// steered by its first byte:
//   L<payload>  a live event (alternately OnPayload and Stage/Flush)
//   R<frame>    a frame on a replay connection: replay.end / replay.truncated (parsed by
//               ParseReplayControl) or an event
//   T           the replay time-out: every replaying source ends
//   +           the clock moves 7 s
// The core asks for a replay at every gap. After every step the invariants hold (received =
// outcomes + held); at the end the journal (the input log, encoded in the journal's own
// format, journal_format.h, one frame per tick as the core loop frames batches) applied to a
// fresh core and a snapshot loaded into another must both render exactly what the fuzzed
// core renders (the journal also carries the replay counters after every step, as the core
// loop writes them); the journal cut inside its last frame applies exactly the frames before.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "../unit/support/render_all.h"
#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/core.h"
#include "floorwatch/core/replay_message.h"
#include "floorwatch/core/snapshot.h"
#include "floorwatch/state/journal_format.h"
#include "fuzz_config.h"

namespace {

using floorwatch::Core;

const floorwatch::Config& FuzzConfig() {
  static const floorwatch::Config config = floorwatch::fuzz::SmallConfig();
  return config;
}

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_replay: %s\n", what);
  std::abort();
}

void CheckCounts(const Core& core) {
  const auto& s = core.stats();
  uint64_t outcomes = s.applied + s.duplicate + core.replay_stats().held;
  for (auto n : s.rejected) outcomes += n;
  for (auto n : s.ignored) outcomes += n;
  if (s.received != outcomes) Fail("received != outcomes + held");
}

struct LogEntry {
  int64_t now;
  std::string payload;
  std::optional<floorwatch::RejectReason> malformed;
  bool tick;
  std::optional<floorwatch::ReplayCounters> replay_counters;  // as the core loop journals them
};

// One step of the fuzz input: '+' ticks 7 s on, 'L' a live payload, 'R' a replay frame,
// 'T' the replay time-out of every source replaying.
void Step(Core& core, std::vector<LogEntry>& journal, char op, std::string_view line, size_t step,
          int64_t& now) {
  if (op == '+') {
    now += 7000;
    core.Tick(now);
    journal.push_back({now, {}, std::nullopt, true, std::nullopt});
  } else if (op == 'L') {
    if (step % 2) {
      core.OnPayload(line, now);
    } else {
      core.Stage(line, now);
      core.Flush();
    }
  } else if (op == 'R') {
    const floorwatch::ReplayControl c = floorwatch::ParseReplayControl(line);
    using Kind = floorwatch::ReplayControl::Kind;
    if (c.kind == Kind::kEnd) {
      core.EndReplay(c.source, now);
    } else if (c.kind == Kind::kTruncated) {
      core.CountReplayTruncated();
    } else if (c.kind == Kind::kNotControl) {
      core.OnReplayPayload(line, now);
    }
  } else if (op == 'T') {
    for (const std::string& source : core.ReplayingSources()) core.EndReplay(source, now);
  }
  if (op == 'R' || op == 'T' || op == 'L') {
    journal.push_back({now, {}, std::nullopt, false, core.replay_stats()});
  }
}

// The journal's bytes as the state store writes them: a frame ends at every tick.
std::string Encode(const std::vector<LogEntry>& journal, size_t* last_frame_start) {
  std::string bytes(floorwatch::kJournalMagicV2);
  floorwatch::JournalFrameWriter frame;
  *last_frame_start = bytes.size();
  for (const LogEntry& e : journal) {
    if (e.replay_counters) {
      frame.Counters(bytes, e.now, *e.replay_counters);
    } else if (e.tick) {
      frame.Tick(bytes, e.now);
      const size_t start = bytes.size();
      if (frame.Seal(bytes)) *last_frame_start = start;
    } else if (e.malformed) {
      frame.Malformed(bytes, e.now, *e.malformed);
    } else {
      frame.Payload(bytes, e.now, e.payload);
    }
  }
  const size_t start = bytes.size();
  if (frame.Seal(bytes)) *last_frame_start = start;
  return bytes;
}

// A fresh core fed the journal, as a restart without a snapshot would; and the journal cut
// inside its last frame must apply exactly the frames before it.
std::string RenderFromJournal(const std::vector<LogEntry>& journal, int64_t at) {
  size_t last_frame_start = 0;
  const std::string bytes = Encode(journal, &last_frame_start);
  Core from_journal(FuzzConfig());
  const floorwatch::JournalReadResult read = floorwatch::ApplyJournal(bytes, from_journal);
  if (read.version != 2 || read.good_bytes != bytes.size()) Fail("own journal not read whole");
  if (last_frame_start < bytes.size()) {
    Core torn(FuzzConfig());
    const size_t cut = last_frame_start + (bytes.size() - last_frame_start) / 2;
    if (floorwatch::ApplyJournal(std::string_view(bytes).substr(0, cut), torn).good_bytes !=
        last_frame_start) {
      Fail("a torn last frame was not cut at its start");
    }
  }
  return floorwatch::testing::RenderAll(from_journal, at);
}

std::string RenderFromSnapshot(const Core& core, int64_t at) {
  std::string bytes;
  floorwatch::SaveSnapshot(core, {}, bytes);
  Core from_snapshot(FuzzConfig());
  floorwatch::SnapshotMeta meta;
  std::string error;
  if (floorwatch::LoadSnapshot(bytes, from_snapshot, &meta, &error) !=
      floorwatch::SnapshotLoad::kOk) {
    Fail("own snapshot refused");
  }
  return floorwatch::testing::RenderAll(from_snapshot, at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Core core(FuzzConfig());
  std::vector<LogEntry> journal;
  core.set_input_log(
      [&](int64_t now, std::string_view p, std::optional<floorwatch::RejectReason> m) {
        journal.push_back({now, std::string(p), m, false, std::nullopt});
      });
  core.set_gap_handler([](std::string_view, uint64_t) { return true; });
  int64_t now = 1795428000000;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t steps = 0;
  while (!input.empty() && steps++ < 256) {
    const size_t end = std::min(input.find('\n'), input.size());
    std::string_view line = input.substr(0, end);
    input.remove_prefix(std::min(end + 1, input.size()));
    if (line.empty()) continue;
    Step(core, journal, line[0], line.substr(1), steps, now);
    CheckCounts(core);
  }
  // Held events are not durable (their source resends them): release them first so the
  // journal and the snapshot cover the whole state.
  for (const std::string& source : core.ReplayingSources()) core.EndReplay(source, now);
  journal.push_back({now, {}, std::nullopt, false, core.replay_stats()});
  CheckCounts(core);
  const std::string expected = floorwatch::testing::RenderAll(core, now + 1000);
  if (RenderFromJournal(journal, now + 1000) != expected)
    Fail("the journal does not reproduce the state");
  if (RenderFromSnapshot(core, now + 1000) != expected)
    Fail("the snapshot does not reproduce the state");
  return 0;
}
