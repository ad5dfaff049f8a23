// floorwatch-core-bench staffing Q C A [N]: the cost of computing every staffing figure (required
// agents by Erlang C, staffed agents, slots, free slots, estimated wait) for Q x C
// queue/channels and A agents (N contacts per queue/channel in the window, default 20), the way a
// scrape or an alert evaluation pays for it:
//   cold      the first pass (every Erlang C search done)
//   changed   a pass after an event in every queue/channel (the worst case: every window's
//             demand moved, so every search is done again)
//   tick      a pass after a Tick only (the demand is unchanged: the agents are walked again,
//             the searches come from the memo)
//   render    the staffing families of /metrics after a Tick (computed afresh, then written)
//   evaluate  one alert evaluation of a staffing_gap_agents rule over every queue/channel
// Each over 21 rounds; medians and maxima in ms.
#include "staffing_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
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

Config StaffingConfig() {
  ConfigResult r = LoadConfigFromString(R"(
limits: {max_queues: 100000, max_agents: 1000000, max_contacts: 4000000}
defaults: {staffing: {window: 15m, max_occupancy: 0.85}}
alerts: [{name: ShortOfAgents, measure: staffing_gap_agents, op: ">", threshold: 0, for: 5m}]
)");
  if (auto* e = std::get_if<ConfigError>(&r)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    std::exit(1);
  }
  return std::get<Config>(r);
}

void Apply(Core& core, const std::string& json, int64_t now) {
  if (core.OnPayload(json, now).outcome != Outcome::kApplied) {
    std::fprintf(stderr, "not applied: %s\n", json.c_str());
    std::exit(1);
  }
}

// Demand in the 15-minute window of every queue/channel: `per_window` contacts with AHT from 30 s
// to 30 min, and queue 0's voice at 1,000 Erlangs (5,000 contacts, AHT 3 min). Of each
// queue/channel's contacts, 4 stay connected to an agent and 2 wait.
void FeedDemand(Core& core, int queues, int channels, int agents, int per_window, int64_t now) {
  long id = 0;
  for (int q = 0; q < queues; ++q) {
    for (int c = 0; c < channels; ++c) {
      const bool big = q == 0 && c == 0;
      const int offered = big ? 5000 : per_window;
      // Handled contacts end inside the window, so a long AHT ends early: the window's AHT
      // (and load) is what the output reports.
      const int64_t aht = big ? 180'000 : 30'000 + (q * 3 + c) * 37'000 % 1'770'000;
      const int64_t span = big ? 700'000 : 880'000;
      const std::string where = std::string(R"(,"queue":"queue-)") + std::to_string(q) +
                                R"(","channel":")" + kChannels[c] + "\"}";
      for (int k = 0; k < offered; ++k) {
        const int64_t t = now - 890'000 + k * (span / offered);
        const std::string contact = R"(,"contact":"c)" + std::to_string(id++) + "\"";
        Apply(core, R"({"type":"contact.queued","ts":)" + std::to_string(t) + contact + where, now);
        if (k < 2) continue;  // waiting
        const std::string agent = "agent-" + std::to_string(id % agents);
        Apply(core,
              R"({"type":"contact.answered","ts":)" + std::to_string(t) + contact +
                  R"(,"agent":")" + agent + "\"}",
              now);
        if (k < 6) continue;  // connected
        Apply(core,
              R"({"type":"contact.ended","ts":)" + std::to_string(std::min(t + aht, now)) +
                  contact + "}",
              now);
      }
    }
  }
}

// Agents in three queues each, over the states; every other one with a capacity map.
void FeedAgents(Core& core, int queues, int agents, int64_t now) {
  static const char* kStates[] = {"available", "on_contact", "acw", "not_ready"};
  for (int a = 0; a < agents; ++a) {
    const std::string agent = R"(,"agent":"agent-)" + std::to_string(a) + "\"";
    std::string login = R"({"type":"agent.login","ts":)" + std::to_string(now) + agent +
                        R"(,"queues":["queue-)" + std::to_string(a % queues) + R"(","queue-)" +
                        std::to_string((a * 7 + 1) % queues) + R"(","queue-)" +
                        std::to_string((a * 13 + 2) % queues) + "\"]";
    if (a % 2) login += R"(,"capacity":{"voice":1,"chat":3})";
    Apply(core, login + "}", now);
    Apply(core,
          R"({"type":"agent.state","ts":)" + std::to_string(now) + agent + R"(,"state":")" +
              kStates[a % 4] + "\"}",
          now);
  }
}

struct Timings {
  double cold_ms;
  Stats changed, tick, evaluate, render;
  size_t render_lines;
  double checksum;
};

