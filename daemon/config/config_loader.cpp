#include "floorwatch/config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "config/config_parse.h"
#include "floorwatch/config/duration.h"
#include "floorwatch/core/timezone.h"

namespace floorwatch {
namespace {

using config_internal::Invalid;
using config_internal::Node;
using config_internal::ParseServiceLevel;
using config_internal::ParseStaffing;
using config_internal::ParseState;
using config_internal::ValidateLabels;

const std::regex kClock("([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)");
const std::regex kDays(
    "(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?"
    "(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*");
const std::regex kDate("[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])");

const std::regex kBcrypt("\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}");

// The Prometheus web-config format (exporter-toolkit): basic_auth_users, and
// tls_server_config with cert_file and key_file. Its other keys (client certificates, cipher
// choices, http_server_config) are refused by name, not ignored.
void ParseWebConfig(const Node& key, HttpConfig& http) {
  http.web_config_file = key.Str();
  std::ifstream in(http.web_config_file);
  if (!in) key.Fail("cannot read '" + http.web_config_file + "'");
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    key.Fail(http.web_config_file + " (line " + std::to_string(e.mark.line + 1) + "): " + e.msg);
  }
  const Node web(root, http.web_config_file);
  web.ExpectMap({"basic_auth_users", "tls_server_config", "http_server_config"});
  const Node tls = web["tls_server_config"];
  if (!tls.IsNull()) {
    tls.ExpectMap({"cert_file", "key_file"});
    for (const char* k : {"cert_file", "key_file"}) {
      if (tls[k].IsNull()) tls.Fail(std::string(k) + " is required");
      if (!std::ifstream(tls[k].Str())) tls[k].Fail("cannot read '" + tls[k].Str() + "'");
    }
    http.tls_cert_file = tls["cert_file"].Str();
    http.tls_key_file = tls["key_file"].Str();
  }
  if (!web["http_server_config"].IsNull()) web["http_server_config"].Fail("is not supported yet");
  http.basic_auth_users = web["basic_auth_users"].StringMap();
  for (const auto& [user, hash] : http.basic_auth_users) {
    if (user.empty() || user.find(':') != std::string::npos)
      web["basic_auth_users"][user].Fail("user names cannot be empty or hold ':'");
    if (!std::regex_match(hash, kBcrypt))
      web["basic_auth_users"][user].Fail("must be a bcrypt hash ($2y$...)");
  }
}

void ParseHttp(const Node& n, HttpConfig& http) {
  n.ExpectMap({"listen", "web_config_file"});
  if (!n["web_config_file"].IsNull()) ParseWebConfig(n["web_config_file"], http);
  if (n["listen"].IsNull()) return;
  http.listen = n["listen"].Str();
  const auto colon = http.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) n["listen"].Fail("must be host:port");
  const std::string port = http.listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(port) > 65535) {
    n["listen"].Fail("port must be a number from 0 to 65535, got '" + port + "'");
  }
}

bool IsZ85Key(const std::string& key) {
  static const std::string kZ85 =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  return key.size() == 40 && key.find_first_not_of(kZ85) == std::string::npos;
}

// An input's `curve:` keys: the secret key file and the allowed client keys (Z85).
void ParseCurve(const Node& curve, InputConfig& in) {
  if (curve.IsNull()) return;
  curve.ExpectMap({"secret_key_file", "allowed_clients"});
  if (curve["secret_key_file"].IsNull()) curve.Fail("secret_key_file is required");
  const std::string path = curve["secret_key_file"].Str();
  std::ifstream key_file(path);
  if (!key_file) curve["secret_key_file"].Fail("cannot read '" + path + "'");
  std::getline(key_file, in.curve_secret_key);
  while (!in.curve_secret_key.empty() &&
         std::isspace(static_cast<unsigned char>(in.curve_secret_key.back()))) {
    in.curve_secret_key.pop_back();
  }
  if (!IsZ85Key(in.curve_secret_key))
    curve["secret_key_file"].Fail("'" + path + "' must hold a 40-character Z85 CURVE secret key");
  in.curve_allowed_clients = curve["allowed_clients"].StringList();
  for (const std::string& key : in.curve_allowed_clients) {
    if (!IsZ85Key(key))
      curve["allowed_clients"].Fail("'" + key + "' is not a 40-character Z85 public key");
  }
}

