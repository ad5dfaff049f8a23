// libFuzzer target: the input is a sequence of payloads, one per line, applied to a Core
// with small limits while a fake clock advances; after every step the core's invariants
// must hold, and the renderers must run.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/core.h"
#include "floorwatch/core/exposition.h"
#include "fuzz_config.h"

namespace {

const floorwatch::Config& FuzzConfig() {
  static const floorwatch::Config config =
      floorwatch::fuzz::SmallConfig("queues: [{id: q, timezone: Europe/Berlin}]\n");
  return config;
}

void CheckInvariants(const floorwatch::Core& core) {
  const auto& s = core.stats();
  uint64_t rejected = 0, ignored = 0;
  for (auto n : s.rejected) rejected += n;
  for (auto n : s.ignored) ignored += n;
  if (s.received != s.applied + s.duplicate + rejected + ignored + core.replay_stats().held) {
    std::abort();
  }
  std::vector<int64_t> waiting(core.directory().queue_channels().size()),
      active(core.directory().queue_channels().size());
  core.models().contacts.contacts().ForEach([&](uint32_t, const floorwatch::Contact& c) {
    if (c.state == floorwatch::ContactState::kWaiting) ++waiting[c.queue_channel];
    if (c.state == floorwatch::ContactState::kConnected) ++active[c.queue_channel];
  });
  for (size_t i = 0; i < core.directory().queue_channels().size(); ++i) {
    const auto& contacts = core.models().contacts;
    const uint32_t qc = static_cast<uint32_t>(i);
    if (contacts.waiting(qc) != waiting[i] || contacts.active(qc) != active[i]) std::abort();
    if (contacts.waiting(qc) > 0 &&
        !core.models().contacts.OldestQueuedMs(static_cast<uint32_t>(i)))
      std::abort();
  }
  if (core.models().contacts.contacts().size() > 16 || core.directory().queues().size() > 8 ||
      core.models().agents.agents().size() > 8)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  floorwatch::Core core(FuzzConfig());
  int64_t now = 1795428000000;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t steps = 0;
  while (!input.empty() && steps++ < 256) {
    const size_t end = std::min(input.find('\n'), input.size());
    const std::string_view payload = input.substr(0, end);
    input.remove_prefix(std::min(end + 1, input.size()));
    // The first byte of a line steers the clock: lines starting with '+' move it 7 s.
    if (!payload.empty() && payload[0] == '+') now += 7000;
    if (steps % 2) {
      core.OnPayload(payload, now);
    } else {
      core.Stage(payload, now);
    }
    core.Flush();
    CheckInvariants(core);
  }
  core.Tick(now + 3'600'000);
  CheckInvariants(core);
  std::string out;
  floorwatch::MetricWriter writer(out);
  core.RenderMetrics(writer, now);
  core.RenderQueuesJson(out, now);
  core.RenderTeamsJson(out, now);
  core.RenderEscalationsJson(out, now);
  return 0;
}
