// The command line of floorwatch-bridge (ADAPTERS.md; docs/bridge.md):
//   floorwatch-bridge asterisk --queue-log FILE [--from start|end] [--once]
//                              [--agent-pattern REGEX] [--speed N]  COMMON
//   floorwatch-bridge connect  --listen HOST:PORT --api-key-file FILE [--stdin]  COMMON
//                              (--stdin alone, without --listen, is allowed too)
//   floorwatch-bridge twilio   --listen HOST:PORT --auth-token-file FILE --public-url URL
//                              COMMON
//   COMMON: --publish ENDPOINT (PUB, binds) | --push ENDPOINT (PUSH, connects), at least one,
//           each may be repeated; [--replay ENDPOINT] (ROUTER, binds) [--source NAME]
//           [--state-dir DIR] [--metrics HOST:PORT] [--replay-buffer N] [--check]
// `--flag value` and `--flag=value` are both accepted. Only syntax is checked here (pure);
// whether files are readable and endpoints can be bound is io/check.h's.
//
// Another platform adds its own flags in a table of options.cpp (PlatformFlags) and its own
// struct below; COMMON is shared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace floorwatch::bridge {

struct CommonOptions {
  std::vector<std::string> publish;  // PUB endpoints to bind
  std::vector<std::string> push;     // PUSH endpoints to connect
  std::string replay;                // ROUTER endpoint to bind; empty: no replay
  std::string source;                // empty: "<platform>-<host name>"
  std::string state_dir;             // empty: no durable state
  std::string metrics;               // HOST:PORT; empty: no /metrics
  uint64_t replay_buffer = 100'000;  // events kept for replay
  bool check = false;
};

struct AsteriskOptions {
  std::string queue_log;
  bool from_end = false;
  bool once = false;
  bool has_agent_pattern = false;
  std::string agent_pattern;
  double speed = 0;  // 0: live; N > 0: replay the file's timestamps N times faster
};

struct ConnectOptions {
  std::string listen;        // HOST:PORT serving POST /events; empty with --stdin alone
  std::string api_key_file;  // the key requests must carry in X-Api-Key
  bool stdin_lines = false;  // also read JSON lines from standard input
};

struct TwilioOptions {
  std::string listen;           // HOST:PORT
  std::string auth_token_file;  // the account's auth token (signs X-Twilio-Signature)
  std::string public_url;       // the workspace's Event Callback URL, as Twilio calls it
};

struct Options {
  std::string platform;  // asterisk, connect or twilio
  CommonOptions common;
  AsteriskOptions asterisk;
  ConnectOptions connect;
  TwilioOptions twilio;
  bool help = false;
  bool version = false;
};

// False with `error` (one line) on a usage error.
bool ParseOptions(const std::vector<std::string>& args, Options* options, std::string* error);

// Syntax checks shared by --check and start-up; empty when fine.
std::string CheckEndpoint(const std::string& endpoint, bool binds);  // tcp, ipc, inproc
std::string CheckHostPort(const std::string& host_port);             // --metrics, --listen
// --public-url: http(s)://HOST[:PORT]/PATH[?QUERY] with no fragment; sets `path` (the part
// served, "/" when the URL has none).
std::string CheckPublicUrl(const std::string& url, std::string* path = nullptr);

extern const char kUsage[];

}  // namespace floorwatch::bridge
