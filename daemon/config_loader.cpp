#include "floorwatch/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "floorwatch/duration.h"
#include "floorwatch/timezone.h"

namespace floorwatch {
namespace {

struct Invalid {
  std::string message;
};

// A node with the key path that led to it, so every error can name it.
class Node {
 public:
  Node(YAML::Node node, std::string path) : node_(std::move(node)), path_(std::move(path)) {}

  [[noreturn]] void Fail(const std::string& why) const {
    std::ostringstream out;
    out << (path_.empty() ? "config" : path_);
    if (node_.IsDefined() && node_.Mark().line >= 0)
      out << " (line " << node_.Mark().line + 1 << ")";
    out << ": " << why;
    throw Invalid{out.str()};
  }

  bool IsNull() const { return !node_ || node_.IsNull(); }
  const std::string& path() const { return path_; }
  Node Renamed(std::string path) const { return Node(node_, std::move(path)); }

  // A mapping whose keys must all be in `allowed`.
  void ExpectMap(std::initializer_list<const char*> allowed) const {
    if (IsNull()) return;
    if (!node_.IsMap()) Fail("must be a mapping");
    for (const auto& kv : node_) {
      const std::string key = kv.first.as<std::string>();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return key == k; })) {
        Node(kv.first, Join(key)).Fail("unknown key");
      }
    }
  }

  Node operator[](const std::string& key) const {
    YAML::Node child = !IsNull() && node_.IsMap() ? node_[key] : YAML::Node();
    return Node(child, Join(key));
  }

  std::vector<Node> Items() const {
    std::vector<Node> items;
    if (IsNull()) return items;
    if (!node_.IsSequence()) Fail("must be a list");
    for (size_t i = 0; i < node_.size(); ++i) {
      items.emplace_back(node_[i], path_ + "[" + std::to_string(i) + "]");
    }
    return items;
  }

  std::vector<std::pair<std::string, Node>> Entries() const {
    std::vector<std::pair<std::string, Node>> entries;
    if (IsNull()) return entries;
    if (!node_.IsMap()) Fail("must be a mapping");
    for (const auto& kv : node_) {
      const std::string key = kv.first.as<std::string>();
      entries.emplace_back(key, Node(kv.second, Join(key)));
    }
    return entries;
  }

  std::string Str() const {
    if (!node_.IsScalar()) Fail("must be a string");
    return node_.Scalar();
  }

  double Number() const {
    if (!node_.IsScalar()) Fail("must be a number");
    try {
      return node_.as<double>();
    } catch (const YAML::Exception&) {
      Fail("must be a number, got '" + node_.Scalar() + "'");
    }
  }

  int64_t Integer() const {
    if (!node_.IsScalar()) Fail("must be an integer");
    try {
      return node_.as<int64_t>();
    } catch (const YAML::Exception&) {
      Fail("must be an integer, got '" + node_.Scalar() + "'");
    }
  }

  int64_t PositiveInteger() const {
    const int64_t v = Integer();
    if (v <= 0) Fail("must be a positive integer, got " + std::to_string(v));
    return v;
  }

  int64_t DurationMs() const {
    const std::string text = Str();
    auto ms = ParseDurationMs(text);
    if (!ms)
      Fail("must be a duration like 500ms, 30s, 5m, 1h or a number of seconds, got '" + text + "'");
    return *ms;
  }

  std::vector<std::string> StringList() const {
    std::vector<std::string> out;
    for (const Node& item : Items()) out.push_back(item.Str());
    return out;
  }

  std::map<std::string, std::string> StringMap() const {
    std::map<std::string, std::string> out;
    for (auto& [k, v] : Entries()) out[k] = v.Str();
    return out;
  }

  template <typename Enum>
  Enum OneOf(std::initializer_list<std::pair<const char*, Enum>> choices) const {
    const std::string text = Str();
    std::string names;
    for (const auto& [name, value] : choices) {
      if (text == name) return value;
      names += names.empty() ? name : std::string(" | ") + name;
    }
    Fail("must be one of " + names + ", got '" + text + "'");
  }

 private:
  std::string Join(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  YAML::Node node_;
  std::string path_;
};

