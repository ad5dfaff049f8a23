#include "floorwatch/alert_engine.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "floorwatch/figures.h"
#include "floorwatch/timestamp.h"

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int DayIndex(const std::string& d) {
  for (int i = 0; i < 7; ++i) {
    if (d == kDays[i]) return i;
  }
  return -1;
}

int Minutes(const std::string& hhmm) { return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2)); }

bool IsSecondsMeasure(const std::string& m) {
  return m == "oldest_wait_seconds" || m == "asa_seconds" || m == "aht_seconds";
}
bool IsRatioMeasure(const std::string& m) { return m == "service_level_ratio" || m == "abandon_ratio"; }

void Replace(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

// ---- Business hours -------------------------------------------------------------------------

BusinessHours::BusinessHours(const std::map<std::string, std::string>& spec,
                             const std::vector<std::string>& holidays)
    : configured_(!spec.empty()) {
  for (const auto& [days, hours] : spec) {
    const int from = Minutes(hours.substr(0, 5));
    const int to = Minutes(hours.substr(6, 5));
    size_t start = 0;
    while (start <= days.size()) {
      const size_t comma = std::min(days.find(',', start), days.size());
      const std::string part = days.substr(start, comma - start);
      const int first = DayIndex(part.substr(0, 3));
      const int last = part.size() > 3 ? DayIndex(part.substr(4, 3)) : first;
      // A range may wrap the week (sat-mon).
      for (int d = first;; d = (d + 1) % 7) {
        open_[d].push_back({from, to});
        if (d == last) break;
      }
      start = comma + 1;
    }
  }
  for (const std::string& date : holidays) {
    holidays_.push_back(DaysFromCivil(std::stoi(date.substr(0, 4)), std::stoi(date.substr(5, 2)),
                                      std::stoi(date.substr(8, 2))));
  }
}

bool BusinessHours::OpenAt(int64_t utc_ms, const TimeZone& zone) const {
  if (!configured_) return true;
  const int64_t local_ms = utc_ms + zone.OffsetSeconds(utc_ms) * 1000;
  const int64_t day = zone.LocalDay(utc_ms);
  if (std::find(holidays_.begin(), holidays_.end(), day) != holidays_.end()) return false;
  const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  const int minute = static_cast<int>((local_ms - day * 86'400'000) / 60'000);
  for (const auto& [from, to] : open_[weekday]) {
    if (minute >= from && minute < to) return true;
  }
  return false;
}

// ---- Helpers ----------------------------------------------------------------------------------

bool Compare(const std::string& op, double v, double bound) {
  if (std::isnan(v)) return false;
  if (op == ">") return v > bound;
  if (op == ">=") return v >= bound;
  if (op == "<") return v < bound;
  if (op == "<=") return v <= bound;
  if (op == "==") return v == bound;
  return v != bound;
}

std::string FormatMeasureValue(const std::string& measure, double v) {
  if (std::isnan(v)) return "n/a";
  char buf[48];
  if (IsSecondsMeasure(measure)) {
    const int64_t total = static_cast<int64_t>(std::llround(std::max(0.0, v)));
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
    return buf;
  }
  if (IsRatioMeasure(measure)) {
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
    return buf;
  }
  return FormatNumber(v);
}

std::string RenderTemplate(const std::string& text, const AlertRule& rule, const std::string& queue,
                           const std::string& channel, const std::string& severity, double value) {
  std::string out = text;
  Replace(out, "{{queue}}", queue);
  Replace(out, "{{channel}}", channel);
  Replace(out, "{{value}}", FormatMeasureValue(rule.measure, value));
  Replace(out, "{{threshold}}", FormatMeasureValue(rule.measure, rule.threshold));
  Replace(out, "{{alertname}}", rule.name);
  Replace(out, "{{severity}}", severity);
  Replace(out, "{{window}}", rule.window);
  return out;
}

// Annotations of an alert instance: the rule's, templated.
std::map<std::string, std::string> RenderAnnotations(const AlertRule& rule, const std::string& queue,
                                                     const std::string& channel, const std::string& severity,
                                                     double value) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : rule.annotations) out[k] = RenderTemplate(v, rule, queue, channel, severity, value);
  return out;
}

// ---- Engine -----------------------------------------------------------------------------------

AlertEngine::AlertEngine(const Config& config) { Reconfigure(config); }

void AlertEngine::Reconfigure(const Config& config) {
  std::map<Key, Instance> kept;
  for (auto& [key, inst] : instances_) {
    const uint32_t r = key.first;
    if (r < config.alerts.size() && r < config_.alerts.size() && config.alerts[r].name == config_.alerts[r].name) {
      inst.steps_firing.resize(config.alerts[r].escalate.size(), false);
      kept.emplace(key, std::move(inst));
    }
  }
  // Instances of removed or reordered rules are dropped without a resolve; Alertmanager
  // expires them at their endsAt.
  instances_ = std::move(kept);
  config_ = config;
  compiled_.clear();
  for (const AlertRule& rule : config_.alerts) compiled_.push_back(Compile(rule, config_));
  business_hours_.clear();
  for (const QueueConfig& q : config_.queues) business_hours_[q.id] = BusinessHours(q.business_hours, q.holidays);
}

