// The config's `alerts:` and `notify:` sections, and the label checks they share with queues.
#include <algorithm>
#include <regex>

#include "config/config_parse.h"
#include "floorwatch/core/models/registry.h"

namespace floorwatch::config_internal {

bool IsLabelName(const std::string& name) {
  static const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");
  return std::regex_match(name, kLabelName);
}

void ValidateLabels(const Node& n, const std::map<std::string, std::string>& labels) {
  for (const auto& [name, value] : labels) {
    if (!IsLabelName(name) || name.rfind("__", 0) == 0) {
      n[name].Fail("is not a valid Prometheus label name");
    }
    if (name == "queue" || name == "channel") n[name].Fail("is reserved");
  }
}

namespace {

// The measure a model offers, and the window when it is windowed (a configured window's
// label, or a duration spelled another way: "900s" for "15m").
void ParseMeasure(const Node& n, const std::vector<WindowSpec>& windows, AlertRule& r) {
  r.measure = n["measure"].Str();
  const MeasureDef* measure = FindMeasureDef(r.measure);  // what the core's models offer
  if (measure == nullptr) n["measure"].Fail("unknown measure '" + r.measure + "'");
  if (!measure->windowed) {
    if (!n["window"].IsNull()) n["window"].Fail("measure " + r.measure + " is not windowed");
    return;
  }
  if (n["window"].IsNull()) n.Fail("window is required for measure " + r.measure);
  r.window = n["window"].Str();
  const auto configured = [&](const std::string& label) {
    return std::any_of(windows.begin(), windows.end(),
                       [&](const WindowSpec& w) { return w.label == label; });
  };
  if (configured(r.window)) return;
  const auto ms = ParseDurationMs(r.window);
  const std::string label = ms ? FormatDurationMs(*ms) : r.window;
  if (!configured(label))
    n["window"].Fail("'" + r.window + "' is not one of the configured windows");
  r.window = label;
}

void ParseEscalation(const Node& n, AlertRule& r) {
  for (const Node& step : n["escalate"].Items()) {
    step.ExpectMap({"after", "severity"});
    if (step["after"].IsNull() || step["severity"].IsNull()) step.Fail("needs after and severity");
    EscalationStep s{step["after"].DurationMs(), step["severity"].Str()};
    if (!r.escalate.empty() && s.after_ms <= r.escalate.back().after_ms) {
      step["after"].Fail("steps must come in increasing order of after");
    }
    r.escalate.push_back(s);
  }
}

}  // namespace

AlertRule ParseAlert(const Node& item, const std::vector<WindowSpec>& windows) {
  // Errors name the rule as well as the key: alerts[2] (LongestWait).threshold (line 40).
  const std::string rule_name =
      !item.IsNull() && !item["name"].IsNull() ? item["name"].Str() : std::string();
  const Node n = rule_name.empty() ? item : item.Renamed(item.path() + " (" + rule_name + ")");
  n.ExpectMap({"name", "measure", "window", "op", "threshold", "for", "clear", "min_contacts",
               "queues", "channels", "severity", "escalate", "labels", "annotations", "active"});
  AlertRule r;
  for (const char* key : {"name", "measure", "op", "threshold"}) {
    if (n[key].IsNull()) n.Fail(std::string(key) + " is required");
  }
  r.name = n["name"].Str();
  if (!IsLabelName(r.name)) n["name"].Fail("must be like LongestWait (letters, digits, _)");
  ParseMeasure(n, windows, r);
  r.op = n["op"].Str();
  if (r.op != ">" && r.op != ">=" && r.op != "<" && r.op != "<=" && r.op != "==" && r.op != "!=") {
    n["op"].Fail("must be one of > >= < <= == !=");
  }
  r.threshold = n["threshold"].Number();
  if (!n["for"].IsNull()) r.for_ms = n["for"].DurationMs();
  if (!n["clear"].IsNull()) r.clear = n["clear"].Number();
  if (!n["min_contacts"].IsNull()) {
    r.min_contacts = n["min_contacts"].Integer();
    if (r.min_contacts < 0) n["min_contacts"].Fail("must be 0 or more");
  }
  if (!n["queues"].IsNull()) r.queues = n["queues"].StringList();
  if (!n["channels"].IsNull()) r.channels = n["channels"].StringList();
  if (!n["severity"].IsNull()) r.severity = n["severity"].Str();
  ParseEscalation(n, r);
  r.labels = n["labels"].StringMap();
  ValidateLabels(n["labels"], r.labels);
  r.annotations = n["annotations"].StringMap();
  if (!n["active"].IsNull()) {
    r.business_hours_only = n["active"].OneOf<bool>({{"always", false}, {"business_hours", true}});
  }
  return r;
}

void ParseNotify(const Node& n, NotifyConfig& notify) {
  n.ExpectMap({"alertmanager", "webhooks", "zmq_pub"});
  const Node am = n["alertmanager"];
  am.ExpectMap({"urls", "resend_interval"});
  notify.alertmanager_urls = am["urls"].StringList();
  if (!am["resend_interval"].IsNull()) {
    notify.alertmanager_resend_interval_ms = am["resend_interval"].DurationMs();
    if (notify.alertmanager_resend_interval_ms < 1000)
      am["resend_interval"].Fail("must be at least 1s");
  }
  for (const Node& hook : n["webhooks"].Items()) {
    hook.ExpectMap({"url"});
    if (hook["url"].IsNull()) hook.Fail("url is required");
    notify.webhook_urls.push_back(hook["url"].Str());
  }
  // Delivery speaks plain HTTP (put a TLS-terminating proxy in front where needed).
  for (const std::string& url : notify.alertmanager_urls) {
    if (url.rfind("http://", 0) != 0) {
      am["urls"].Fail("must be http:// URLs (https is not supported yet), got '" + url + "'");
    }
  }
  const std::vector<Node> hooks = n["webhooks"].Items();
  for (size_t i = 0; i < notify.webhook_urls.size(); ++i) {
    if (notify.webhook_urls[i].rfind("http://", 0) != 0) {
      hooks[i]["url"].Fail("must be an http:// URL (https is not supported yet)");
    }
  }
  if (!n["zmq_pub"].IsNull()) notify.zmq_pub = n["zmq_pub"].Str();
}

}  // namespace floorwatch::config_internal
