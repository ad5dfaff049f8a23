// The `staffing:` keys: defaults, queue and channel overrides, and the bad values refused
// with their key and line (never clamped).
#include <doctest/doctest.h>

#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/queue_directory.h"
#include "support/config_text.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// The settings the directory resolves for `queue`/`channel` under `yaml`.
ChannelSettings SettingsOf(const std::string& yaml, const std::string& queue, Channel channel) {
  const Config c = Good(yaml);
  QueueDirectory directory(c);
  directory.Reconfigure();
  RejectReason why;
  const uint32_t q = directory.FindOrCreateQueue(queue, &why);
  return directory[directory.QueueChannelOf(q, channel)].settings;
}

}  // namespace

TEST_CASE("staffing has its documented defaults: 15m window, 85% occupancy, concurrency 1") {
  const Config c = Good("");
  CHECK(c.defaults.staffing.window_ms == 900'000);
  CHECK(c.defaults.staffing.max_occupancy == 0.85);
  CHECK(c.defaults.staffing.concurrency == 1);
  const ChannelSettings s = SettingsOf("", "q", Channel::kVoice);
  CHECK(s.staffing_window == 0);  // windows[0] is 15m
  CHECK(s.staffing_window_seconds == 900);
}

TEST_CASE("the documented example loads: defaults, then a channel's concurrency") {
  const std::string yaml = R"(
defaults:
  staffing:
    window: 15m
    max_occupancy: 0.85
    concurrency: 1
queues: [{id: web, channels: {chat: {staffing: {concurrency: 3}}}}]
)";
  CHECK(SettingsOf(yaml, "web", Channel::kChat).concurrency == 3);
  CHECK(SettingsOf(yaml, "web", Channel::kVoice).concurrency == 1);
  CHECK(SettingsOf(yaml, "other", Channel::kChat).concurrency == 1);
}

TEST_CASE("a queue overrides the defaults and its channel overrides the queue") {
  const std::string yaml = R"(
windows: [15m, 1h, today]
defaults: {staffing: {max_occupancy: 0.9}}
queues:
  - id: q
    staffing: {window: 1h, concurrency: 2}
    channels: {email: {staffing: {max_occupancy: 0.7}}, voice: {}}
)";
  const ChannelSettings voice = SettingsOf(yaml, "q", Channel::kVoice);
  CHECK(voice.staffing_window == 1);
  CHECK(voice.staffing_window_seconds == 3600);
  CHECK(voice.concurrency == 2);
  CHECK(voice.max_occupancy == 0.9);
  const ChannelSettings email = SettingsOf(yaml, "q", Channel::kEmail);
  CHECK(email.max_occupancy == 0.7);
  CHECK(email.concurrency == 2);
}

TEST_CASE("the window may be spelled as any duration equal to a configured one") {
  CHECK(SettingsOf("defaults: {staffing: {window: 900s}}", "q", Channel::kVoice).staffing_window ==
        0);
}

TEST_CASE("without 15m among the windows the default staffing window is the first rolling one") {
  const ChannelSettings s = SettingsOf("windows: [today, 30m, 1h]", "q", Channel::kVoice);
  CHECK(s.staffing_window == 1);
  CHECK(s.staffing_window_seconds == 1800);
}

TEST_CASE("without any rolling window there is no staffing window") {
  CHECK(SettingsOf("windows: [today]", "q", Channel::kVoice).staffing_window == kNoWindow);
}

TEST_CASE("a staffing window that is not a configured rolling window is refused") {
  const std::string e = ErrorOf("windows: [15m, 1h, today]\ndefaults: {staffing: {window: 30m}}");
  CHECK(e.find("defaults.staffing.window (line 2)") != std::string::npos);
  CHECK(e.find("configured rolling windows (15m, 1h)") != std::string::npos);
  CHECK(e.find("'30m'") != std::string::npos);
  CHECK(ErrorOf("defaults: {staffing: {window: today}}").find("defaults.staffing.window") !=
        std::string::npos);
  CHECK(ErrorOf("defaults: {staffing: {window: soon}}").find("defaults.staffing.window") !=
        std::string::npos);
  CHECK(ErrorOf("windows: [today]\nqueues: [{id: q, staffing: {window: 15m}}]")
            .find("none is configured") != std::string::npos);
}

TEST_CASE("max_occupancy must be in (0, 1]") {
  for (const char* bad : {"0", "-0.5", "1.01", "85", "high"}) {
    CAPTURE(bad);
    const std::string e =
        ErrorOf(std::string("queues:\n  - id: q\n    staffing: {max_occupancy: ") + bad + "}");
    CHECK(e.find("queues[0].staffing.max_occupancy (line 3)") != std::string::npos);
  }
  CHECK(ErrorOf("defaults: {staffing: {max_occupancy: 1}}").empty());
  CHECK(ErrorOf("defaults: {staffing: {max_occupancy: 0.01}}").empty());
}

TEST_CASE("concurrency must be an integer from 1 to 1000") {
  for (const char* bad : {"0", "-1", "1.5", "1001", "three"}) {
    CAPTURE(bad);
    const std::string e = ErrorOf(
        std::string("queues:\n  - id: q\n    channels:\n      chat: {staffing: {concurrency: ") +
        bad + "}}");
    CHECK(e.find("queues[0].channels.chat.staffing.concurrency (line 4)") != std::string::npos);
  }
  CHECK(ErrorOf("defaults: {staffing: {concurrency: 1000}}").empty());
}

TEST_CASE("an unknown staffing key is refused by name") {
  CHECK(ErrorOf("defaults: {staffing: {shrinkage: 0.3}}").find("defaults.staffing.shrinkage") !=
        std::string::npos);
}
