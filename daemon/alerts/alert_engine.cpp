#include "floorwatch/alerts/alert_engine.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "floorwatch/core/figures.h"
#include "floorwatch/core/models/registry.h"
#include "floorwatch/core/timestamp.h"

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

int Minutes(const std::string& hhmm) {
  return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2));
}

void Replace(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
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
  const MeasureDef* def = FindMeasureDef(measure);
  const MeasureUnit unit = def ? def->unit : MeasureUnit::kCount;
  if (unit == MeasureUnit::kSeconds) {
    const int64_t total = static_cast<int64_t>(std::llround(std::max(0.0, v)));
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
    return buf;
  }
  if (unit == MeasureUnit::kRatio) {
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
std::map<std::string, std::string> RenderAnnotations(const AlertRule& rule,
                                                     const std::string& queue,
                                                     const std::string& channel,
                                                     const std::string& severity, double value) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : rule.annotations)
    out[k] = RenderTemplate(v, rule, queue, channel, severity, value);
  return out;
}

// ---- Engine -----------------------------------------------------------------------------------

AlertEngine::AlertEngine(const Config& config) { Reconfigure(config); }

void AlertEngine::Reconfigure(const Config& config) {
  std::map<Key, Instance> kept;
  for (auto& [key, inst] : instances_) {
    const uint32_t r = key.first;
    if (r < config.alerts.size() && r < config_.alerts.size() &&
        config.alerts[r].name == config_.alerts[r].name) {
      inst.steps_firing.resize(config.alerts[r].escalate.size(), false);
      kept.emplace(key, std::move(inst));
    }
  }
  // Instances of removed or reordered rules are dropped without a resolve; Alertmanager
  // expires them at their endsAt.
  instances_ = std::move(kept);
  config_ = config;
  compiled_.clear();  // compiled against the core at the next Evaluate
  business_hours_.clear();
  for (const QueueConfig& q : config_.queues)
    business_hours_[q.id] = BusinessHours(q.business_hours, q.holidays);
}

bool AlertEngine::Matches(const AlertRule& rule, const Core& core, uint32_t i) const {
  const QueueChannel& qc = core.directory()[i];
  const std::string& queue = core.directory().QueueOf(i).id;
  const std::string channel(ChannelName(qc.channel));
  const auto any = [](const std::vector<std::string>& globs, const std::string& name) {
    return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
      return fnmatch(g.c_str(), name.c_str(), 0) == 0;
    });
  };
  return any(rule.queues, queue) && any(rule.channels, channel);
}

AlertEngine::CompiledRule AlertEngine::Compile(const AlertRule& rule, const Core& core) {
  CompiledRule c;
  c.measure = core.FindMeasure(rule.measure);
  const auto& windows = core.config().windows;
  for (size_t w = 0; w < windows.size(); ++w) {
    if (windows[w].label == rule.window) c.window = w;
  }
  return c;
}

Reading AlertEngine::Measure(const AlertRule& rule, const Core& core, uint32_t i, int64_t now) {
  return MeasureCompiled(Compile(rule, core), core, i, now);
}

Reading AlertEngine::MeasureCompiled(const CompiledRule& rule, const Core& core, uint32_t i,
                                     int64_t now) {
  if (rule.measure.model == nullptr) return {kNaN, 0};
  if (rule.measure.def->windowed && rule.window >= core.config().windows.size()) return {kNaN, 0};
  return rule.measure.model->Measure(rule.measure.index, i, rule.window, now);
}

