#include "floorwatch/config/config_loader.h"

#include <doctest/doctest.h>

#include "support/config_text.h"

using namespace floorwatch;

using namespace floorwatch::testing;

TEST_CASE("an empty file gives the documented defaults") {
  const Config c = Good("");
  CHECK(c.http.listen == "127.0.0.1:9464");
  REQUIRE(c.inputs.size() == 1);
  CHECK(c.inputs[0].endpoint == "tcp://127.0.0.1:5570");
  CHECK(c.inputs[0].socket == SocketKind::kSub);
  CHECK(c.inputs[0].mode == SocketMode::kConnect);
  CHECK(c.inputs[0].subscribe == std::vector<std::string>{""});
  CHECK(c.inputs[0].replay_timeout_ms == 5000);
  CHECK(c.state.dir.empty());
  CHECK(c.state.snapshot_interval_ms == 60'000);
  REQUIRE(c.windows.size() == 3);
  CHECK(c.windows[0].label == "15m");
  CHECK(c.windows[1].label == "1h");
  CHECK(c.windows[2].today);
  CHECK(c.defaults.timezone == "UTC");
  CHECK(c.defaults.short_abandon_seconds == 5);
  CHECK(c.defaults.service_level.threshold_seconds == 20);
  CHECK(c.defaults.service_level.target == doctest::Approx(0.8));
  CHECK(c.defaults.service_level.formula == SlFormula::kAnsweredPlusAbandoned);
  CHECK(c.unknown_queues == UnknownQueues::kAccept);
  CHECK(c.limits.max_queues == 2000);
  CHECK(c.limits.max_agents == 100'000);
  CHECK(c.limits.max_contacts == 1'000'000);
  CHECK(c.limits.max_event_bytes == 65536);
  CHECK(c.notify.alertmanager_resend_interval_ms == 60'000);
}

TEST_CASE("the full example of docs/config.md loads") {
  const Config c = Good(R"(
http:
  listen: "127.0.0.1:9464"
inputs:
  - endpoint: "tcp://127.0.0.1:5570"
    socket: sub
    mode: connect
    subscribe: [""]
    replay: "tcp://127.0.0.1:5572"
    replay_timeout: 5s
state:
  dir: /var/lib/floorwatch
  snapshot_interval: 60s
windows: [15m, 1h, today]
defaults:
  timezone: UTC
  short_abandon_seconds: 5
  service_level:
    threshold_seconds: 20
    target: 0.8
    formula: answered_plus_abandoned
unknown_queues: accept
queues:
  - id: sales-de
    labels: {site: berlin, market: de, team: retail}
    service_level: {threshold_seconds: 30}
    channels:
      chat: {service_level: {threshold_seconds: 60}}
    business_hours: {"mon-fri": "08:00-18:00", "sat": "10:00-14:00"}
    holidays: ["2026-12-24", "2026-12-25"]
limits:
  max_queues: 2000
  max_agents: 100000
  max_contacts: 1000000
  max_event_bytes: 65536
alerts:
  - name: LongestWait
    measure: oldest_wait_seconds
    op: ">"
    threshold: 120
    for: 30s
    clear: 90
    min_contacts: 10
    queues: ["sales-*"]
    channels: [voice]
    severity: warning
    escalate:
      - {after: 5m, severity: critical}
    labels: {team: retail}
    annotations: {summary: "{{queue}} {{channel}}: oldest contact waiting {{value}}"}
    active: always
  - name: LowServiceLevel
    measure: service_level_ratio
    window: 15m
    op: "<"
    threshold: 0.8
notify:
  alertmanager:
    urls: ["http://127.0.0.1:9093"]
    resend_interval: 1m
  webhooks:
    - url: "http://127.0.0.1:8080/hook"
  zmq_pub: "tcp://127.0.0.1:5571"
)");
  CHECK(c.inputs[0].replay == "tcp://127.0.0.1:5572");
  CHECK(c.state.dir == "/var/lib/floorwatch");
  REQUIRE(c.queues.size() == 1);
  CHECK(c.queues[0].labels.at("market") == "de");
  CHECK(*c.queues[0].service_level.threshold_seconds == 30);
  CHECK(*c.queues[0].channels.at(Channel::kChat).service_level.threshold_seconds == 60);
  CHECK(c.queues[0].holidays.size() == 2);
  REQUIRE(c.alerts.size() == 2);
  CHECK(c.alerts[0].for_ms == 30'000);
  CHECK(c.alerts[0].escalate[0].after_ms == 300'000);
  CHECK(c.alerts[1].window == "15m");
  CHECK(c.notify.webhook_urls.size() == 1);
}

TEST_CASE("an unknown key is refused, naming the key and its line") {
  const std::string e = ErrorOf("http:\n  listen: \"127.0.0.1:1\"\n  lisen: x\n");
  CHECK(e.find("http.lisen") != std::string::npos);
  CHECK(e.find("line 3") != std::string::npos);
  CHECK(e.find("unknown key") != std::string::npos);
}

TEST_CASE("bad values are refused naming the key, never clamped") {
  CHECK(ErrorOf("defaults: {service_level: {target: 1.5}}").find("defaults.service_level.target") !=
        std::string::npos);
  CHECK(ErrorOf("defaults: {service_level: {threshold_seconds: 0}}").find("threshold_seconds") !=
        std::string::npos);
  CHECK(ErrorOf("defaults: {service_level: {formula: best}}").find("formula") != std::string::npos);
  CHECK(ErrorOf("defaults: {timezone: Mars/Olympus}").find("defaults.timezone") !=
        std::string::npos);
  CHECK(ErrorOf("defaults: {short_abandon_seconds: -1}").find("short_abandon_seconds") !=
        std::string::npos);
  CHECK(ErrorOf("inputs: [{endpoint: \"tcp://x:1\", socket: dealer}]").find("inputs[0].socket") !=
        std::string::npos);
  CHECK(ErrorOf("inputs: [{endpoint: \"tcp://x:1\", mode: listen}]").find("inputs[0].mode") !=
        std::string::npos);
  CHECK(ErrorOf("inputs: [{endpoint: \"http://x\"}]").find("inputs[0].endpoint") !=
        std::string::npos);
  CHECK(ErrorOf("inputs: [{socket: pull}]").find("endpoint is required") != std::string::npos);
  CHECK(ErrorOf("inputs: [{endpoint: \"tcp://x:1\", socket: pull, subscribe: [a]}]")
            .find("subscribe") != std::string::npos);
  CHECK(
      ErrorOf("inputs: [{endpoint: \"tcp://x:1\", replay_timeout: soon}]").find("replay_timeout") !=
      std::string::npos);
  CHECK(ErrorOf("http: {listen: \"127.0.0.1:99999\"}").find("http.listen") != std::string::npos);
  CHECK(ErrorOf("windows: [15m, 15m]").find("windows") != std::string::npos);
  CHECK(ErrorOf("windows: [2d]").find("at most 24h") != std::string::npos);
  CHECK(ErrorOf("windows: []").find("windows") != std::string::npos);
  CHECK(ErrorOf("unknown_queues: maybe").find("unknown_queues") != std::string::npos);
  CHECK(ErrorOf("limits: {max_contacts: 0}").find("limits.max_contacts") != std::string::npos);
  CHECK(ErrorOf("limits: {max_queues: lots}").find("limits.max_queues") != std::string::npos);
  CHECK(ErrorOf("state: {snapshot_interval: 10ms}").find("state.snapshot_interval") !=
        std::string::npos);
  CHECK(ErrorOf("wait_buckets: [10, 5]").find("wait_buckets") != std::string::npos);
}

TEST_CASE("queue definitions are checked") {
  CHECK(ErrorOf("queues: [{labels: {a: b}}]").find("id is required") != std::string::npos);
  CHECK(ErrorOf("queues: [{id: a}, {id: a}]").find("defined twice") != std::string::npos);
  CHECK(ErrorOf("queues: [{id: a, labels: {queue: x}}]").find("reserved") != std::string::npos);
  CHECK(ErrorOf("queues: [{id: a, labels: {\"bad-name\": x}}]").find("label name") !=
        std::string::npos);
  CHECK(ErrorOf("queues: [{id: a, channels: {fax: {}}}]").find("queues[0].channels.fax") !=
        std::string::npos);
  CHECK(ErrorOf("queues: [{id: a, business_hours: {weekdays: \"08:00-18:00\"}}]")
            .find("business_hours") != std::string::npos);
  CHECK(ErrorOf("queues: [{id: a, business_hours: {mon: \"8-18\"}}]").find("business_hours") !=
        std::string::npos);
  CHECK(ErrorOf("queues: [{id: a, holidays: [\"24.12.2026\"]}]").find("holidays") !=
        std::string::npos);
  CHECK(ErrorOf("limits: {max_queues: 1}\nqueues: [{id: a}, {id: b}]").find("max_queues") !=
        std::string::npos);
}

TEST_CASE("a bad alert rule is refused naming the rule and the key") {
  const std::string e = ErrorOf(
      "alerts:\n  - name: LongestWait\n    measure: oldest_wait_seconds\n    op: \">\"\n    "
      "threshold: soon\n");
  CHECK(e.find("alerts[0] (LongestWait).threshold") != std::string::npos);
  CHECK(e.find("line 5") != std::string::npos);
}

TEST_CASE("alert rules are checked naming the rule's key") {
  CHECK(ErrorOf("alerts: [{name: A, measure: happiness, op: \">\", threshold: 1}]")
            .find("alerts[0] (A).measure") != std::string::npos);
  CHECK(ErrorOf("alerts: [{name: A, measure: waiting_contacts, op: \"=>\", threshold: 1}]")
            .find("alerts[0] (A).op") != std::string::npos);
  CHECK(ErrorOf("alerts: [{name: A, measure: service_level_ratio, op: \"<\", threshold: 1}]")
            .find("window is required") != std::string::npos);
  CHECK(
      ErrorOf(
          "alerts: [{name: A, measure: service_level_ratio, window: 5m, op: \"<\", threshold: 1}]")
          .find("alerts[0] (A).window") != std::string::npos);
  CHECK(ErrorOf(
            "alerts: [{name: A, measure: waiting_contacts, window: 15m, op: \">\", threshold: 1}]")
            .find("not windowed") != std::string::npos);
  CHECK(ErrorOf("alerts: [{name: A, measure: waiting_contacts, op: \">\"}]")
            .find("threshold is required") != std::string::npos);
  CHECK(ErrorOf("alerts: [{name: A, measure: waiting_contacts, op: \">\", threshold: 1, active: "
                "weekends}]")
            .find("alerts[0] (A).active") != std::string::npos);
  CHECK(ErrorOf("alerts: [{name: A, measure: waiting_contacts, op: \">\", threshold: 1, escalate: "
                "[{after: 5m, severity: a}, {after: 1m, severity: b}]}]")
            .find("escalate") != std::string::npos);
}

TEST_CASE("notify targets must be plain http URLs") {
  CHECK(ErrorOf("notify: {alertmanager: {urls: [\"https://am:9093\"]}}")
            .find("notify.alertmanager.urls") != std::string::npos);
  CHECK(ErrorOf("notify: {webhooks: [{url: \"ftp://x\"}]}").find("notify.webhooks[0].url") !=
        std::string::npos);
  CHECK(ErrorOf("notify: {alertmanager: {resend_interval: 10ms}}").find("resend_interval") !=
        std::string::npos);
}

TEST_CASE("a YAML syntax error names its line") {
  CHECK(ErrorOf("http:\n  listen: [\n").find("line") != std::string::npos);
}

TEST_CASE("durations take units or plain seconds") {
  const Config c = Good(
      "inputs: [{endpoint: \"tcp://x:1\", replay_timeout: 1500ms}]\nstate: {snapshot_interval: "
      "90}");
  CHECK(c.inputs[0].replay_timeout_ms == 1500);
  CHECK(c.state.snapshot_interval_ms == 90'000);
}

TEST_CASE("state.dir none means memory only") {
  CHECK(Good("state: {dir: none}").state.dir.empty());
}

TEST_CASE("a missing file is an error naming the file") {
  ConfigResult r = LoadConfigFromFile("/nonexistent/floorwatch.yaml");
  REQUIRE(std::holds_alternative<ConfigError>(r));
  CHECK(std::get<ConfigError>(r).message.find("/nonexistent/floorwatch.yaml") != std::string::npos);
}

TEST_CASE("a queue pattern with an unclosed '[' is refused naming the key") {
  const std::string e = ErrorOf("queues:\n  - id: \"sales-[de\"\n");
  CHECK(e.find("queues[0].id") != std::string::npos);
  CHECK(e.find("no closing ']'") != std::string::npos);
}
