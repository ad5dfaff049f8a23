// JSON encodings of alerts (pure): the Alertmanager API v2 body, the webhook / ZeroMQ
// transition document, and GET /api/v1/alerts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "floorwatch/alerts/alert_engine.h"

namespace floorwatch {

// RFC 3339 UTC with milliseconds: 2026-11-23T10:00:00.000Z
std::string FormatRfc3339(int64_t ms);

// One element of POST /api/v2/alerts.
struct AlertmanagerAlert {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::string generator_url;
};
void AppendAlertmanagerAlerts(std::string& out, const std::vector<AlertmanagerAlert>& alerts);

// {"status":"firing"|"resolved","alertname":...,"labels":{...},"annotations":{...},
//  "value":..., "startsAt":..., "endsAt":...}: one transition, for webhooks and ZeroMQ.
std::string TransitionJson(const AlertTransition& t);

// GET /api/v1/alerts: a JSON list of the active (pending and firing) alerts.
std::string ActiveAlertsJson(const std::vector<ActiveAlert>& alerts);

}  // namespace floorwatch
