// The command line of floorwatch-bridge (ADAPTERS.md; docs/bridge.md):
//   floorwatch-bridge asterisk --queue-log FILE [--from start|end] [--once]
//                              [--agent-pattern REGEX] [--speed N]  COMMON
//   COMMON: --publish ENDPOINT (PUB, binds) | --push ENDPOINT (PUSH, connects), at least one,
//           each may be repeated; [--replay ENDPOINT] (ROUTER, binds) [--source NAME]
//           [--state-dir DIR] [--metrics HOST:PORT] [--replay-buffer N] [--check]
// `--flag value` and `--flag=value` are both accepted. Only syntax is checked here (pure);
// whether files are readable and endpoints can be bound is io/check.h's.
//
// Another platform adds its own flags in ParsePlatformFlag's table and its own struct
// below; COMMON is shared.
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

struct Options {
  std::string platform;  // asterisk (connect and twilio: not in this build yet)
  CommonOptions common;
  AsteriskOptions asterisk;
  bool help = false;
  bool version = false;
};

// False with `error` (one line) on a usage error.
bool ParseOptions(const std::vector<std::string>& args, Options* options, std::string* error);

// Syntax checks shared by --check and start-up; empty when fine.
std::string CheckEndpoint(const std::string& endpoint, bool binds);  // tcp, ipc, inproc
std::string CheckHostPort(const std::string& host_port);             // --metrics

extern const char kUsage[];

}  // namespace floorwatch::bridge
