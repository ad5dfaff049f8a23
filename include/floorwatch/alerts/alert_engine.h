// Alert rules (config `alerts:`) evaluated from the core's live state.
//
// Pure like the core: Evaluate(core, now) reads figures and returns the transitions
// (firing, resolved) that happened at `now`; delivery is someone else's job
// (notifier.h). One alert instance per rule x queue x channel x escalation step:
//   inactive --condition--> pending --held for `for`--> firing --cleared--> (resolved)
// A firing instance resolves only once the value no longer satisfies `op clear` (when
// `clear` is set; otherwise `op threshold`). Each escalation step is an extra instance
// with its own severity, firing once the base instance has fired for `after`, and
// resolving with it. Rules with `active: business_hours` hold only while the queue's
// business hours are open (its time zone, holidays closed); outside them nothing is
// pending or firing.
// Owned by the core thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "floorwatch/core/config.h"
#include "floorwatch/core/core.h"
#include "floorwatch/core/timezone.h"

namespace floorwatch {

// A queue's weekly opening hours in its own time zone, minus holidays.
class BusinessHours {
 public:
  BusinessHours() = default;
  // `spec` and `holidays` as validated by the config loader.
  BusinessHours(const std::map<std::string, std::string>& spec,
                const std::vector<std::string>& holidays);
  // Always open when no hours are configured.
  bool OpenAt(int64_t utc_ms, const TimeZone& zone) const;

 private:
  bool configured_ = false;
  std::array<std::vector<std::pair<int, int>>, 7> open_;  // Monday = 0; minutes [from, to)
  std::vector<int64_t> holidays_;                         // local day numbers
};

struct AlertTransition {
  bool firing = true;  // false: resolved
  std::string alertname;
  std::string severity;
  std::string queue;
  std::string channel;
  double value = 0;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;                     // resolved only
  std::map<std::string, std::string> labels;  // alertname, queue, channel, severity + rule labels
  std::map<std::string, std::string> annotations;  // templated, plus `value`
};

// What /api/v1/alerts and floorwatch_alerts_firing show.
struct ActiveAlert {
  std::string alertname;
  std::string severity;
  std::string queue;
  std::string channel;
  bool firing = false;  // false: pending
  double value = 0;
  double threshold = 0;
  int64_t active_since_ms = 0;  // condition true since
  int64_t firing_since_ms = 0;  // 0 while pending
  std::map<std::string, std::string> annotations;
};

class AlertEngine {
 public:
  explicit AlertEngine(const Config& config);
  // Keeps the state of instances whose rule (by name and position) survives the reload.
  void Reconfigure(const Config& config);
  std::vector<AlertTransition> Evaluate(const Core& core, int64_t now_ms);
  std::vector<ActiveAlert> Active(const Core& core) const;

  // The value a rule's measure has for one queue/channel now, and how many contacts it
  // rests on (for min_contacts). NaN when there is no value (a ratio of nothing).
  static Reading Measure(const AlertRule& rule, const Core& core, uint32_t queue_channel,
                         int64_t now_ms);

  // A rule prepared against a core: which model's measure, which window, and which
  // queue/channels it matches (cached per queue/channel index, filled as they appear).
  struct CompiledRule {
    Core::MeasureRef measure;
    size_t window = SIZE_MAX;  // index into Config::windows
    std::vector<int8_t> matches;
  };
  static CompiledRule Compile(const AlertRule& rule, const Core& core);
  static Reading MeasureCompiled(const CompiledRule& rule, const Core& core, uint32_t queue_channel,
                                 int64_t now_ms);

 private:
  struct Instance {
    bool firing = false;
    int64_t active_since_ms = 0;
    int64_t firing_since_ms = 0;
    double value = 0;
    std::vector<bool> steps_firing;  // per escalation step
  };
  using Key = std::pair<uint32_t, uint32_t>;  // rule index, queue/channel index

  bool Matches(const AlertRule& rule, const Core& core, uint32_t queue_channel) const;
  bool Condition(const AlertRule& rule, const Core& core, uint32_t queue_channel,
                 const Reading& reading, bool firing, int64_t now) const;
  void EvaluateOne(uint32_t rule, const Core& core, uint32_t queue_channel, int64_t now,
                   std::vector<AlertTransition>& out);
  void Advance(const AlertRule& rule, const Core& core, uint32_t queue_channel, Instance& inst,
               int64_t now, std::vector<AlertTransition>& out);
  void Resolve(const AlertRule& rule, const Core& core, uint32_t queue_channel,
               const Instance& inst, int64_t now, std::vector<AlertTransition>& out);
  AlertTransition Transition(const AlertRule& rule, const Core& core, uint32_t queue_channel,
                             const std::string& severity, const Instance& inst, bool firing,
                             int64_t now) const;

  Config config_;
  std::vector<CompiledRule> compiled_;
  std::map<std::string, BusinessHours> business_hours_;  // by queue id
  std::map<Key, Instance> instances_;
};

// Comparison of a rule: value `op` bound ("> >= < <= == !=").
bool Compare(const std::string& op, double value, double bound);
// {{queue}}, {{channel}}, {{value}}, {{threshold}}, {{alertname}}, {{severity}},
// {{window}}. Seconds show as m:ss, ratios as percent.
std::string RenderTemplate(const std::string& text, const AlertRule& rule, const std::string& queue,
                           const std::string& channel, const std::string& severity, double value);
std::string FormatMeasureValue(const std::string& measure, double value);

}  // namespace floorwatch
