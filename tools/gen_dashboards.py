#!/usr/bin/python3
"""Generates the Grafana dashboards in dashboards/grafana/ (run after editing this file).

    tools/gen_dashboards.py            write the JSON files
    tools/gen_dashboards.py --check    exit 1 if the committed files differ from the output

Every panel queries the datasource chosen in the ${datasource} variable; queues are chosen
through variables built from floorwatch_queue_info, so nothing names a datasource uid or a
queue. The panel types are in gen_dashboards_common.py; the customer-outcome boards
(escalations, teams and vendors) in gen_dashboards_outcomes.py; the staffing board in
gen_dashboards_staffing.py.
"""

import json
import os
import sys

from gen_dashboards_common import (Q, Layout, dashboard, datasource_var, once, once_per_shard, query_var, queue_vars, stat,
                                   steps, target, timeseries)
from gen_dashboards_outcomes import escalations, teams
from gen_dashboards_staffing import staffing

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dashboards", "grafana")


def agents_by_queue(state):
    agents = once(f'floorwatch_queue_agents{{{Q}, state="{state}"}}', "queue, state")
    return f"sum by (queue) ({agents})"


def wallboard():
    L = Layout()
    by = 'by (queue, channel)'
    sl_colours = steps(("red", None), ("orange", 0.7), ("green", 0.8))
    panels = [
        stat(L, "Waiting", [target(once(f"floorwatch_queue_waiting_contacts{{{Q}}}", "queue, channel"), "{{queue}} {{channel}}")],
             "none", steps(("green", None), ("orange", 5), ("red", 10)), decimals=0,
             description="Contacts waiting now."),
        stat(L, "Oldest wait", [target(f"max {by} (floorwatch_queue_oldest_wait_seconds{{{Q}}})", "{{queue}} {{channel}}")],
             "dthms", steps(("green", None), ("orange", 60), ("red", 120)),
             description="Age of the longest-waiting contact (hh:mm:ss)."),
        stat(L, "Service level 15m", [target(f'min {by} (floorwatch_queue_service_level_ratio{{{Q}, window="15m"}})', "{{queue}} {{channel}}")],
             "percentunit", sl_colours, decimals=0,
             description="By the queue's formula over 15 minutes. Colours at the default 80% target; see 'vs target'."),
        stat(L, "Service level today", [target(f'min {by} (floorwatch_queue_service_level_ratio{{{Q}, window="today"}})', "{{queue}} {{channel}}")],
             "percentunit", sl_colours, decimals=0, description="Since local midnight in the queue's time zone."),
        stat(L, "SL 15m vs target", [target(
            f'min {by} (floorwatch_queue_service_level_ratio{{{Q}, window="15m"}}) - on (queue, channel) max {by} (floorwatch_queue_service_level_target{{{Q}}})',
            "{{queue}} {{channel}}")],
             "percentunit", steps(("red", None), ("orange", -0.1), ("green", 0)), decimals=0,
             description="Service level over 15 minutes minus this queue's own target: green on or above it."),
        stat(L, "SL today vs target", [target(
            f'min {by} (floorwatch_queue_service_level_ratio{{{Q}, window="today"}}) - on (queue, channel) max {by} (floorwatch_queue_service_level_target{{{Q}}})',
            "{{queue}} {{channel}}")],
             "percentunit", steps(("red", None), ("orange", -0.1), ("green", 0)), decimals=0,
             description="Service level today minus this queue's own target: green on or above it."),
        stat(L, "Abandoned 1h", [target(f'max {by} (floorwatch_queue_abandon_ratio{{{Q}, window="1h"}})', "{{queue}} {{channel}}")],
             "percentunit", steps(("green", None), ("orange", 0.05), ("red", 0.1)), decimals=0,
             description="(abandoned - short) / (answered + abandoned - short) over the last hour."),
        stat(L, "ASA 15m", [target(f'max {by} (floorwatch_queue_asa_seconds{{{Q}, window="15m"}})', "{{queue}} {{channel}}")],
             "dthms", steps(("green", None), ("orange", 20), ("red", 60)),
             description="Mean wait of contacts answered in the last 15 minutes."),
        stat(L, "Agents available", [target(agents_by_queue("available"), "{{queue}}")],
             "none", steps(("red", None), ("green", 1)), decimals=0, w=6),
        stat(L, "Agents on contact", [target(agents_by_queue("on_contact"), "{{queue}}")],
             "none", steps(("blue", None)), decimals=0, w=6),
        stat(L, "Agents in after-contact work", [target(agents_by_queue("acw"), "{{queue}}")],
             "none", steps(("purple", None)), decimals=0, w=6),
        stat(L, "Agents not ready", [target(agents_by_queue("not_ready"), "{{queue}}")],
             "none", steps(("text", None)), decimals=0, w=6),
        stat(L, "Firing alerts", [target(f"sum by (alertname, severity) ({once_per_shard('floorwatch_alerts_firing')})", "{{alertname}} {{severity}}")],
             "none", steps(("green", None), ("red", 1)), decimals=0, w=24, h=5,
             description="Alerts firing in floorwatchd, by rule and severity (docs/alerting.md)."),
    ]
    return dashboard("floorwatch-wallboard", "floorwatch: floor wallboard", panels, queue_vars(), "10s",
                     ["wallboard"], time_from="now-1h")


