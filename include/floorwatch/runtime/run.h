// The daemon's top level: load config, open inputs and the HTTP port, run the core thread,
// handle SIGHUP (reload) and SIGTERM/SIGINT (stop). main() only parses argv and calls these.
#pragma once

#include <string>

namespace floorwatch {

// Validates a config file; prints the first error to stderr. Returns the exit code (0 ok).
int CheckConfig(const std::string& path);
// Runs until SIGTERM/SIGINT. Returns the exit code: 0 on a clean stop, 1 if start-up
// failed (bad config, port in use, input cannot bind).
int Run(const std::string& config_path);

}  // namespace floorwatch