AlertTransition AlertEngine::Transition(const AlertRule& rule, const Core& core, uint32_t i,
                                        const std::string& severity, const Instance& inst,
                                        bool firing, int64_t now) const {
  const QueueChannel& qc = core.directory()[i];
  AlertTransition t;
  t.firing = firing;
  t.alertname = rule.name;
  t.severity = severity;
  t.queue = core.directory().QueueOf(i).id;
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

bool AlertEngine::Condition(const AlertRule& rule, const Core& core, uint32_t i,
                            const Reading& reading, bool firing, int64_t now) const {
  if (rule.business_hours_only) {
    const Queue& queue = core.directory().QueueOf(i);
    auto bh = business_hours_.find(queue.id);
    if (bh != business_hours_.end() && !bh->second.OpenAt(now, *queue.zone)) return false;
  }
  if (reading.contacts < rule.min_contacts) return false;
  const double bound = firing && rule.clear ? *rule.clear : rule.threshold;
  return Compare(rule.op, reading.value, bound);
}

void AlertEngine::Resolve(const AlertRule& rule, const Core& core, uint32_t i, const Instance& inst,
                          int64_t now, std::vector<AlertTransition>& out) {
  if (!inst.firing) return;
  for (size_t s = 0; s < rule.escalate.size(); ++s) {
    if (inst.steps_firing[s])
      out.push_back(Transition(rule, core, i, rule.escalate[s].severity, inst, false, now));
  }
  out.push_back(Transition(rule, core, i, rule.severity, inst, false, now));
}

void AlertEngine::Advance(const AlertRule& rule, const Core& core, uint32_t i, Instance& inst,
                          int64_t now, std::vector<AlertTransition>& out) {
  if (!inst.firing && now - inst.active_since_ms >= rule.for_ms) {
    inst.firing = true;
    inst.firing_since_ms = now;
    out.push_back(Transition(rule, core, i, rule.severity, inst, true, now));
  }
  if (!inst.firing) return;
  for (size_t s = 0; s < rule.escalate.size(); ++s) {
    if (!inst.steps_firing[s] && now - inst.firing_since_ms >= rule.escalate[s].after_ms) {
      inst.steps_firing[s] = true;
      Instance step = inst;
      step.firing_since_ms = now;  // the escalated alert starts when it is raised
      out.push_back(Transition(rule, core, i, rule.escalate[s].severity, step, true, now));
    }
  }
}

void AlertEngine::EvaluateOne(uint32_t r, const Core& core, uint32_t i, int64_t now,
                              std::vector<AlertTransition>& out) {
  const AlertRule& rule = config_.alerts[r];
  const Key key{r, i};
  auto it = instances_.find(key);
  const Reading reading = MeasureCompiled(compiled_[r], core, i, now);
  const bool firing = it != instances_.end() && it->second.firing;
  const bool condition = Condition(rule, core, i, reading, firing, now);
  if (it == instances_.end()) {
    if (!condition) return;
    const Instance fresh{false, now, 0, reading.value, std::vector<bool>(rule.escalate.size())};
    it = instances_.emplace(key, fresh).first;
  }
  Instance& inst = it->second;
  inst.value = reading.value;
  if (condition) return Advance(rule, core, i, inst, now, out);
  Resolve(rule, core, i, inst, now, out);
  instances_.erase(it);
}

std::vector<AlertTransition> AlertEngine::Evaluate(const Core& core, int64_t now) {
  std::vector<AlertTransition> out;
  if (config_.alerts.empty()) return out;
  if (compiled_.empty()) {  // the measures belong to this core's models
    for (const AlertRule& rule : config_.alerts) compiled_.push_back(Compile(rule, core));
  }
  const uint32_t queue_channels = static_cast<uint32_t>(core.directory().size());
  for (uint32_t r = 0; r < config_.alerts.size(); ++r) {
    std::vector<int8_t>& matches = compiled_[r].matches;
    matches.resize(queue_channels, -1);
    for (uint32_t i = 0; i < queue_channels; ++i) {
      if (matches[i] < 0) matches[i] = Matches(config_.alerts[r], core, i) ? 1 : 0;
      if (matches[i] == 1) EvaluateOne(r, core, i, now, out);
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
    if (key.second >= core.directory().size()) continue;
    const QueueChannel& qc = core.directory()[key.second];
    const auto add = [&](const std::string& severity, int64_t firing_since) {
      ActiveAlert a;
      a.alertname = rule.name;
      a.severity = severity;
      a.queue = core.directory().QueueOf(key.second).id;
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
      if (inst.steps_firing[s])
        add(rule.escalate[s].severity, inst.firing_since_ms + rule.escalate[s].after_ms);
    }
  }
  return out;
}

}  // namespace floorwatch
