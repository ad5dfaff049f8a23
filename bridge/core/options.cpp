#include "floorwatch/bridge/core/options.h"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>
#include <string_view>

namespace floorwatch::bridge {

const char kUsage[] =
    "usage: floorwatch-bridge asterisk --queue-log FILE [--from start|end] [--once]\n"
    "                                  [--agent-pattern REGEX] [--speed N]  COMMON\n"
    "COMMON: --publish ENDPOINT (PUB, binds) | --push ENDPOINT (PUSH, connects); at least one\n"
    "        [--replay ENDPOINT] (ROUTER, binds) [--source NAME] [--state-dir DIR]\n"
    "        [--metrics HOST:PORT] [--replay-buffer N] [--check]\n"
    "       floorwatch-bridge --version | --help\n"
    "See docs/bridge.md.\n";

namespace {

using Setter = std::function<bool(const std::string& value, Options& o, std::string* error)>;
struct Flag {
  bool takes_value;
  Setter set;
};

bool ParseCount(const std::string& v, uint64_t* out) {
  const auto r = std::from_chars(v.data(), v.data() + v.size(), *out);
  return r.ec == std::errc() && r.ptr == v.data() + v.size();
}

const std::map<std::string, Flag>& CommonFlags() {
  static const std::map<std::string, Flag> flags = {
      {"--publish",
       {true, [](auto& v, Options& o, auto*) { return o.common.publish.push_back(v), true; }}},
      {"--push",
       {true, [](auto& v, Options& o, auto*) { return o.common.push.push_back(v), true; }}},
      {"--replay", {true, [](auto& v, Options& o, auto*) { return o.common.replay = v, true; }}},
      {"--source", {true, [](auto& v, Options& o, auto*) { return o.common.source = v, true; }}},
      {"--state-dir",
       {true, [](auto& v, Options& o, auto*) { return o.common.state_dir = v, true; }}},
      {"--metrics", {true, [](auto& v, Options& o, auto*) { return o.common.metrics = v, true; }}},
      {"--check", {false, [](auto&, Options& o, auto*) { return o.common.check = true; }}},
      {"--replay-buffer",
       {true,
        [](auto& v, Options& o, std::string* e) {
          if (ParseCount(v, &o.common.replay_buffer) && o.common.replay_buffer > 0) return true;
          return *e = "--replay-buffer: a number of events > 0, got '" + v + "'", false;
        }}},
  };
  return flags;
}

bool SetSpeed(const std::string& v, Options& o, std::string* e) {
  char* end = nullptr;
  const double speed = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !(speed > 0) || speed > 1e9) {
    return *e = "--speed: a factor > 0, got '" + v + "'", false;
  }
  o.asterisk.speed = speed;
  return true;
}

const std::map<std::string, Flag>& AsteriskFlags() {
  static const std::map<std::string, Flag> flags = {
      {"--queue-log",
       {true, [](auto& v, Options& o, auto*) { return o.asterisk.queue_log = v, true; }}},
      {"--from",
       {true,
        [](auto& v, Options& o, std::string* e) {
          if (v != "start" && v != "end")
            return *e = "--from: start or end, got '" + v + "'", false;
          return o.asterisk.from_end = v == "end", true;
        }}},
      {"--once", {false, [](auto&, Options& o, auto*) { return o.asterisk.once = true; }}},
      {"--agent-pattern",
       {true,
        [](auto& v, Options& o, auto*) {
          o.asterisk.has_agent_pattern = true;
          return o.asterisk.agent_pattern = v, true;
        }}},
      {"--speed", {true, SetSpeed}},
  };
  return flags;
}

const Flag* FindFlag(const std::string& platform, const std::string& name) {
  if (const auto it = CommonFlags().find(name); it != CommonFlags().end()) return &it->second;
  if (platform == "asterisk") {
    if (const auto it = AsteriskFlags().find(name); it != AsteriskFlags().end()) {
      return &it->second;
    }
  }
  return nullptr;
}

bool CheckRequired(const Options& o, std::string* error) {
  if (o.common.publish.empty() && o.common.push.empty()) {
    return *error = "give at least one --publish or --push endpoint", false;
  }
  if (o.platform == "asterisk" && o.asterisk.queue_log.empty()) {
    return *error = "asterisk: --queue-log FILE is required", false;
  }
  if (o.asterisk.speed > 0 && !o.common.state_dir.empty()) {
    return *error = "--speed replays a file for a demo; it does not combine with --state-dir",
           false;
  }
  return true;
}

bool ParsePort(std::string_view s, bool allow_zero) {
  unsigned port = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), port);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && port <= 65535 &&
         (allow_zero || port > 0);
}

}  // namespace

std::string CheckEndpoint(const std::string& endpoint, bool binds) {
  const std::string_view e = endpoint;
  if (e.substr(0, 6) == "tcp://") {
    const std::string_view rest = e.substr(6);
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return "'" + endpoint + "': a tcp endpoint is tcp://HOST:PORT";
    }
    const std::string_view port = rest.substr(colon + 1);
    if (port == "*" && binds) return {};
    if (!ParsePort(port, false)) {
      return "'" + endpoint + "': the port must be 1-65535" + (binds ? " or *" : "");
    }
    return {};
  }
  if (e.substr(0, 6) == "ipc://" && e.size() > 6) return {};
  return "'" + endpoint + "': an endpoint is tcp://HOST:PORT or ipc://PATH";
}

std::string CheckHostPort(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !ParsePort(std::string_view(host_port).substr(colon + 1), true)) {
    return "'" + host_port + "': expected HOST:PORT (port 0 picks a free one)";
  }
  return {};
}

bool ParseOptions(const std::vector<std::string>& args, Options* options, std::string* error) {
  Options o;
  size_t i = 0;
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) return options->help = true;
  if (!args.empty() && args[0] == "--version") return options->version = true;
  if (args.empty() || args[0].rfind("--", 0) == 0) return *error = "name a platform first", false;
  o.platform = args[i++];
  if (o.platform != "asterisk") {
    return *error = "platform '" + o.platform + "' is not in this build (asterisk is)", false;
  }
  while (i < args.size()) {
    std::string name = args[i++], value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) value = name.substr(eq + 1), name.resize(eq);
    const Flag* flag = FindFlag(o.platform, name);
    if (flag == nullptr) return *error = "unknown option '" + name + "'", false;
    if (flag->takes_value && !inline_value) {
      if (i >= args.size()) return *error = name + " needs a value", false;
      value = args[i++];
    } else if (!flag->takes_value && inline_value) {
      return *error = name + " takes no value", false;
    }
    if (!flag->set(value, o, error)) return false;
  }
  if (!CheckRequired(o, error)) return false;
  *options = std::move(o);
  return true;
}

}  // namespace floorwatch::bridge
