// floorwatch-core-bench customers N | closed N: what the outcome memories cost. Each feeds N
// entries through a real Core (parse + apply, as the daemon does, events without `id` so the
// duplicate-id cache stays out of it), the daemon's clock moving 1 ms per 100 entries and the
// core ticked every 10,000, and prints the RSS delta divided by the entries then remembered.
// The other memory is held at 1 entry, so the delta is the measured one's (docs/performance.md).
#include "outcome_memory.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/core.h"
#include "floorwatch/runtime/process_stats.h"

namespace floorwatch::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Config MemoryConfig(const char* limits) {
  ConfigResult r = LoadConfigFromString(std::string("limits: {max_queues: 100000, ") + limits +
                                        "}\nteams: [{id: team-a}]\n");
  if (auto* e = std::get_if<ConfigError>(&r)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    std::exit(1);
  }
  return std::get<Config>(r);
}

// Formats one event into `buf` and applies it at daemon time `now`.
template <typename... Args>
void Feed(Core& core, int64_t now, const char* fmt, Args... args) {
  char buf[512];
  const int len = std::snprintf(buf, sizeof buf, fmt, args...);
  core.OnPayload(std::string_view(buf, static_cast<size_t>(len)), now);
}

// Queues and parser buffers exist before the baseline is read.
void WarmUp(Core& core, int64_t now) {
  for (long q = 0; q < 200; ++q) {
    Feed(core, now,
         R"({"type":"contact.queued","ts":%lld,"contact":"warm-%ld","queue":"queue-%04ld"})",
         static_cast<long long>(now), q, q);
  }
}

void Print(const char* bench, const char* what, long n, size_t remembered, uint64_t forgotten,
           double before, double after, double seconds, long events) {
  std::printf(
      "{\"bench\":\"%s\",\"entries\":%ld,\"remembered\":%zu,\"forgotten\":%llu,"
      "\"rss_before_bytes\":%.0f,\"rss_after_bytes\":%.0f,\"bytes_per_%s\":%.1f,"
      "\"seconds\":%.2f,\"events_per_second\":%.0f}\n",
      bench, n, remembered, static_cast<unsigned long long>(forgotten), before, after, what,
      remembered == 0 ? 0.0 : (after - before) / double(remembered), seconds, events / seconds);
}

}  // namespace

int CustomersMemory(long n) {
  const int64_t start = WallMs();
  Core core(MemoryConfig("max_contacts: 1000000, max_closed_contacts: 1"));
  WarmUp(core, start);
  const double before = ResidentBytes();
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    const int64_t now = start + i / 100;
    const long long ts = now;
    Feed(
        core, now,
        R"({"type":"contact.queued","ts":%lld,"contact":"c-%09ld","queue":"queue-%04ld","customer":"cust-%ld"})",
        ts, i, i % 200, i);
    Feed(core, now, R"({"type":"contact.abandoned","ts":%lld,"contact":"c-%09ld"})", ts, i);
    if (i % 10'000 == 0) core.Tick(now);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const double after = ResidentBytes();
  const auto& customers = core.models().customers;
  Print("customers", "customer", n, customers.remembered(), customers.forgotten(), before, after,
        seconds, 2 * n);
  return customers.remembered() > 0 ? 0 : 1;
}

int ClosedContactsMemory(long n) {
  const int64_t start = WallMs();
  Core core(MemoryConfig("max_contacts: 1000000, max_customers: 1"));
  WarmUp(core, start);
  Feed(
      core, start,
      R"({"type":"agent.login","ts":%lld,"agent":"agent-1","team":"team-a","queues":["queue-0000"]})",
      static_cast<long long>(start));
  const double before = ResidentBytes();
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    const int64_t now = start + i / 100;
    const long long ts = now;
    Feed(core, now,
         R"({"type":"contact.queued","ts":%lld,"contact":"c-%09ld","queue":"queue-%04ld"})", ts, i,
         i % 200);
    Feed(core, now,
         R"({"type":"contact.answered","ts":%lld,"contact":"c-%09ld","agent":"agent-1"})", ts, i);
    Feed(core, now, R"({"type":"contact.ended","ts":%lld,"contact":"c-%09ld"})", ts, i);
    Feed(core, now, R"({"type":"contact.wrapped","ts":%lld,"contact":"c-%09ld"})", ts, i);
    if (i % 10'000 == 0) core.Tick(now);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const double after = ResidentBytes();
  const auto& closed = core.models().closed_contacts;
  Print("closed", "closed_contact", n, closed.remembered(), closed.forgotten(), before, after,
        seconds, 4 * n);
  return closed.remembered() > 0 ? 0 : 1;
}

}  // namespace floorwatch::bench
