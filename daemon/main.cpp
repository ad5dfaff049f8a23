// floorwatchd: parses argv and hands over to the library (run.h).
#include <cstring>
#include <iostream>
#include <string>

#include "floorwatch/runtime/run.h"

namespace {
constexpr const char* kUsage =
    "usage: floorwatchd --config FILE        run the daemon\n"
    "       floorwatchd --check-config FILE  validate FILE and exit (0: good)\n"
    "       floorwatchd --version\n";
}

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::cout << "floorwatchd " FLOORWATCH_VERSION "\n";
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "--check-config") == 0)
    return floorwatch::CheckConfig(argv[2]);
  if (argc == 3 && std::strcmp(argv[1], "--config") == 0) return floorwatch::Run(argv[2]);
  std::cerr << kUsage;
  return 2;
}
