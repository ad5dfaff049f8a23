#include "floorwatch/runtime/process_stats.h"

#include <dirent.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace floorwatch {

namespace {
void ReadProcessStatsOrThrow(DaemonInfo& info);
}  // namespace

double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  double pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return pages_resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

void MapLargeAllocations() { mallopt(M_MMAP_THRESHOLD, 4 << 20); }

void ReadProcessStats(DaemonInfo& info) {
  try {
    ReadProcessStatsOrThrow(info);
  } catch (const std::exception&) {
    info.has_process = false;  // an unreadable /proc leaves the process_* metrics out
  }
}

namespace {
void ReadProcessStatsOrThrow(DaemonInfo& info) {
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return;
  std::istringstream fields(stat.substr(close + 2));
  std::string f[22];
  for (auto& x : f) fields >> x;
  // Fields after the name, 0-based: utime 11, stime 12, starttime 19, vsize 20, rss 21.
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  info.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
  info.virtual_bytes = std::stod(f[20]);
  info.resident_bytes = std::stod(f[21]) * page;
  double boot_time = 0;
  std::ifstream proc_stat("/proc/stat");
  for (std::string line; std::getline(proc_stat, line);) {
    if (line.rfind("btime ", 0) == 0) boot_time = std::stod(line.substr(6));
  }
  info.start_time_seconds = boot_time + std::stod(f[19]) / ticks;
  int fds = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (struct dirent* e = readdir(dir)) {
      if (e->d_name[0] != '.') ++fds;
    }
    closedir(dir);
    --fds;  // the directory stream's own descriptor
  }
  info.open_fds = fds;
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) info.max_fds = static_cast<double>(lim.rlim_cur);
  info.has_process = true;
}

}  // namespace

}  // namespace floorwatch
