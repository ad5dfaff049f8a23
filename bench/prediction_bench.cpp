// floorwatch-core-bench prediction Q A W: the cost of the prediction figures (projected
// breaches, seconds to breach, projected service level) of Q x 3 queue/channels with A agents
// and W waiting contacts, the way a scrape or an alert evaluation pays for it:
//   cold       the first read (every queue/channel's line put in answer order, the staffing
//              figures and every Erlang C service level computed)
//   changed    (last: it leaves one more contact waiting in each) a read after a contact started or
//   stopped waiting in *every* queue/channel
//              (every line ordered again, the staffing figures recomputed): the worst case
//   tick       a read after a Tick only (the staffing figures recomputed; the lines and the
//              service levels come from their caches, the ages are taken anew)
//   now        a read at a new time and nothing else changed: an evaluation every 200 ms
//              between events (only the ages are taken anew)
//   one_event  a read after one contact joined one queue/channel (one line ordered again)
//   evaluate   one alert evaluation of a projected_breaches rule over every queue/channel,
//              after a Tick
//   render     the prediction families of /metrics, after a Tick
// Each over 21 rounds; medians and maxima in ms. Agents: 60% on a call (connected), 20% in
// after-contact work, 10% available, 10% not ready; each in 3 queues, every other one with a
// capacity map. The waiting contacts are spread unevenly (the busiest queue/channel holds
// hundreds), aged 0 - 60 s, one in 20 with a priority above 0 and one in 50 below.
#include "prediction_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "floorwatch/alerts/alert_engine.h"
#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/core.h"
#include "floorwatch/core/exposition.h"
#include "timing.h"

