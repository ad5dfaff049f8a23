// floorwatch-bridge: real contact-centre feeds in, protocol v1 out (docs/bridge.md).
// argv only; io/runner.h does the rest.
#include <cstdio>
#include <string>
#include <vector>

#include "floorwatch/bridge/core/options.h"
#include "floorwatch/bridge/io/runner.h"

int main(int argc, char** argv) {
  using namespace floorwatch::bridge;
  Options options;
  std::string error;
  if (!ParseOptions(std::vector<std::string>(argv + 1, argv + argc), &options, &error)) {
    std::fprintf(stderr, "floorwatch-bridge: %s\n%s", error.c_str(), kUsage);
    return 2;
  }
  if (options.help) return std::fputs(kUsage, stdout), 0;
  if (options.version) return std::puts("floorwatch-bridge " FLOORWATCH_VERSION), 0;
  if (options.common.check) {
    error = CheckOptions(options);
    if (!error.empty()) return std::fprintf(stderr, "floorwatch-bridge: %s\n", error.c_str()), 1;
    return std::puts("floorwatch-bridge: ok"), 0;
  }
  return RunBridge(options);
}
