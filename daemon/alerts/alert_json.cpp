#include "floorwatch/alerts/alert_json.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "floorwatch/core/exposition.h"

namespace floorwatch {
namespace {

void AppendMap(std::string& out, const std::map<std::string, std::string>& m) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, k);
    out += ':';
    AppendJsonString(out, v);
  }
  out += '}';
}

// ,"key":"value"
void AppendStringField(std::string& out, std::string_view key, std::string_view value) {
  out += ',';
  AppendJsonString(out, key);
  out += ':';
  AppendJsonString(out, value);
}

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v) || std::isinf(v)) {
    out += "null";
  } else {
    AppendValue(out, v);
  }
}

}  // namespace

std::string FormatRfc3339(int64_t ms) {
  const time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void AppendAlertmanagerAlerts(std::string& out, const std::vector<AlertmanagerAlert>& alerts) {
  out += '[';
  for (size_t i = 0; i < alerts.size(); ++i) {
    const AlertmanagerAlert& a = alerts[i];
    if (i > 0) out += ',';
    out += "{\"labels\":";
    AppendMap(out, a.labels);
    out += ",\"annotations\":";
    AppendMap(out, a.annotations);
    out += ",\"startsAt\":\"" + FormatRfc3339(a.starts_at_ms) + "\"";
    out += ",\"endsAt\":\"" + FormatRfc3339(a.ends_at_ms) + "\"";
    out += ",\"generatorURL\":";
    AppendJsonString(out, a.generator_url);
    out += '}';
  }
  out += ']';
}

std::string TransitionJson(const AlertTransition& t) {
  std::string out = "{\"status\":";
  out += t.firing ? "\"firing\"" : "\"resolved\"";
  AppendStringField(out, "alertname", t.alertname);
  AppendStringField(out, "severity", t.severity);
  AppendStringField(out, "queue", t.queue);
  AppendStringField(out, "channel", t.channel);
  out += ",\"value\":";
  AppendNumber(out, t.value);
  out += ",\"labels\":";
  AppendMap(out, t.labels);
  out += ",\"annotations\":";
  AppendMap(out, t.annotations);
  out += ",\"startsAt\":\"" + FormatRfc3339(t.starts_at_ms) + "\"";
  if (!t.firing) out += ",\"endsAt\":\"" + FormatRfc3339(t.ends_at_ms) + "\"";
  out += '}';
  return out;
}

std::string ActiveAlertsJson(const std::vector<ActiveAlert>& alerts) {
  std::string out = "[";
  for (size_t i = 0; i < alerts.size(); ++i) {
    const ActiveAlert& a = alerts[i];
    if (i > 0) out += ',';
    out += "{\"alertname\":";
    AppendJsonString(out, a.alertname);
    AppendStringField(out, "severity", a.severity);
    AppendStringField(out, "queue", a.queue);
    AppendStringField(out, "channel", a.channel);
    out += ",\"state\":";
    out += a.firing ? "\"firing\"" : "\"pending\"";
    out += ",\"value\":";
    AppendNumber(out, a.value);
    out += ",\"threshold\":";
    AppendNumber(out, a.threshold);
    out += ",\"activeSince\":\"" + FormatRfc3339(a.active_since_ms) + "\"";
    if (a.firing) out += ",\"firingSince\":\"" + FormatRfc3339(a.firing_since_ms) + "\"";
    out += ",\"annotations\":";
    AppendMap(out, a.annotations);
    out += '}';
  }
  out += "]\n";
  return out;
}

}  // namespace floorwatch