InputConfig ParseInput(const Node& n) {
  n.ExpectMap(
      {"endpoint", "socket", "mode", "subscribe", "replay", "replay_timeout", "rcvhwm", "curve"});
  InputConfig in;
  if (n["endpoint"].IsNull()) n.Fail("endpoint is required");
  in.endpoint = n["endpoint"].Str();
  const auto valid_scheme = [](const std::string& e) {
    for (const char* s : {"tcp://", "ipc://", "inproc://"}) {
      if (e.rfind(s, 0) == 0 && e.size() > std::string(s).size()) return true;
    }
    return false;
  };
  if (!valid_scheme(in.endpoint))
    n["endpoint"].Fail("must be a tcp://, ipc:// or inproc:// endpoint");
  if (!n["socket"].IsNull()) {
    in.socket =
        n["socket"].OneOf<SocketKind>({{"sub", SocketKind::kSub}, {"pull", SocketKind::kPull}});
  }
  if (!n["mode"].IsNull()) {
    in.mode = n["mode"].OneOf<SocketMode>(
        {{"connect", SocketMode::kConnect}, {"bind", SocketMode::kBind}});
  }
  if (!n["subscribe"].IsNull()) {
    if (in.socket != SocketKind::kSub) n["subscribe"].Fail("only a sub input subscribes");
    in.subscribe = n["subscribe"].StringList();
  }
  if (!n["replay"].IsNull()) {
    in.replay = n["replay"].Str();
    if (!valid_scheme(in.replay))
      n["replay"].Fail("must be a tcp://, ipc:// or inproc:// endpoint");
  }
  if (!n["replay_timeout"].IsNull()) {
    in.replay_timeout_ms = n["replay_timeout"].DurationMs();
    if (in.replay_timeout_ms <= 0) n["replay_timeout"].Fail("must be more than 0");
  }
  ParseCurve(n["curve"], in);
  if (!n["rcvhwm"].IsNull()) {
    in.rcvhwm = n["rcvhwm"].PositiveInteger();
    if (in.rcvhwm > 10'000'000) n["rcvhwm"].Fail("must be at most 10000000");
  }
  return in;
}

std::vector<WindowSpec> ParseWindows(const Node& n) {
  std::vector<WindowSpec> windows;
  std::set<std::string> seen;
  for (const Node& item : n.Items()) {
    WindowSpec w;
    if (item.Str() == "today") {
      w.today = true;
      w.label = "today";
    } else {
      w.duration_ms = item.DurationMs();
      if (w.duration_ms < 1000 || w.duration_ms % 1000 != 0) {
        item.Fail("a rolling window must be a whole number of seconds, at least 1s");
      }
      if (w.duration_ms > 86'400'000) item.Fail("a rolling window can be at most 24h");
      w.label = FormatDurationMs(w.duration_ms);
    }
    if (!seen.insert(w.label).second) item.Fail("window '" + w.label + "' is listed twice");
    windows.push_back(w);
  }
  if (windows.empty()) n.Fail("must list at least one window");
  return windows;
}

double ParseNonNegative(const Node& n) {
  const double v = n.Number();
  if (!(v >= 0) || v > 86400) n.Fail("must be between 0 and 86400 seconds");
  return v;
}

std::string ParseTimeZone(const Node& n) {
  const std::string tz = n.Str();
  if (!IsValidTimeZone(tz)) n.Fail("unknown IANA time zone '" + tz + "'");
  return tz;
}

void ParseDefaults(const Node& n, const std::vector<WindowSpec>& windows, QueueDefaults& d) {
  n.ExpectMap({"timezone", "short_abandon_seconds", "service_level", "staffing"});
  if (!n["timezone"].IsNull()) d.timezone = ParseTimeZone(n["timezone"]);
  if (!n["short_abandon_seconds"].IsNull()) {
    d.short_abandon_seconds = ParseNonNegative(n["short_abandon_seconds"]);
  }
  const ServiceLevelOverride sl = ParseServiceLevel(n["service_level"]);
  d.service_level.threshold_seconds =
      sl.threshold_seconds.value_or(d.service_level.threshold_seconds);
  d.service_level.target = sl.target.value_or(d.service_level.target);
  d.service_level.formula = sl.formula.value_or(d.service_level.formula);
  config_internal::ParseDefaultStaffing(n["staffing"], windows, d.staffing);
}