def per_minute(counter):
    """Contacts per minute per queue: each queue/channel's rate once, added over channels."""
    return f"sum by (queue) ({once(f'rate({counter}{{{Q}}}[5m])', 'queue, channel')}) * 60"


def supervisor():
    L = Layout()
    qc = "queue, channel"
    panels = [
        timeseries(L, "Offered per minute", [target(per_minute("floorwatch_queue_offered_total"), "{{queue}}")], "none"),
        timeseries(L, "Answered and abandoned per minute", [
            target(per_minute("floorwatch_queue_answered_total"), "{{queue}} answered"),
            target(per_minute("floorwatch_queue_abandoned_total"), "{{queue}} abandoned", "B")], "none"),
        timeseries(L, "Service level (15m window)", [target(f'min by (queue, channel) (floorwatch_queue_service_level_ratio{{{Q}, window="15m"}})', "{{queue}} {{channel}}")], "percentunit"),
        timeseries(L, "Service level target", [target(f"max by (queue, channel) (floorwatch_queue_service_level_target{{{Q}}})", "{{queue}} {{channel}}")], "percentunit"),
        timeseries(L, "ASA (15m window)", [target(f'max by (queue, channel) (floorwatch_queue_asa_seconds{{{Q}, window="15m"}})', "{{queue}} {{channel}}")], "s"),
        timeseries(L, "AHT (15m window)", [target(f'max by (queue, channel) (floorwatch_queue_aht_seconds{{{Q}, window="15m"}})', "{{queue}} {{channel}}")], "s"),
        timeseries(L, "Wait, 90th percentile (5m)", [target(
            f"histogram_quantile(0.9, sum by (queue, le) ({once(f'rate(floorwatch_queue_wait_seconds_bucket{{{Q}}}[5m])', qc + ', le')}))",
            "{{queue}}")], "s"),
        timeseries(L, "Agents by state", [target(f"sum by (state) ({once(f'floorwatch_queue_agents{{{Q}}}', 'queue, state')})", "{{state}}")],
                   "none", stack=True,
                   description="Members of the selected queues by state; an agent in two selected queues counts twice."),
        timeseries(L, "Transfers out per minute", [target(per_minute("floorwatch_queue_transferred_out_total"), "{{queue}}")], "none"),
        timeseries(L, "Waiting and oldest wait", [
            target(f"sum by (queue) ({once(f'floorwatch_queue_waiting_contacts{{{Q}}}', qc)})", "{{queue}} waiting"),
            target(f"max by (queue) (floorwatch_queue_oldest_wait_seconds{{{Q}}})", "{{queue}} oldest (s)", "B")], "none"),
    ]
    return dashboard("floorwatch-supervisor", "floorwatch: supervisor trends", panels, queue_vars(), "1m",
                     ["supervisor"])


