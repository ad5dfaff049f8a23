#include "floorwatch/core/queue_directory.h"

#include <doctest/doctest.h>

#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("configured queues exist from the start with their configured channels") {
  const Config config = ConfigFrom(R"(
queues:
  - id: sales
  - id: web
    channels: {chat: {}, email: {}}
)");
  QueueDirectory directory(config);
  directory.Reconfigure();
  CHECK(directory.size() == 3);
  CHECK(directory.Find("sales", Channel::kVoice) != kNoSlot);
  CHECK(directory.Find("web", Channel::kVoice) == kNoSlot);
  CHECK(directory.Find("web", Channel::kChat) != kNoSlot);
}

TEST_CASE("settings resolve defaults < queue < channel") {
  const Config config = ConfigFrom(R"(
defaults: {service_level: {threshold_seconds: 20, target: 0.8}, short_abandon_seconds: 5}
queues:
  - id: web
    service_level: {threshold_seconds: 30}
    channels: {chat: {service_level: {target: 0.9}, short_abandon_seconds: 2}}
)");
  QueueDirectory directory(config);
  directory.Reconfigure();
  const ChannelSettings& chat = directory[directory.Find("web", Channel::kChat)].settings;
  CHECK(chat.sl_threshold_ms == 30'000);
  CHECK(chat.sl_target == 0.9);
  CHECK(chat.short_abandon_ms == 2000);
}

TEST_CASE("labels are rendered once per queue/channel, escaped") {
  const Config config = ConfigFrom("");
  QueueDirectory directory(config);
  RejectReason why;
  const uint32_t q = directory.FindOrCreateQueue("a\"b", &why);
  const uint32_t qc = directory.QueueChannelOf(q, Channel::kChat);
  CHECK(directory.labels()[qc] == R"(queue="a\"b",channel="chat")");
  CHECK(directory.queue_label(q) == R"(queue="a\"b")");
}

TEST_CASE("each new queue/channel is announced once, after it exists") {
  const Config config = ConfigFrom("");
  QueueDirectory directory(config);
  std::vector<uint32_t> announced;
  directory.set_added_handler([&](uint32_t qc) {
    CHECK(qc < directory.size());
    announced.push_back(qc);
  });
  RejectReason why;
  const uint32_t q = directory.FindOrCreateQueue("q", &why);
  directory.QueueChannelOf(q, Channel::kVoice);
  directory.QueueChannelOf(q, Channel::kVoice);
  directory.QueueChannelOf(q, Channel::kEmail);
  CHECK(announced == std::vector<uint32_t>{0, 1});
}

TEST_CASE("unknown_queues: reject refuses a queue the config does not name") {
  const Config config = ConfigFrom("unknown_queues: reject\nqueues: [{id: known}]");
  QueueDirectory directory(config);
  RejectReason why = RejectReason::kParse;
  CHECK(directory.FindOrCreateQueue("other", &why) == kNoSlot);
  CHECK(why == RejectReason::kUnknownQueue);
  CHECK(directory.FindOrCreateQueue("known", &why) != kNoSlot);
}

TEST_CASE("unknown_queues: reject accepts a queue a pattern entry matches") {
  const Config config = ConfigFrom("unknown_queues: reject\nqueues: [{id: \"sales-*\"}]");
  QueueDirectory directory(config);
  RejectReason why = RejectReason::kParse;
  CHECK(directory.FindOrCreateQueue("sales-de", &why) != kNoSlot);
  CHECK(directory.FindOrCreateQueue("support-en", &why) == kNoSlot);
  CHECK(why == RejectReason::kUnknownQueue);
}

TEST_CASE("a pattern entry creates no queue at start-up") {
  const Config config = ConfigFrom("queues: [{id: \"sales-*\"}, {id: web}]");
  QueueDirectory directory(config);
  directory.Reconfigure();
  CHECK(directory.size() == 1);
  CHECK(directory.Find("web", Channel::kVoice) != kNoSlot);
}

TEST_CASE("a queue takes its exact entry's settings before any pattern's") {
  const Config config = ConfigFrom(R"(
queues:
  - {id: "sales-*", service_level: {threshold_seconds: 40}}
  - {id: sales-vip, service_level: {threshold_seconds: 10}}
  - {id: "sales-?e", service_level: {threshold_seconds: 99}}
)");
  QueueDirectory directory(config);
  RejectReason why;
  const uint32_t vip =
      directory.QueueChannelOf(directory.FindOrCreateQueue("sales-vip", &why), Channel::kVoice);
  const uint32_t de =
      directory.QueueChannelOf(directory.FindOrCreateQueue("sales-de", &why), Channel::kVoice);
  CHECK(directory[vip].settings.sl_threshold_ms == 10'000);
  CHECK(directory[de].settings.sl_threshold_ms == 40'000);  // the first pattern
}
