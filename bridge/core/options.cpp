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
    "       floorwatch-bridge connect  --listen HOST:PORT --api-key-file FILE [--stdin]  COMMON\n"
    "       floorwatch-bridge twilio   --listen HOST:PORT --auth-token-file FILE --public-url URL\n"
    "                                  COMMON\n"
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

const std::map<std::string, Flag>& ConnectFlags() {
  static const std::map<std::string, Flag> flags = {
      {"--listen", {true, [](auto& v, Options& o, auto*) { return o.connect.listen = v, true; }}},
      {"--api-key-file",
       {true, [](auto& v, Options& o, auto*) { return o.connect.api_key_file = v, true; }}},
      {"--stdin", {false, [](auto&, Options& o, auto*) { return o.connect.stdin_lines = true; }}},
  };
  return flags;
}

const std::map<std::string, Flag>& TwilioFlags() {
  static const std::map<std::string, Flag> flags = {
      {"--listen", {true, [](auto& v, Options& o, auto*) { return o.twilio.listen = v, true; }}},
      {"--auth-token-file",
       {true, [](auto& v, Options& o, auto*) { return o.twilio.auth_token_file = v, true; }}},
      {"--public-url",
       {true, [](auto& v, Options& o, auto*) { return o.twilio.public_url = v, true; }}},
  };
  return flags;
}

const std::map<std::string, Flag>* PlatformFlags(const std::string& platform) {
  if (platform == "asterisk") return &AsteriskFlags();
  if (platform == "connect") return &ConnectFlags();
  if (platform == "twilio") return &TwilioFlags();
  return nullptr;
}

const Flag* FindFlag(const std::string& platform, const std::string& name) {
  if (const auto it = CommonFlags().find(name); it != CommonFlags().end()) return &it->second;
  if (const auto* flags = PlatformFlags(platform)) {
    if (const auto it = flags->find(name); it != flags->end()) return &it->second;
  }
  return nullptr;
}

bool CheckPlatformRequired(const Options& o, std::string* error) {
  if (o.platform == "asterisk" && o.asterisk.queue_log.empty()) {
    return *error = "asterisk: --queue-log FILE is required", false;
  }
  if (o.platform == "connect") {
    const ConnectOptions& c = o.connect;
    if (c.listen.empty() && !c.stdin_lines) {
      return *error = "connect: --listen HOST:PORT (with --api-key-file) or --stdin is required",
             false;
    }
    if (!c.listen.empty() && c.api_key_file.empty()) {
      return *error = "connect: --listen needs --api-key-file FILE", false;
    }
  }
  if (o.platform == "twilio") {
    const TwilioOptions& t = o.twilio;
    if (t.listen.empty() || t.auth_token_file.empty() || t.public_url.empty()) {
      return *error = "twilio: --listen, --auth-token-file and --public-url are required", false;
    }
  }
  return true;
}

bool CheckRequired(const Options& o, std::string* error) {
  if (o.common.publish.empty() && o.common.push.empty()) {
    return *error = "give at least one --publish or --push endpoint", false;
  }
  if (!CheckPlatformRequired(o, error)) return false;
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

std::string CheckPublicUrl(const std::string& url, std::string* path) {
  const std::string_view u = url;
  const size_t scheme = u.find("://");
  const std::string_view name = u.substr(0, scheme);
  const std::string why = "'" + url + "': expected http(s)://HOST[:PORT]/PATH[?QUERY]";
  if (scheme == std::string_view::npos || (name != "https" && name != "http")) return why;
  const std::string_view rest = u.substr(scheme + 3);
  const size_t slash = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, slash);
  const size_t colon = authority.rfind(':');
  const bool bracketed = !authority.empty() && authority.back() == ']';
  const std::string_view host =
      bracketed || colon == std::string_view::npos ? authority : authority.substr(0, colon);
  if (host.empty() || authority.find_first_of("@ \t") != std::string_view::npos) return why;
  if (!bracketed && colon != std::string_view::npos &&
      !ParsePort(authority.substr(colon + 1), false)) {
    return why + " (the port must be 1-65535)";
  }
  const std::string_view tail = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (tail.find('#') != std::string_view::npos) return why + " (no #fragment)";
  if (tail.find_first_of(" \t\r\n") != std::string_view::npos) return why + " (no spaces)";
  const std::string_view target = tail.substr(0, tail.find('?'));
  if (path != nullptr) *path = target.empty() ? "/" : std::string(target);
  return {};
}

bool ParseOptions(const std::vector<std::string>& args, Options* options, std::string* error) {
  Options o;
  size_t i = 0;
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) return options->help = true;
  if (!args.empty() && args[0] == "--version") return options->version = true;
  if (args.empty() || args[0].rfind("--", 0) == 0) return *error = "name a platform first", false;
  o.platform = args[i++];
  if (PlatformFlags(o.platform) == nullptr) {
    return *error = "unknown platform '" + o.platform + "' (asterisk, connect or twilio)", false;
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