def health():
    L = Layout()
    J = 'job=~"$job", instance=~"$instance"'
    variables = [datasource_var(),
                 query_var("job", "Job", "label_values(floorwatch_build_info, job)"),
                 query_var("instance", "Instance", 'label_values(floorwatch_build_info{job=~"$job"}, instance)')]
    panels = [
        stat(L, "Up", [target(f"up{{{J}}}", "{{instance}}")], "none", steps(("red", None), ("green", 1)), decimals=0, w=4, h=5),
        stat(L, "Config reload", [target(f"floorwatch_config_last_reload_successful{{{J}}}", "{{instance}}")], "bool_yes_no",
             steps(("red", None), ("green", 1)), w=4, h=5, description="1: the last load (start or SIGHUP) succeeded."),
        stat(L, "Event lag", [target(f"floorwatch_event_lag_seconds{{{J}}}", "{{instance}}")], "s",
             steps(("green", None), ("orange", 5), ("red", 30)), w=4, h=5, description="Daemon time minus ts of the last applied event."),
        stat(L, "Version", [target(f"floorwatch_build_info{{{J}}}", "{{version}}")], "none", steps(("text", None)), w=4, h=5),
        stat(L, "Contacts held", [target(f"sum by (instance) (floorwatch_contacts{{{J}}})", "{{instance}}")], "none",
             steps(("green", None)), w=4, h=5),
        stat(L, "Render time of /metrics", [target(f"floorwatch_metrics_render_seconds{{{J}}}", "{{instance}}")], "s",
             steps(("green", None), ("orange", 0.05), ("red", 0.2)), w=4, h=5),
        timeseries(L, "Events per second", [
            target(f"sum by (instance) (rate(floorwatch_events_received_total{{{J}}}[$__rate_interval]))", "{{instance}} received"),
            target(f"sum by (instance) (rate(floorwatch_events_applied_total{{{J}}}[$__rate_interval]))", "{{instance}} applied", "B")], "ops"),
        timeseries(L, "Rejected per second, by reason", [target(
            f"sum by (reason) ({once_per_shard(f'rate(floorwatch_events_rejected_total{{{J}}}[$__rate_interval])')})", "{{reason}}")], "ops"),
        timeseries(L, "Duplicates and ignored per second", [
            target(f"sum by (instance) (rate(floorwatch_events_duplicate_total{{{J}}}[$__rate_interval]))", "{{instance}} duplicate"),
            target(f"sum by (reason) ({once_per_shard(f'rate(floorwatch_events_ignored_total{{{J}}}[$__rate_interval])')})", "ignored {{reason}}", "B")], "ops"),
        timeseries(L, "Events lost (seq gaps), per source", [target(
            f"sum by (source) ({once_per_shard(f'increase(floorwatch_events_gap_total{{{J}}}[$__rate_interval])')})", "{{source}}")], "none"),
        timeseries(L, "Event lag", [target(f"floorwatch_event_lag_seconds{{{J}}}", "{{instance}}")], "s", min_zero=False),
        timeseries(L, "Scrape duration", [
            target(f"scrape_duration_seconds{{{J}}}", "{{instance}} scrape"),
            target(f"floorwatch_metrics_render_seconds{{{J}}}", "{{instance}} render", "B")], "s"),
        timeseries(L, "CPU", [target(f"rate(process_cpu_seconds_total{{{J}}}[$__rate_interval])", "{{instance}}")], "percentunit"),
        timeseries(L, "Memory and file descriptors", [
            target(f"process_resident_memory_bytes{{{J}}}", "{{instance}} RSS"),
            target(f"process_open_fds{{{J}}}", "{{instance}} open fds", "B")], "bytes"),
        timeseries(L, "Alert deliveries per second", [target(
            f"sum by (sink, result) ({once_per_shard(f'rate(floorwatch_alert_notifications_total{{{J}}}[$__rate_interval])')})", "{{sink}} {{result}}")], "ops"),
        timeseries(L, "Firing alerts", [target(f"sum by (alertname, severity) ({once_per_shard(f'floorwatch_alerts_firing{{{J}}}')})", "{{alertname}} {{severity}}")], "none"),
    ]
    return dashboard("floorwatch-health", "floorwatch: daemon health", panels, variables, "30s", ["sre"])


def provisioning():
    return {"dashboards": """# Grafana provisioning: copy to /etc/grafana/provisioning/dashboards/floorwatch.yaml and
# the JSON files to /var/lib/grafana/dashboards/floorwatch/.
apiVersion: 1
providers:
  - name: floorwatch
    folder: floorwatch
    type: file
    disableDeletion: false
    allowUiUpdates: true
    updateIntervalSeconds: 60
    options:
      path: /var/lib/grafana/dashboards/floorwatch
""", "datasource": """# Grafana provisioning: a Prometheus datasource (copy to
# /etc/grafana/provisioning/datasources/floorwatch-prometheus.yaml). The dashboards do not
# name it: they pick any Prometheus datasource through their ${datasource} variable.
apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    access: proxy
    url: http://127.0.0.1:9090
    isDefault: true
    jsonData:
      timeInterval: 15s
"""}


def render():
    files = {f"{d['uid']}.json": json.dumps(d, indent=2, ensure_ascii=False) + "\n"
             for d in (wallboard(), supervisor(), health(), escalations(), teams(), staffing())}
    p = provisioning()
    files["provisioning/dashboards/floorwatch.yaml"] = p["dashboards"]
    files["provisioning/datasources/prometheus.yaml"] = p["datasource"]
    return files


def main():
    files = render()
    if "--check" in sys.argv:
        stale = [n for n, text in files.items()
                 if not os.path.exists(os.path.join(OUT, n)) or open(os.path.join(OUT, n)).read() != text]
        if stale:
            print("out of date (run tools/gen_dashboards.py):", ", ".join(stale))
            return 1
        return 0
    for name, text in files.items():
        path = os.path.join(OUT, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        print("wrote", os.path.relpath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