bool AlertEngine::Matches(const AlertRule& rule, const Core& core, uint32_t i) const {
  const QueueChannel& qc = core.queue_channels()[i];
  const std::string& queue = core.queues()[qc.queue].id;
  const std::string channel(ChannelName(qc.channel));
  const auto any = [](const std::vector<std::string>& globs, const std::string& name) {
    return std::any_of(globs.begin(), globs.end(),
                       [&](const std::string& g) { return fnmatch(g.c_str(), name.c_str(), 0) == 0; });
  };
  return any(rule.queues, queue) && any(rule.channels, channel);
}

AlertEngine::CompiledRule AlertEngine::Compile(const AlertRule& rule, const Config& config) {
  CompiledRule c;
  const std::string& m = rule.measure;
  static const std::pair<const char*, MeasureKind> kKinds[] = {
      {"waiting_contacts", MeasureKind::kWaiting},
      {"active_contacts", MeasureKind::kActive},
      {"oldest_wait_seconds", MeasureKind::kOldestWait},
      {"waiting_contacts_no_agent_available", MeasureKind::kWaitingNoAgent},
      {"service_level_ratio", MeasureKind::kServiceLevel},
      {"abandon_ratio", MeasureKind::kAbandonRatio},
      {"asa_seconds", MeasureKind::kAsa},
      {"aht_seconds", MeasureKind::kAht},
      {"offered_contacts", MeasureKind::kOffered},
      {"answered_contacts", MeasureKind::kAnswered},
      {"abandoned_contacts", MeasureKind::kAbandoned}};
  for (const auto& [name, kind] : kKinds) {
    if (m == name) c.kind = kind;
  }
  for (int s = 0; s < kAgentStateCount; ++s) {
    if (m == "agents_" + std::string(kAgentStateNames[s])) {
      c.kind = MeasureKind::kAgents;
      c.agent_state = s;
    }
  }
  for (size_t w = 0; w < config.windows.size(); ++w) {
    if (config.windows[w].label == rule.window) c.window = w;
  }
  return c;
}

AlertEngine::Reading AlertEngine::Measure(const AlertRule& rule, const Core& core, uint32_t i, int64_t now,
                                          const std::vector<std::array<int64_t, kAgentStateCount>>& agents) {
  return MeasureCompiled(Compile(rule, core.config()), core, i, now, agents);
}

AlertEngine::Reading AlertEngine::MeasureCompiled(const CompiledRule& rule, const Core& core, uint32_t i,
                                                  int64_t now,
                                                  const std::vector<std::array<int64_t, kAgentStateCount>>& agents) {
  const QueueChannel& qc = core.queue_channels()[i];
  switch (rule.kind) {
    case MeasureKind::kWaiting: return {double(qc.waiting), qc.waiting};
    case MeasureKind::kActive: return {double(qc.active), qc.active};
    case MeasureKind::kOldestWait: return {core.OldestWaitSeconds(i, now), qc.waiting};
    case MeasureKind::kAgents: return {double(agents[qc.queue][rule.agent_state]), qc.waiting};
    case MeasureKind::kWaitingNoAgent: {
      const bool none = agents[qc.queue][static_cast<int>(AgentState::kAvailable)] == 0;
      return {none ? double(qc.waiting) : 0.0, qc.waiting};
    }
    case MeasureKind::kUnknown: return {kNaN, 0};
    default: break;
  }
  if (rule.window >= core.config().windows.size()) return {kNaN, 0};
  const Tally& t = core.WindowTally(qc, rule.window);
  const WindowFigures f = ComputeFigures(t, qc.settings.formula);
  const int64_t decided = t.answered + t.abandoned - t.short_abandoned;  // SL / abandon denominators
  switch (rule.kind) {
    case MeasureKind::kServiceLevel: return {f.service_level_ratio, decided};
    case MeasureKind::kAbandonRatio: return {f.abandon_ratio, decided};
    case MeasureKind::kAsa: return {f.asa_seconds, t.answered};
    case MeasureKind::kAht: return {f.aht_seconds, t.handled};
    case MeasureKind::kOffered: return {double(t.offered), t.offered};
    case MeasureKind::kAnswered: return {double(t.answered), t.answered};
    case MeasureKind::kAbandoned: return {double(t.abandoned), t.abandoned};
    default: return {kNaN, 0};
  }
}

