// The daemon's configuration: plain structs holding documented defaults (docs/config.md).
// Produced only by LoadConfig (config_loader.h), which validates everything once; code that
// receives a Config may rely on it being valid. Immutable after load; a reload builds a new one.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "floorwatch/core/event.h"
#include "floorwatch/core/forecast.h"

namespace floorwatch {

enum class SocketKind { kSub, kPull };
enum class SocketMode { kConnect, kBind };
enum class SlFormula { kAnsweredPlusAbandoned, kAnswered, kAbandonsPositive };
enum class UnknownQueues { kAccept, kReject };
enum class UnknownTeams { kAccept, kReject };

struct HttpConfig {
  std::string listen = "127.0.0.1:9464";
  // A file in the Prometheus web-config format; today its `basic_auth_users` (bcrypt hashes)
  // protect every endpoint. Empty: no authentication.
  std::string web_config_file;
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash, from that file
  std::string tls_cert_file;                            // PEM certificate chain; empty: plain HTTP
  std::string tls_key_file;                             // PEM private key
};

struct InputConfig {
  std::string endpoint = "tcp://127.0.0.1:5570";
  SocketKind socket = SocketKind::kSub;
  SocketMode mode = SocketMode::kConnect;
  std::vector<std::string> subscribe = {""};
  std::string replay;  // empty: the source offers no replay
  int64_t replay_timeout_ms = 5000;
  int64_t rcvhwm = 100'000;  // ZeroMQ receive high-water mark, in messages
  // CURVE: this input's secret key (Z85, read from `curve.secret_key_file`) and the client
  // public keys (Z85) allowed to connect; empty secret: no encryption. Never logged.
  std::string curve_secret_key;
  std::vector<std::string> curve_allowed_clients;
  bool operator==(const InputConfig&) const = default;
};

// When the journal is fdatasync'ed (docs/reliability.md says what each can lose).
enum class FsyncPolicy { kBatch, kInterval, kNever };

struct StateConfig {
  std::string dir;  // empty ("none"): memory only
  int64_t snapshot_interval_ms = 60'000;
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  int64_t fsync_interval_ms = 1000;  // only with kInterval
};

// A `windows:` entry: a rolling duration, or `today` (since local midnight).
struct WindowSpec {
  bool today = false;
  int64_t duration_ms = 0;  // rolling windows only
  std::string label;        // "15m", "1h", "today"
};

struct ServiceLevelConfig {
  double threshold_seconds = 20;
  double target = 0.8;
  SlFormula formula = SlFormula::kAnsweredPlusAbandoned;
};

// Partial overrides as written at queue or channel level; unset fields inherit.
struct ServiceLevelOverride {
  std::optional<double> threshold_seconds;
  std::optional<double> target;
  std::optional<SlFormula> formula;
};

// Live Erlang C staffing (docs/staffing.md): which rolling window gives the arrival rate and
// AHT, the occupancy no agent should be asked to pass, and how many contacts one agent
// works at once on the channel.
struct StaffingConfig {
  // Duration of one of `windows:` (validated). The loader picks 15m when listed, else the
  // first rolling window; 0 only when no rolling window is configured at all.
  int64_t window_ms = 900'000;
  double max_occupancy = 0.85;  // (0, 1]
  int64_t concurrency = 1;      // 1..1000
};

struct StaffingOverride {
  std::optional<int64_t> window_ms;
  std::optional<double> max_occupancy;
  std::optional<int64_t> concurrency;
};

struct ChannelOverride {
  ServiceLevelOverride service_level;
  std::optional<double> short_abandon_seconds;
  StaffingOverride staffing;
};

struct QueueDefaults {
  std::string timezone = "UTC";
  double short_abandon_seconds = 5;
  ServiceLevelConfig service_level;
  StaffingConfig staffing;
};

struct QueueConfig {
  std::string id;
  std::map<std::string, std::string> labels;
  std::optional<std::string> timezone;
  std::optional<double> short_abandon_seconds;
  ServiceLevelOverride service_level;
  StaffingOverride staffing;
  std::map<Channel, ChannelOverride> channels;        // empty: the queue starts with voice only
  std::map<std::string, std::string> business_hours;  // "mon-fri" -> "08:00-18:00"
  std::vector<std::string> holidays;                  // "YYYY-MM-DD"
};

struct LimitsConfig {
  int64_t max_queues = 2000;
  int64_t max_agents = 100'000;
  int64_t max_contacts = 1'000'000;
  int64_t max_event_bytes = 65536;
  int64_t max_sources = 1000;               // distinct `source` names tracked for seq gaps
  int64_t dedup_ids = 262'144;              // recent event ids remembered (about; see recent_ids.h)
  int64_t contact_ttl_ms = 86'400'000;      // a contact with no event for this long is dropped
  int64_t wrap_timeout_ms = 1'800'000;      // an ended contact waits this long for contact.wrapped
  int64_t max_customers = 2'000'000;        // remembered customers (repeat detection)
  int64_t max_closed_contacts = 1'000'000;  // remembered closed contacts (surveys, evaluations)
  int64_t max_teams = 1000;
};

// Customer outcomes (docs/config.md, `outcomes:`).
struct OutcomesConfig {
  int64_t repeat_window_ms = 86'400'000;                // repeat contacts and escalations
  int64_t closed_contact_memory_ms = 7 * 86'400'000LL;  // surveys/evaluations after the close
  double quality_pass_score = 80;                       // an evaluation without `passed`
  std::vector<std::string> escalation_reasons = {"refund", "delivery", "product", "complaint",
                                                 "legal"};  // others count as "other"
};

// A `teams:` entry: a team id agents name in agent.login, and labels for PromQL joins.
struct TeamConfig {
  std::string id;
  std::map<std::string, std::string> labels;  // vendor, market, site, ...
};

struct EscalationStep {
  int64_t after_ms = 0;
  std::string severity;
};

struct AlertRule {
  std::string name;
  std::string measure;
  std::string window;  // label of a configured window; empty for instant figures
  std::string op;
  double threshold = 0;
  int64_t for_ms = 0;
  std::optional<double> clear;
  int64_t min_contacts = 0;
  std::vector<std::string> queues = {"*"};
  std::vector<std::string> channels = {"*"};
  std::string severity = "warning";
  std::vector<EscalationStep> escalate;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  bool business_hours_only = false;
};

struct NotifyConfig {
  std::vector<std::string> alertmanager_urls;
  int64_t alertmanager_resend_interval_ms = 60'000;
  std::vector<std::string> webhook_urls;
  std::string zmq_pub;
};

// `forecast:`: the intraday forecast file (docs/staffing.md) and its interval length.
struct ForecastConfig {
  std::string file;  // empty: no forecast
  int64_t interval_ms = 30 * 60'000;
  std::shared_ptr<const Forecast> table;  // read from `file` with the config; null without
};

struct Config {
  HttpConfig http;
  std::vector<InputConfig> inputs = {InputConfig{}};
  StateConfig state;
  std::vector<WindowSpec> windows;  // LoadConfig fills the default [15m, 1h, today]
  QueueDefaults defaults;
  UnknownQueues unknown_queues = UnknownQueues::kAccept;
  std::vector<QueueConfig> queues;
  OutcomesConfig outcomes;
  std::vector<TeamConfig> teams;
  UnknownTeams unknown_teams = UnknownTeams::kAccept;
  LimitsConfig limits;
  ForecastConfig forecast;
  std::vector<AlertRule> alerts;
  NotifyConfig notify;
  // Upper bounds (seconds) of the wait histogram; +Inf is implied.
  std::vector<double> wait_buckets = {5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600};
  std::string source_path;  // the file it came from, for logs
};

std::vector<WindowSpec> DefaultWindows();

}  // namespace floorwatch