// One JSON line: the state measured (queue/channel 0 is the 1,000-Erlang one) and the times.
void Report(const StaffingModel& model, uint32_t qcs, int agents, const Timings& t) {
  int64_t staffed = 0;
  double load_max = 0, load_sum = 0;
  for (uint32_t qc = 1; qc < qcs; ++qc) {
    const StaffingFigures& f = model.Figures(qc);
    staffed += f.staffed_agents;
    load_max = std::max(load_max, f.load_erlangs);
    load_sum += f.load_erlangs;
  }
  const StaffingFigures& big = model.Figures(0);
  std::printf(
      "{\"bench\":\"staffing\",\"queue_channels\":%u,\"agents\":%d,\"staffed_per_queue_channel\":"
      "%.1f,\"load_erlangs_mean\":%.1f,\"load_erlangs_max\":%.1f,\"big_load_erlangs\":%.1f,"
      "\"big_required_agents\":%.0f,\"cold_ms\":%.2f,\"changed_median_ms\":%.2f,"
      "\"changed_max_ms\":%.2f,\"tick_median_ms\":%.2f,\"tick_max_ms\":%.2f,"
      "\"evaluate_median_ms\":%.2f,\"evaluate_max_ms\":%.2f,\"render_median_ms\":%.2f,"
      "\"render_max_ms\":%.2f,\"render_lines\":%zu,\"checksum\":%.0f}\n",
      qcs, agents, double(staffed) / (qcs - 1), load_sum / (qcs - 1), load_max, big.load_erlangs,
      big.required_agents, t.cold_ms, t.changed.median, t.changed.max, t.tick.median, t.tick.max,
      t.evaluate.median, t.evaluate.max, t.render.median, t.render.max, t.render_lines, t.checksum);
}

// The forecast figures (forecast_model.h) with a row for every queue/channel in the interval
// now running: a scrape's forecast families, and every forecast measure of every
// queue/channel once (what seven alert rules on them cost per evaluation).
void ForecastBench(Core& core, const Config& config, int64_t now) {
  constexpr int64_t kInterval = 30 * 60'000;
  auto table = std::make_shared<Forecast>();
  table->interval_ms = kInterval;
  table->has_scheduled = true;
  const QueueDirectory& directory = core.directory();
  for (uint32_t qc = 0; qc < directory.size(); ++qc) {
    table->series[{directory.QueueOf(qc).id, directory[qc].channel}] = {
        ForecastInterval{now - now % kInterval, 100.0 + qc % 50, 180, 14}};
  }
  Config with_forecast = config;
  with_forecast.forecast.interval_ms = kInterval;
  with_forecast.forecast.table = table;
  core.Reconfigure(with_forecast);
  const ForecastModel& model = core.models().forecast;
  std::string body;
  size_t lines = 0;
  const Stats render = Time([&](int round) { core.Tick(now + 200 + round); },
                            [&](int) {
                              body.clear();
                              MetricWriter writer(body);
                              model.RenderMetrics(writer, now);
                              lines = size_t(std::count(body.begin(), body.end(), '\n'));
                            });
  double checksum = 0;
  const Stats measure = Time([&](int round) { core.Tick(now + 300 + round); },
                             [&](int) {
                               for (uint32_t qc = 0; qc < directory.size(); ++qc) {
                                 for (size_t m = 0; m < model.measures().size(); ++m)
                                   checksum += model.Measure(m, qc, 0, now).value;
                               }
                             });
  std::printf(
      "{\"bench\":\"forecast\",\"queue_channels\":%zu,\"render_median_ms\":%.2f,"
      "\"render_max_ms\":%.2f,\"render_lines\":%zu,\"all_measures_median_ms\":%.2f,"
      "\"all_measures_max_ms\":%.2f,\"checksum\":%.0f}\n",
      directory.size(), render.median, render.max, lines, measure.median, measure.max, checksum);
}

}  // namespace

int StaffingBench(int queues, int channels, int agents, int per_window) {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const Config config = StaffingConfig();
  Core core(config);
  FeedAgents(core, queues, agents, now);
  FeedDemand(core, queues, channels, agents, per_window, now);
  core.Tick(now);
  const StaffingModel& model = core.models().staffing;
  const uint32_t qcs = static_cast<uint32_t>(core.directory().size());
  const auto t0 = Clock::now();
  double checksum = model.Figures(0).required_agents;
  const double cold_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  // Before each timed pass, untimed: a new contact in every queue/channel, which moves every
  // window's offered count, so every search is done again.
  long extra = 0;
  const Stats changed = Time(
      [&](int) {
        for (uint32_t qc = 0; qc < qcs; ++qc) {
          Apply(core,
                R"({"type":"contact.queued","ts":)" + std::to_string(now) + R"(,"contact":"x)" +
                    std::to_string(extra++) + R"(","queue":")" + core.directory().QueueOf(qc).id +
                    R"(","channel":")" + std::string(ChannelName(core.directory()[qc].channel)) +
                    "\"}",
                now);
        }
      },
      [&](int) { checksum += model.Figures(0).required_agents; });
  const Stats tick = Time([&](int round) { core.Tick(now + round); },
                          [&](int) { checksum += model.Figures(0).required_agents; });
  // A scrape's part: the staffing families of /metrics, after a Tick (so computed afresh).
  std::string body;
  size_t lines = 0;
  const Stats render = Time([&](int round) { core.Tick(now + 50 + round); },
                            [&](int) {
                              body.clear();
                              MetricWriter writer(body);
                              model.RenderMetrics(writer, now);
                              lines =
                                  static_cast<size_t>(std::count(body.begin(), body.end(), '\n'));
                            });
  AlertEngine engine(config);
  const Stats evaluate = Time([&](int round) { core.Tick(now + 100 + round); },
                              [&](int round) { engine.Evaluate(core, now + 100 + round); });
  Report(model, qcs, agents, {cold_ms, changed, tick, evaluate, render, lines, checksum});
  ForecastBench(core, config, now);
  return 0;
}

}  // namespace floorwatch::bench