QueueConfig ParseQueue(const Node& n, const std::vector<WindowSpec>& windows) {
  n.ExpectMap({"id", "labels", "timezone", "short_abandon_seconds", "service_level", "staffing",
               "channels", "business_hours", "holidays"});
  QueueConfig q;
  if (n["id"].IsNull()) n.Fail("id is required");
  q.id = n["id"].Str();
  if (q.id.empty()) n["id"].Fail("must not be empty");
  if (const size_t open = q.id.find('['); open != q.id.npos && q.id.find(']', open) == q.id.npos) {
    n["id"].Fail("a pattern's '[' has no closing ']'");
  }
  q.labels = n["labels"].StringMap();
  ValidateLabels(n["labels"], q.labels);
  if (!n["timezone"].IsNull()) q.timezone = ParseTimeZone(n["timezone"]);
  if (!n["short_abandon_seconds"].IsNull()) {
    q.short_abandon_seconds = ParseNonNegative(n["short_abandon_seconds"]);
  }
  q.service_level = ParseServiceLevel(n["service_level"]);
  q.staffing = ParseStaffing(n["staffing"], windows);
  for (auto& [name, cn] : n["channels"].Entries()) {
    auto channel = ChannelFromName(name);
    if (!channel) cn.Fail("unknown channel (voice, chat, email, social, callback, video)");
    cn.ExpectMap({"service_level", "short_abandon_seconds", "staffing"});
    ChannelOverride co;
    co.service_level = ParseServiceLevel(cn["service_level"]);
    co.staffing = ParseStaffing(cn["staffing"], windows);
    if (!cn["short_abandon_seconds"].IsNull()) {
      co.short_abandon_seconds = ParseNonNegative(cn["short_abandon_seconds"]);
    }
    q.channels[*channel] = co;
  }
  q.business_hours = n["business_hours"].StringMap();
  for (const auto& [days, hours] : q.business_hours) {
    if (!std::regex_match(days, kDays))
      n["business_hours"][days].Fail("days must be like mon-fri, sat or mon,wed");
    if (!std::regex_match(hours, kClock))
      n["business_hours"][days].Fail("hours must be like 08:00-18:00");
  }
  q.holidays = n["holidays"].StringList();
  for (size_t i = 0; i < q.holidays.size(); ++i) {
    if (!std::regex_match(q.holidays[i], kDate))
      n["holidays"].Items()[i].Fail("must be a date YYYY-MM-DD");
  }
  return q;
}