const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");
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
    if (user.empty() || user.find(':') != std::string::npos) web["basic_auth_users"][user].Fail("user names cannot be empty or hold ':'");
    if (!std::regex_match(hash, kBcrypt)) web["basic_auth_users"][user].Fail("must be a bcrypt hash ($2y$...)");
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

InputConfig ParseInput(const Node& n) {
  n.ExpectMap({"endpoint", "socket", "mode", "subscribe", "replay", "replay_timeout", "rcvhwm", "curve"});
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
  const Node curve = n["curve"];
  if (!curve.IsNull()) {
    curve.ExpectMap({"secret_key_file", "allowed_clients"});
    if (curve["secret_key_file"].IsNull()) curve.Fail("secret_key_file is required");
    const std::string path = curve["secret_key_file"].Str();
    std::ifstream key_file(path);
    if (!key_file) curve["secret_key_file"].Fail("cannot read '" + path + "'");
    std::getline(key_file, in.curve_secret_key);
    while (!in.curve_secret_key.empty() && std::isspace(static_cast<unsigned char>(in.curve_secret_key.back()))) {
      in.curve_secret_key.pop_back();
    }
    if (!IsZ85Key(in.curve_secret_key)) curve["secret_key_file"].Fail("'" + path + "' must hold a 40-character Z85 CURVE secret key");
    in.curve_allowed_clients = curve["allowed_clients"].StringList();
    for (const std::string& key : in.curve_allowed_clients) {
      if (!IsZ85Key(key)) curve["allowed_clients"].Fail("'" + key + "' is not a 40-character Z85 public key");
    }
  }
  if (!n["rcvhwm"].IsNull()) {
    in.rcvhwm = n["rcvhwm"].PositiveInteger();
    if (in.rcvhwm > 10'000'000) n["rcvhwm"].Fail("must be at most 10000000");
  }
  return in;
}