AlertTransition AlertEngine::Transition(const AlertRule& rule, const Core& core, uint32_t i,
                                        const std::string& severity, const Instance& inst, bool firing,
                                        int64_t now) const {
  const QueueChannel& qc = core.queue_channels()[i];
  AlertTransition t;
  t.firing = firing;
  t.alertname = rule.name;
  t.severity = severity;
  t.queue = core.queues()[qc.queue].id;
  t.channel = std::string(ChannelName(qc.channel));
  t.value = inst.value;
  t.starts_at_ms = inst.firing_since_ms;
  t.ends_at_ms = firing ? 0 : now;
  t.labels = rule.labels;
  t.labels["alertname"] = rule.name;
  t.labels["queue"] = t.queue;
  t.labels["channel"] = t.channel;
  t.labels["severity"] = severity;
  t.annotations = RenderAnnotations(rule, t.queue, t.channel, severity, inst.value);
  t.annotations["value"] = FormatMeasureValue(rule.measure, inst.value);
  return t;
}

std::vector<AlertTransition> AlertEngine::Evaluate(const Core& core, int64_t now) {
  std::vector<AlertTransition> out;
  if (config_.alerts.empty()) return out;
  const Core::AgentCounts agents = core.AgentsByQueue();
  for (uint32_t r = 0; r < config_.alerts.size(); ++r) {
    const AlertRule& rule = config_.alerts[r];
    CompiledRule& compiled = compiled_[r];
    compiled.matches.resize(core.queue_channels().size(), -1);
    for (uint32_t i = 0; i < core.queue_channels().size(); ++i) {
      if (compiled.matches[i] < 0) compiled.matches[i] = Matches(rule, core, i) ? 1 : 0;
      if (compiled.matches[i] == 0) continue;
      const Key key{r, i};
      auto it = instances_.find(key);
      const Reading reading = MeasureCompiled(compiled, core, i, now, agents);
      const Queue& queue = core.queues()[core.queue_channels()[i].queue];
      bool open = true;
      if (rule.business_hours_only) {
        auto bh = business_hours_.find(queue.id);
        open = bh == business_hours_.end() || bh->second.OpenAt(now, *queue.zone);
      }
      const bool enough = reading.contacts >= rule.min_contacts;
      const bool firing_now = it != instances_.end() && it->second.firing;
      const double bound = firing_now && rule.clear ? *rule.clear : rule.threshold;
      const bool condition = open && enough && Compare(rule.op, reading.value, bound);
      if (it == instances_.end()) {
        if (!condition) continue;
        it = instances_.emplace(key, Instance{false, now, 0, reading.value, std::vector<bool>(rule.escalate.size())}).first;
      }
      Instance& inst = it->second;
      inst.value = reading.value;
      if (!condition) {
        if (inst.firing) {
          for (size_t s = 0; s < rule.escalate.size(); ++s) {
            if (inst.steps_firing[s]) out.push_back(Transition(rule, core, i, rule.escalate[s].severity, inst, false, now));
          }
          out.push_back(Transition(rule, core, i, rule.severity, inst, false, now));
        }
        instances_.erase(it);
        continue;
      }
      if (!inst.firing && now - inst.active_since_ms >= rule.for_ms) {
        inst.firing = true;
        inst.firing_since_ms = now;
        out.push_back(Transition(rule, core, i, rule.severity, inst, true, now));
      }
      if (inst.firing) {
        for (size_t s = 0; s < rule.escalate.size(); ++s) {
          if (!inst.steps_firing[s] && now - inst.firing_since_ms >= rule.escalate[s].after_ms) {
            inst.steps_firing[s] = true;
            Instance step = inst;
            step.firing_since_ms = now;  // the escalated alert starts when it is raised
            out.push_back(Transition(rule, core, i, rule.escalate[s].severity, step, true, now));
          }
        }
      }
    }
  }
  return out;
}

std::vector<ActiveAlert> AlertEngine::Active(const Core& core) const {
  std::vector<ActiveAlert> out;
  for (const auto& entry : instances_) {
    const Key& key = entry.first;  // named, not a structured binding: the lambda below captures it
    const Instance& inst = entry.second;
    const AlertRule& rule = config_.alerts[key.first];
    if (key.second >= core.queue_channels().size()) continue;
    const QueueChannel& qc = core.queue_channels()[key.second];
    const auto add = [&](const std::string& severity, int64_t firing_since) {
      ActiveAlert a;
      a.alertname = rule.name;
      a.severity = severity;
      a.queue = core.queues()[qc.queue].id;
      a.channel = std::string(ChannelName(qc.channel));
      a.firing = inst.firing;
      a.value = inst.value;
      a.threshold = rule.threshold;
      a.active_since_ms = inst.active_since_ms;
      a.firing_since_ms = firing_since;
      a.annotations = RenderAnnotations(rule, a.queue, a.channel, severity, inst.value);
      out.push_back(std::move(a));
    };
    add(rule.severity, inst.firing ? inst.firing_since_ms : 0);
    for (size_t s = 0; s < rule.escalate.size(); ++s) {
      if (inst.steps_firing[s]) add(rule.escalate[s].severity, inst.firing_since_ms + rule.escalate[s].after_ms);
    }
  }
  return out;
}

}  // namespace floorwatch