void ParseLimits(const Node& n, LimitsConfig& l) {
  n.ExpectMap({"max_queues", "max_agents", "max_contacts", "max_event_bytes", "max_sources",
               "dedup_ids", "contact_ttl", "wrap_timeout", "max_customers", "max_closed_contacts",
               "max_teams"});
  const std::pair<const char*, int64_t*> counts[] = {
      {"max_queues", &l.max_queues},
      {"max_agents", &l.max_agents},
      {"max_contacts", &l.max_contacts},
      {"max_sources", &l.max_sources},
      {"dedup_ids", &l.dedup_ids},
      {"max_customers", &l.max_customers},
      {"max_closed_contacts", &l.max_closed_contacts},
      {"max_teams", &l.max_teams}};
  for (const auto& [key, field] : counts) {
    if (n[key].IsNull()) continue;
    *field = n[key].PositiveInteger();
    if (*field > 100'000'000) n[key].Fail("must be at most 100000000");
  }
  if (!n["max_event_bytes"].IsNull()) {
    l.max_event_bytes = n["max_event_bytes"].PositiveInteger();
    if (l.max_event_bytes > 16 * 1024 * 1024) n["max_event_bytes"].Fail("must be at most 16777216");
  }
  if (!n["contact_ttl"].IsNull()) {
    l.contact_ttl_ms = n["contact_ttl"].DurationMs();
    if (l.contact_ttl_ms < 60'000) n["contact_ttl"].Fail("must be at least 1m");
  }
  if (!n["wrap_timeout"].IsNull()) {
    l.wrap_timeout_ms = n["wrap_timeout"].DurationMs();
    if (l.wrap_timeout_ms < 1000) n["wrap_timeout"].Fail("must be at least 1s");
  }
}

Config Parse(const YAML::Node& root_yaml, const std::string& base_dir) {
  Config c;
  c.windows = DefaultWindows();
  const Node root(root_yaml, "");
  root.ExpectMap({"http", "inputs", "state", "windows", "defaults", "unknown_queues", "queues",
                  "limits", "alerts", "notify", "wait_buckets", "outcomes", "teams",
                  "unknown_teams", "forecast"});
  if (root.IsNull()) return c;
  ParseHttp(root["http"], c.http);
  if (!root["inputs"].IsNull()) {
    c.inputs.clear();
    for (const Node& item : root["inputs"].Items()) c.inputs.push_back(ParseInput(item));
  }
  ParseState(root["state"], c.state);
  if (!root["windows"].IsNull()) c.windows = ParseWindows(root["windows"]);
  ParseDefaults(root["defaults"], c.windows, c.defaults);
  if (!root["unknown_queues"].IsNull()) {
    c.unknown_queues = root["unknown_queues"].OneOf<UnknownQueues>(
        {{"accept", UnknownQueues::kAccept}, {"reject", UnknownQueues::kReject}});
  }
  ParseLimits(root["limits"], c.limits);
  std::set<std::string> ids;
  for (const Node& item : root["queues"].Items()) {
    QueueConfig q = ParseQueue(item, c.windows);
    if (!ids.insert(q.id).second) item["id"].Fail("queue '" + q.id + "' is defined twice");
    c.queues.push_back(std::move(q));
  }
  if (static_cast<int64_t>(c.queues.size()) > c.limits.max_queues) {
    root["queues"].Fail("more queues than limits.max_queues");
  }
  config_internal::ParseOutcomes(root["outcomes"], c.outcomes);
  config_internal::ParseTeams(root, c);
  config_internal::ParseForecast(root["forecast"], base_dir, c);
  for (const Node& item : root["alerts"].Items()) {
    c.alerts.push_back(config_internal::ParseAlert(item, c.windows));
  }
  config_internal::ParseNotify(root["notify"], c.notify);
  if (!root["wait_buckets"].IsNull()) {
    c.wait_buckets.clear();
    for (const Node& item : root["wait_buckets"].Items()) {
      const double b = item.Number();
      if (!(b > 0) || (!c.wait_buckets.empty() && b <= c.wait_buckets.back())) {
        item.Fail("buckets must be positive and increasing");
      }
      c.wait_buckets.push_back(b);
    }
    if (c.wait_buckets.empty() || c.wait_buckets.size() > 64)
      root["wait_buckets"].Fail("must list 1 to 64 buckets");
  }
  return c;
}

}  // namespace

std::vector<WindowSpec> DefaultWindows() {
  return {WindowSpec{false, 900'000, "15m"}, WindowSpec{false, 3'600'000, "1h"},
          WindowSpec{true, 0, "today"}};
}

namespace {

ConfigResult LoadConfig(const std::string& yaml_text, const std::string& base_dir) {
  try {
    return Parse(YAML::Load(yaml_text), base_dir);
  } catch (const Invalid& e) {
    return ConfigError{e.message};
  } catch (const YAML::Exception& e) {
    return ConfigError{"config (line " + std::to_string(e.mark.line + 1) + "): " + e.msg};
  }
}

}  // namespace

ConfigResult LoadConfigFromString(const std::string& yaml_text) {
  return LoadConfig(yaml_text, "");
}

ConfigResult LoadConfigFromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return ConfigError{path + ": cannot be read"};
  std::stringstream text;
  text << in.rdbuf();
  const size_t slash = path.rfind('/');
  ConfigResult result =
      LoadConfig(text.str(), slash == std::string::npos ? "" : path.substr(0, slash + 1));
  if (auto* error = std::get_if<ConfigError>(&result)) {
    error->message = path + ": " + error->message;
  } else {
    std::get<Config>(result).source_path = path;
  }
  return result;
}

}  // namespace floorwatch
