// A core with something in every family of /metrics: queues with labels and three channels,
// teams with labels, agents in every state, contacts through their whole lifecycle
// (answered, abandoned, transferred, escalated, messaged, surveyed, evaluated), a forgotten
// customer, and a sprinkling of duplicates and bad payloads. Deterministic: the render tests
// compare its exposition with a text rendered from the same events by an earlier build
// (tests/unit/render/fixtures/populated_metrics.txt; make_populated_fixture.md says how).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/core.h"
#include "floorwatch/render/metrics_text.h"
#include "support/event_script.h"

namespace floorwatch::testing {

inline constexpr int64_t kPopulatedStart = 1795428000000;  // 2026-11-23T10:00:00Z

inline std::unique_ptr<Core> PopulatedCore(int64_t* now_out) {
  ConfigResult config = LoadConfigFromString(R"(
queues:
  - {id: q0, labels: {site: "berlin \"west\"", tier: gold}, channels: {voice: {}, chat: {service_level: {threshold_seconds: 60}}}}
  - {id: q1, channels: {voice: {}, chat: {}, email: {}}}
teams:
  - {id: t1, labels: {vendor: vendor-a, market: de}}
  - {id: t2, labels: {vendor: inhouse, market: fr}}
limits: {max_customers: 20}
)");
  if (auto* e = std::get_if<ConfigError>(&config)) throw std::runtime_error(e->message);
  auto core = std::make_unique<Core>(std::get<Config>(config));
  EventScript script(7, kPopulatedStart);
  for (int i = 0; i < 3000; ++i) core->OnPayload(script.Next(), script.now_ms());
  int64_t t = script.now_ms();
  auto feed = [&](const std::string& body) {
    t += 700;
    core->OnPayload("{" + body + ",\"ts\":" + std::to_string(t) + "}", t);
  };
  feed(R"("type":"agent.login","agent":"x1","queues":["q0","q1"],"team":"t2")");
  for (int c = 0; c < 40; ++c) {
    const std::string id = "o" + std::to_string(c);
    const std::string contact = R"("contact":")" + id + "\"";
    const char* channel = c % 3 == 0 ? "voice" : c % 3 == 1 ? "chat" : "email";
    feed(R"("type":"contact.queued",)" + contact + R"(,"queue":"q)" + std::to_string(c % 2) +
         R"(","channel":")" + channel + R"(","customer":"k)" + std::to_string(c % 25) + "\"");
    if (c % 5 == 4) {
      feed(R"("type":"contact.abandoned",)" + contact + R"(,"reason":"timeout")");
      continue;
    }
    feed(R"("type":"contact.answered",)" + contact + R"(,"agent":"x1")");
    if (c % 4 == 0) feed(R"("type":"contact.escalated",)" + contact + R"(,"reason":"billing")");
    if (c % 3 == 1) {
      feed(R"("type":"contact.message",)" + contact + R"(,"from":"customer")");
      if (c % 2) feed(R"("type":"contact.message",)" + contact + R"(,"from":"agent")");
    }
    if (c % 6 == 0) continue;  // still connected
    feed(R"("type":"contact.ended",)" + contact);
    feed(R"("type":"contact.wrapped",)" + contact + R"(,"agent":"x1")");
    feed(R"("type":"contact.survey",)" + contact + R"(,"csat":)" + std::to_string(1 + c % 5) +
         R"(,"nps":)" + std::to_string(c % 11) + R"(,"resolved":)" + (c % 2 ? "true" : "false"));
    feed(R"("type":"contact.evaluated",)" + contact + R"(,"score":)" + std::to_string(50 + c));
  }
  feed(R"("type":"contact.survey","contact":"nobody","csat":9)");  // rejected
  *now_out = t + 5000;
  core->Tick(*now_out);
  return core;
}

// The daemon's own figures, every optional part present.
inline DaemonInfo PopulatedDaemonInfo() {
  DaemonInfo info;
  info.version = "test";
  info.config_reload_timestamp_seconds = 1795428000.5;
  info.last_render_seconds = 0.0125;
  info.has_process = true;
  info.cpu_seconds = 12.25;
  info.resident_bytes = 1e8;
  info.virtual_bytes = 2e8;
  info.open_fds = 12;
  info.max_fds = 1024;
  info.start_time_seconds = 1795427000;
  info.alerts_firing = {{"LongWait", "page", 2}, {"LongWait", "ticket", 0}};
  info.notifications = {{"alertmanager", "success", 3}, {"webhook", "error", 1}};
  StateStoreStats st;
  st.journal_records = 5;
  st.snapshot_bytes = 4096;
  st.last_snapshot_seconds = 1795428000.25;
  st.restore_seconds = 0.5;
  info.state = st;
  return info;
}

}  // namespace floorwatch::testing