void ParseState(const Node& n, StateConfig& state) {
  n.ExpectMap({"dir", "snapshot_interval"});
  if (!n["dir"].IsNull()) {
    state.dir = n["dir"].Str();
    if (state.dir == "none") state.dir.clear();
  }
  if (!n["snapshot_interval"].IsNull()) {
    state.snapshot_interval_ms = n["snapshot_interval"].DurationMs();
    if (state.snapshot_interval_ms < 1000) n["snapshot_interval"].Fail("must be at least 1s");
  }
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

ServiceLevelOverride ParseServiceLevel(const Node& n) {
  n.ExpectMap({"threshold_seconds", "target", "formula"});
  ServiceLevelOverride sl;
  if (!n["threshold_seconds"].IsNull()) {
    const double t = n["threshold_seconds"].Number();
    if (!(t > 0) || t > 86400) n["threshold_seconds"].Fail("must be more than 0 and at most 86400");
    sl.threshold_seconds = t;
  }
  if (!n["target"].IsNull()) {
    const double t = n["target"].Number();
    if (!(t >= 0 && t <= 1)) {
      n["target"].Fail("must be between 0 and 1, got " + std::to_string(t));
    }
    sl.target = t;
  }
  if (!n["formula"].IsNull()) {
    sl.formula = n["formula"].OneOf<SlFormula>(
        {{"answered_plus_abandoned", SlFormula::kAnsweredPlusAbandoned},
         {"answered", SlFormula::kAnswered},
         {"abandons_positive", SlFormula::kAbandonsPositive}});
  }
  return sl;
}

std::string ParseTimeZone(const Node& n) {
  const std::string tz = n.Str();
  if (!IsValidTimeZone(tz)) n.Fail("unknown IANA time zone '" + tz + "'");
  return tz;
}

void ParseDefaults(const Node& n, QueueDefaults& d) {
  n.ExpectMap({"timezone", "short_abandon_seconds", "service_level"});
  if (!n["timezone"].IsNull()) d.timezone = ParseTimeZone(n["timezone"]);
  if (!n["short_abandon_seconds"].IsNull()) {
    d.short_abandon_seconds = ParseNonNegative(n["short_abandon_seconds"]);
  }
  const ServiceLevelOverride sl = ParseServiceLevel(n["service_level"]);
  d.service_level.threshold_seconds =
      sl.threshold_seconds.value_or(d.service_level.threshold_seconds);
  d.service_level.target = sl.target.value_or(d.service_level.target);
  d.service_level.formula = sl.formula.value_or(d.service_level.formula);
}

void ValidateLabels(const Node& n, const std::map<std::string, std::string>& labels) {
  for (const auto& [name, value] : labels) {
    if (!std::regex_match(name, kLabelName) || name.rfind("__", 0) == 0) {
      n[name].Fail("is not a valid Prometheus label name");
    }
    if (name == "queue" || name == "channel") n[name].Fail("is reserved");
  }
}

QueueConfig ParseQueue(const Node& n) {
  n.ExpectMap({"id", "labels", "timezone", "short_abandon_seconds", "service_level", "channels",
               "business_hours", "holidays"});
  QueueConfig q;
  if (n["id"].IsNull()) n.Fail("id is required");
  q.id = n["id"].Str();
  if (q.id.empty()) n["id"].Fail("must not be empty");
  q.labels = n["labels"].StringMap();
  ValidateLabels(n["labels"], q.labels);
  if (!n["timezone"].IsNull()) q.timezone = ParseTimeZone(n["timezone"]);
  if (!n["short_abandon_seconds"].IsNull()) {
    q.short_abandon_seconds = ParseNonNegative(n["short_abandon_seconds"]);
  }
  q.service_level = ParseServiceLevel(n["service_level"]);
  for (auto& [name, cn] : n["channels"].Entries()) {
    auto channel = ChannelFromName(name);
    if (!channel) cn.Fail("unknown channel (voice, chat, email, social, callback, video)");
    cn.ExpectMap({"service_level", "short_abandon_seconds"});
    ChannelOverride co;
    co.service_level = ParseServiceLevel(cn["service_level"]);
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
               "dedup_ids", "contact_ttl", "wrap_timeout"});
  if (!n["max_queues"].IsNull()) l.max_queues = n["max_queues"].PositiveInteger();
  if (!n["max_agents"].IsNull()) l.max_agents = n["max_agents"].PositiveInteger();
  if (!n["max_contacts"].IsNull()) l.max_contacts = n["max_contacts"].PositiveInteger();
  if (!n["max_event_bytes"].IsNull()) {
    l.max_event_bytes = n["max_event_bytes"].PositiveInteger();
    if (l.max_event_bytes > 16 * 1024 * 1024) n["max_event_bytes"].Fail("must be at most 16777216");
  }
  if (!n["max_sources"].IsNull()) l.max_sources = n["max_sources"].PositiveInteger();
  if (!n["dedup_ids"].IsNull()) l.dedup_ids = n["dedup_ids"].PositiveInteger();
  if (!n["contact_ttl"].IsNull()) {
    l.contact_ttl_ms = n["contact_ttl"].DurationMs();
    if (l.contact_ttl_ms < 60'000) n["contact_ttl"].Fail("must be at least 1m");
  }
  if (!n["wrap_timeout"].IsNull()) {
    l.wrap_timeout_ms = n["wrap_timeout"].DurationMs();
    if (l.wrap_timeout_ms < 1000) n["wrap_timeout"].Fail("must be at least 1s");
  }
  for (const char* key : {"max_queues", "max_agents", "max_contacts", "max_sources", "dedup_ids"}) {
    if (!n[key].IsNull() && n[key].Integer() > 100'000'000)
      n[key].Fail("must be at most 100000000");
  }
}

const std::set<std::string> kInstantMeasures = {
    "waiting_contacts",  "oldest_wait_seconds", "active_contacts", "agents_available",
    "agents_on_contact", "agents_acw",          "agents_not_ready",
    "waiting_contacts_no_agent_available"};
const std::set<std::string> kWindowedMeasures = {
    "service_level_ratio", "abandon_ratio",     "asa_seconds",       "aht_seconds",
    "offered_contacts",    "answered_contacts", "abandoned_contacts"};

AlertRule ParseAlert(const Node& item, const std::vector<WindowSpec>& windows) {
  // Errors name the rule as well as the key: alerts[2] (LongestWait).threshold (line 40).
  const std::string rule_name =
      !item.IsNull() && !item["name"].IsNull() ? item["name"].Str() : std::string();
  const Node n = rule_name.empty() ? item : item.Renamed(item.path() + " (" + rule_name + ")");
  n.ExpectMap({"name", "measure", "window", "op", "threshold", "for", "clear", "min_contacts",
               "queues", "channels", "severity", "escalate", "labels", "annotations", "active"});
  AlertRule r;
  for (const char* key : {"name", "measure", "op", "threshold"}) {
    if (n[key].IsNull()) n.Fail(std::string(key) + " is required");
  }
  r.name = n["name"].Str();
  if (!std::regex_match(r.name, kLabelName))
    n["name"].Fail("must be like LongestWait (letters, digits, _)");
  r.measure = n["measure"].Str();
  const bool windowed = kWindowedMeasures.count(r.measure) > 0;
  if (!windowed && kInstantMeasures.count(r.measure) == 0)
    n["measure"].Fail("unknown measure '" + r.measure + "'");
  if (windowed) {
    if (n["window"].IsNull()) n.Fail("window is required for measure " + r.measure);
    r.window = n["window"].Str();
    if (std::none_of(windows.begin(), windows.end(),
                     [&](const WindowSpec& w) { return w.label == r.window; })) {
      const auto ms = ParseDurationMs(r.window);
      const std::string label = ms ? FormatDurationMs(*ms) : r.window;
      if (std::none_of(windows.begin(), windows.end(),
                       [&](const WindowSpec& w) { return w.label == label; })) {
        n["window"].Fail("'" + r.window + "' is not one of the configured windows");
      }
      r.window = label;
    }
  } else if (!n["window"].IsNull()) {
    n["window"].Fail("measure " + r.measure + " is not windowed");
  }
  r.op = n["op"].Str();
  if (r.op != ">" && r.op != ">=" && r.op != "<" && r.op != "<=" && r.op != "==" && r.op != "!=") {
    n["op"].Fail("must be one of > >= < <= == !=");
  }
  r.threshold = n["threshold"].Number();
  if (!n["for"].IsNull()) r.for_ms = n["for"].DurationMs();
  if (!n["clear"].IsNull()) r.clear = n["clear"].Number();
  if (!n["min_contacts"].IsNull()) {
    r.min_contacts = n["min_contacts"].Integer();
    if (r.min_contacts < 0) n["min_contacts"].Fail("must be 0 or more");
  }
  if (!n["queues"].IsNull()) r.queues = n["queues"].StringList();
  if (!n["channels"].IsNull()) r.channels = n["channels"].StringList();
  if (!n["severity"].IsNull()) r.severity = n["severity"].Str();
  for (const Node& step : n["escalate"].Items()) {
    step.ExpectMap({"after", "severity"});
    if (step["after"].IsNull() || step["severity"].IsNull()) step.Fail("needs after and severity");
    EscalationStep s{step["after"].DurationMs(), step["severity"].Str()};
    if (!r.escalate.empty() && s.after_ms <= r.escalate.back().after_ms) {
      step["after"].Fail("steps must come in increasing order of after");
    }
    r.escalate.push_back(s);
  }
  r.labels = n["labels"].StringMap();
  ValidateLabels(n["labels"], r.labels);
  r.annotations = n["annotations"].StringMap();
  if (!n["active"].IsNull()) {
    r.business_hours_only = n["active"].OneOf<bool>({{"always", false}, {"business_hours", true}});
  }
  return r;
}

void ParseNotify(const Node& n, NotifyConfig& notify) {
  n.ExpectMap({"alertmanager", "webhooks", "zmq_pub"});
  const Node am = n["alertmanager"];
  am.ExpectMap({"urls", "resend_interval"});
  notify.alertmanager_urls = am["urls"].StringList();
  if (!am["resend_interval"].IsNull()) {
    notify.alertmanager_resend_interval_ms = am["resend_interval"].DurationMs();
    if (notify.alertmanager_resend_interval_ms < 1000)
      am["resend_interval"].Fail("must be at least 1s");
  }
  for (const Node& hook : n["webhooks"].Items()) {
    hook.ExpectMap({"url"});
    if (hook["url"].IsNull()) hook.Fail("url is required");
    notify.webhook_urls.push_back(hook["url"].Str());
  }
  // Delivery speaks plain HTTP (put a TLS-terminating proxy in front where needed).
  for (const std::string& url : notify.alertmanager_urls) {
    if (url.rfind("http://", 0) != 0) {
      am["urls"].Fail("must be http:// URLs (https is not supported yet), got '" + url + "'");
    }
  }
  const std::vector<Node> hooks = n["webhooks"].Items();
  for (size_t i = 0; i < notify.webhook_urls.size(); ++i) {
    if (notify.webhook_urls[i].rfind("http://", 0) != 0) {
      hooks[i]["url"].Fail("must be an http:// URL (https is not supported yet)");
    }
  }
  if (!n["zmq_pub"].IsNull()) notify.zmq_pub = n["zmq_pub"].Str();
}

Config Parse(const YAML::Node& root_yaml) {
  Config c;
  c.windows = DefaultWindows();
  const Node root(root_yaml, "");
  root.ExpectMap({"http", "inputs", "state", "windows", "defaults", "unknown_queues", "queues",
                  "limits", "alerts", "notify", "wait_buckets"});
  if (root.IsNull()) return c;
  ParseHttp(root["http"], c.http);
  if (!root["inputs"].IsNull()) {
    c.inputs.clear();
    for (const Node& item : root["inputs"].Items()) c.inputs.push_back(ParseInput(item));
  }
  ParseState(root["state"], c.state);
  if (!root["windows"].IsNull()) c.windows = ParseWindows(root["windows"]);
  ParseDefaults(root["defaults"], c.defaults);
  if (!root["unknown_queues"].IsNull()) {
    c.unknown_queues = root["unknown_queues"].OneOf<UnknownQueues>(
        {{"accept", UnknownQueues::kAccept}, {"reject", UnknownQueues::kReject}});
  }
  ParseLimits(root["limits"], c.limits);
  std::set<std::string> ids;
  for (const Node& item : root["queues"].Items()) {
    QueueConfig q = ParseQueue(item);
    if (!ids.insert(q.id).second) item["id"].Fail("queue '" + q.id + "' is defined twice");
    c.queues.push_back(std::move(q));
  }
  if (static_cast<int64_t>(c.queues.size()) > c.limits.max_queues) {
    root["queues"].Fail("more queues than limits.max_queues");
  }
  for (const Node& item : root["alerts"].Items()) c.alerts.push_back(ParseAlert(item, c.windows));
  ParseNotify(root["notify"], c.notify);
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

ConfigResult LoadConfigFromString(const std::string& yaml_text) {
  try {
    return Parse(YAML::Load(yaml_text));
  } catch (const Invalid& e) {
    return ConfigError{e.message};
  } catch (const YAML::Exception& e) {
    return ConfigError{"config (line " + std::to_string(e.mark.line + 1) + "): " + e.msg};
  }
}

ConfigResult LoadConfigFromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return ConfigError{path + ": cannot be read"};
  std::stringstream text;
  text << in.rdbuf();
  ConfigResult result = LoadConfigFromString(text.str());
  if (auto* error = std::get_if<ConfigError>(&result)) {
    error->message = path + ": " + error->message;
  } else {
    std::get<Config>(result).source_path = path;
  }
  return result;
}

}  // namespace floorwatch
