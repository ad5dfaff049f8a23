// Shared helpers for the core tests: a Core built from YAML text, fed JSON events at the
// time of a fake clock, with accessors for the figures the tests check.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/clock.h"
#include "floorwatch/core/core.h"
#include "floorwatch/core/figures.h"
#include "floorwatch/core/snapshot.h"

namespace floorwatch::testing {

// 2026-11-23T10:00:00Z
inline constexpr int64_t kT0 = 1795428000000;

inline Config ConfigFrom(const std::string& yaml) {
  ConfigResult r = LoadConfigFromString(yaml);
  if (auto* e = std::get_if<ConfigError>(&r)) FAIL("bad test config: " << e->message);
  return std::get<Config>(r);
}

// Saves `from` in a snapshot and loads it into `into` (a core built for the restart), which
// must succeed: the round trip the models' "survives a snapshot" tests start from.
inline void RestoreSnapshotOf(const Core& from, Core& into) {
  std::string bytes;
  SaveSnapshot(from, {}, bytes);
  SnapshotMeta meta;
  std::string error;
  REQUIRE_MESSAGE(LoadSnapshot(bytes, into, &meta, &error) == SnapshotLoad::kOk, error);
}

class CoreFixture {
 public:
  explicit CoreFixture(const std::string& yaml = "") : clock(kT0), core(ConfigFrom(yaml)) {}

  ApplyResult Feed(const std::string& json) { return core.OnPayload(json, clock.NowMs()); }

  // Event helpers; `at` is ms after kT0.
  ApplyResult Queued(const std::string& contact, const std::string& queue, int64_t at,
                     const std::string& extra = "") {
    return Feed(R"({"type":"contact.queued","ts":)" + std::to_string(kT0 + at) + R"(,"contact":")" +
                contact + R"(","queue":")" + queue + "\"" + extra + "}");
  }
  ApplyResult On(const std::string& type, const std::string& contact, int64_t at,
                 const std::string& extra = "") {
    return Feed(R"({"type":"contact.)" + type + R"(","ts":)" + std::to_string(kT0 + at) +
                R"(,"contact":")" + contact + "\"" + extra + "}");
  }
  ApplyResult Answered(const std::string& contact, int64_t at) {
    return On("answered", contact, at, R"(,"agent":"a1")");
  }
  ApplyResult Agent(const std::string& type, const std::string& agent,
                    const std::string& extra = "") {
    return Feed(R"({"type":"agent.)" + type + R"(","ts":)" + std::to_string(clock.NowMs()) +
                R"(,"agent":")" + agent + "\"" + extra + "}");
  }

  // One queue/channel's figures as the models hold them now.
  struct QcView {
    uint32_t index;
    int64_t waiting;
    int64_t active;
    int64_t transferred_out;
    Tally totals;
    ChannelSettings settings;
    std::vector<uint64_t> wait_buckets;
    int64_t wait_bucket_sum_ms;
  };
  uint32_t QcIndex(const std::string& queue, Channel channel = Channel::kVoice) {
    const uint32_t i = core.directory().Find(queue, channel);
    REQUIRE(i != kNoSlot);
    return i;
  }
  QcView Qc(const std::string& queue, Channel channel = Channel::kVoice) {
    const uint32_t i = QcIndex(queue, channel);
    const Models& m = core.models();
    return QcView{i,
                  m.contacts.waiting(i),
                  m.contacts.active(i),
                  m.service_level.TransferredOut(i),
                  m.service_level.Totals(i),
                  core.directory()[i].settings,
                  m.service_level.WaitBuckets(i),
                  m.service_level.WaitSumMs(i)};
  }
  // Window by label, after a Tick at the clock's time.
  Tally Window(const std::string& queue, const std::string& label, Channel ch = Channel::kVoice) {
    core.Tick(clock.NowMs());
    const auto& windows = core.config().windows;
    for (size_t i = 0; i < windows.size(); ++i) {
      if (windows[i].label == label)
        return core.models().service_level.WindowTally(QcIndex(queue, ch), i);
    }
    FAIL("no window " << label);
    return {};
  }
  WindowFigures Figures(const std::string& queue, const std::string& label) {
    return ComputeFigures(Window(queue, label), Qc(queue).settings.formula);
  }
  uint64_t Rejected(RejectReason r) const { return core.stats().rejected[static_cast<int>(r)]; }
  uint64_t Ignored(IgnoreReason r) const { return core.stats().ignored[static_cast<int>(r)]; }

  FakeClock clock;
  Core core;
};

}  // namespace floorwatch::testing