namespace floorwatch::bench {
namespace {

using Clock = std::chrono::steady_clock;

const char* const kChannels[] = {"voice", "chat", "email"};

Config PredictionConfig() {
  ConfigResult r = LoadConfigFromString(R"(
limits: {max_queues: 100000, max_agents: 1000000, max_contacts: 4000000}
defaults: {service_level: {threshold_seconds: 20}, staffing: {window: 15m}}
alerts: [{name: BreachAhead, measure: projected_breaches, op: ">", threshold: 0, for: 0s}]
)");
  if (auto* e = std::get_if<ConfigError>(&r)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    std::exit(1);
  }
  return std::get<Config>(r);
}

// Applies one event built printf-style; a refused one ends the bench.
void Send(Core& core, int64_t now, const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  if (core.OnPayload(buf, now).outcome != Outcome::kApplied) {
    std::fprintf(stderr, "not applied: %s\n", buf);
    std::exit(1);
  }
}

uint64_t Mix(uint64_t x) {  // splitmix64: a deterministic spread
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
double Unit(uint64_t x) { return static_cast<double>(Mix(x) >> 11) / 9007199254740992.0; }

// Eight contacts handled in every queue/channel's staffing window, AHT 60 s to 10 min.
void FeedDemand(Core& core, int queues, int64_t now) {
  long id = 0;
  for (int q = 0; q < queues; ++q) {
    for (int c = 0; c < 3; ++c) {
      const int64_t aht = 60'000 + (q * 3 + c) * 7'919 % 540'000;
      for (int k = 0; k < 8; ++k, ++id) {
        const long long t = now - 850'000 + k * 30'000;
        Send(core, now,
             R"({"type":"contact.queued","ts":%lld,"contact":"h%ld","queue":"q%d","channel":"%s"})",
             t, id, q, kChannels[c]);
        Send(core, now, R"({"type":"contact.answered","ts":%lld,"contact":"h%ld","agent":"gone"})",
             t, id);
        Send(core, now, R"({"type":"contact.ended","ts":%lld,"contact":"h%ld"})", t + aht, id);
      }
    }
  }
}

void FeedAgents(Core& core, int queues, int agents, int64_t now) {
  for (int a = 0; a < agents; ++a) {
    const int q = a % queues;
    Send(core, now,
         R"({"type":"agent.login","ts":%lld,"agent":"a%d","queues":["q%d","q%d","q%d"]%s})",
         (long long)now, a, q, (a * 7 + 1) % queues, (a * 13 + 2) % queues,
         a % 2 ? R"(,"capacity":{"voice":1,"chat":3})" : "");
    const int kind = a % 10;
    const char* state = kind < 6   ? "on_contact"
                        : kind < 8 ? "acw"
                        : kind < 9 ? "available"
                                   : "not_ready";
    Send(core, now, R"({"type":"agent.state","ts":%lld,"agent":"a%d","state":"%s"})",
         (long long)now, a, state);
    if (kind >= 6) continue;
    // On a call of its first queue, on voice.
    Send(core, now, R"({"type":"contact.queued","ts":%lld,"contact":"t%d","queue":"q%d"})",
         (long long)now - 30'000, a, q);
    Send(core, now, R"({"type":"contact.answered","ts":%lld,"contact":"t%d","agent":"a%d"})",
         (long long)now - 30'000, a, a);
  }
}

void FeedWaiting(Core& core, int queues, int waiting, int64_t now) {
  const int qcs = queues * 3;
  for (int w = 0; w < waiting; ++w) {
    const double u = Unit(2 * w);
    const int qc = std::min(qcs - 1, static_cast<int>(qcs * u * u));  // skewed to low indices
    const long long ts = now - static_cast<long long>(Unit(2 * w + 1) * 60'000);
    const int priority = w % 20 == 0 ? 1 + w % 3 : w % 50 == 1 ? -1 : 0;
    Send(
        core, now,
        R"({"type":"contact.queued","ts":%lld,"contact":"w%d","queue":"q%d","channel":"%s","priority":%d})",
        ts, w, qc / 3, kChannels[qc % 3], priority);
  }
}

void PrintStats(const char* name, const Stats& s) {
  std::printf(",\"%s_median_ms\":%.3f,\"%s_max_ms\":%.3f", name, s.median, name, s.max);
}

// The state the figures were read from: how many wait, and what the figures found.
void PrintState(const Core& core, int64_t now) {
  const PredictionModel& model = core.models().prediction;
  const uint32_t qcs = static_cast<uint32_t>(core.directory().size());
  int64_t waiting = 0, most = 0, breaches = 0, with_breach = 0, nan = 0;
  for (uint32_t qc = 0; qc < qcs; ++qc) {
    const PredictionFigures& f = model.Figures(qc, now);
    waiting += f.waiting;
    most = std::max(most, f.waiting);
    if (std::isnan(f.projected_breaches)) {
      ++nan;
    } else {
      breaches += static_cast<int64_t>(f.projected_breaches);
      with_breach += f.projected_breaches > 0;
    }
  }
  std::printf(
      "{\"bench\":\"prediction\",\"queue_channels\":%u,\"agents\":%zu,\"waiting\":%lld,"
      "\"most_waiting_in_one\":%lld,\"projected_breaches\":%lld,\"queue_channels_with_breach\":%"
      "lld,"
      "\"queue_channels_nan\":%lld",
      qcs, core.models().agents.agents().size(), (long long)waiting, (long long)most,
      (long long)breaches, (long long)with_breach, (long long)nan);
}

}  // namespace

int PredictionBench(int queues, int agents, int waiting) {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const Config config = PredictionConfig();
  Core core(config);
  FeedDemand(core, queues, now);
  FeedAgents(core, queues, agents, now);
  FeedWaiting(core, queues, waiting, now);
  core.Tick(now);
  const PredictionModel& model = core.models().prediction;
  const uint32_t qcs = static_cast<uint32_t>(core.directory().size());
  double checksum = 0;
  const auto read = [&](int64_t at) { checksum += model.Figures(0, at).projected_breaches; };
  const auto t0 = Clock::now();
  read(now);
  const double cold_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  PrintState(core, now);
  std::printf(",\"cold_ms\":%.3f", cold_ms);
  // In every queue/channel one contact joins (even rounds) or the one that joined abandons.
  const auto every_queue_channel = [&](int round) {
    for (uint32_t qc = 0; qc < qcs; ++qc) {
      const int id = (round / 2) * static_cast<int>(qcs) + static_cast<int>(qc);
      if (round % 2 == 0) {
        Send(core, now,
             R"({"type":"contact.queued","ts":%lld,"contact":"x%d","queue":"%s","channel":"%s"})",
             (long long)now, id, core.directory().QueueOf(qc).id.c_str(),
             std::string(ChannelName(core.directory()[qc].channel)).c_str());
      } else {
        Send(core, now, R"({"type":"contact.abandoned","ts":%lld,"contact":"x%d"})", (long long)now,
             id);
      }
    }
  };
  PrintStats("tick", Time([&](int i) { core.Tick(now + 10 * i + 1); },
                          [&](int i) { read(now + 10 * i + 1); }));
  PrintStats("now", Time([](int) {}, [&](int i) { read(now + 300 + i); }));
  PrintStats("one_event",
             Time(
                 [&](int i) {
                   Send(core, now,
                        R"({"type":"contact.queued","ts":%lld,"contact":"y%d","queue":"q%d"})",
                        (long long)now, i, i % queues);
                 },
                 [&](int) { read(now + 400); }));
  AlertEngine engine(config);
  PrintStats("evaluate", Time([&](int i) { core.Tick(now + 500 + i); },
                              [&](int i) { engine.Evaluate(core, now + 500 + i); }));
  std::string body;
  PrintStats("render", Time([&](int i) { core.Tick(now + 600 + i); },
                            [&](int i) {
                              body.clear();
                              MetricWriter writer(body);
                              model.RenderMetrics(writer, now + 600 + i);
                            }));
  PrintStats("changed", Time(every_queue_channel, [&](int) { read(now); }));
  std::printf(",\"render_lines\":%zu,\"checksum\":%.0f}\n",
              static_cast<size_t>(std::count(body.begin(), body.end(), '\n')), checksum);
  return 0;
}

}  // namespace floorwatch::bench
