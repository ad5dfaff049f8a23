"""The "Staffing" dashboard of tools/gen_dashboards.py, for the workforce planner and the
floor manager: are there enough people on the floor now (Erlang C required agents against
the staffed, the gap, the estimated wait, slots in use), and is demand what the intraday
forecast planned (forecast against offered per interval, required against the forecast's
required, the schedule against the staffed, the deviation from the forecast's pace).

The figures are the daemon's own per queue and channel (docs/staffing.md). Each queue and
channel lives in one daemon, so `max by (queue, channel)` picks its series (and one of a
pair of daemons fed the same events). The centre-wide shortfalls are recording rules of
dashboards/prometheus-rules.yml (group floorwatch-staffing): positive gaps summed, so a
queue with spare people does not hide one short of them.
"""

from gen_dashboards_common import Layout, bargauge, dashboard, query_var, queue_vars, stat, steps, target, timeseries

QC = 'queue=~"$queue", channel=~"$channel"'
LEGEND = "{{queue}} {{channel}}"
SHORT = steps(("green", None), ("orange", 1), ("red", 3))
WAIT = steps(("green", None), ("orange", 20), ("red", 60))  # the demo's 20 s service-level threshold
PACE = steps(("transparent", None), ("red", 0.3))  # VolumeAboveForecast: 30 % above the forecast's pace


def per_qc(metric, extra=""):
    """The metric per queue and channel of the selection."""
    return f"max by (queue, channel) ({metric}{{{QC}{extra}}})"


def centre_stats(L):
    return [
        stat(L, "Short of agents, centre-wide", [target(
            "channel:floorwatch_queue_staffing_gap_agents:positive_sum", "{{channel}}")], "none", SHORT, h=5, decimals=0,
            description="How many more agents does the centre need on each channel now? The positive gaps "
                        "(required - staffed) of every queue, added up; agents in several queues count in each."),
        stat(L, "Behind schedule, centre-wide", [target(
            "channel:floorwatch_queue_schedule_gap_agents:positive_sum", "{{channel}}")], "none", SHORT, h=5,
            decimals=0, description="How many of the agents the schedule planned are missing from the floor, "
                                    "per channel? The positive schedule gaps of every queue with a forecast row."),
        stat(L, "Offered vs forecast this interval, centre-wide", [target(
            "channel:floorwatch_queue_interval_offered:ratio_forecast", "{{channel}}")], "percentunit",
            steps(("text", None)), h=5, decimals=0,
            description="How much of the interval's forecast volume has come so far, per channel? 100 % "
                        "before the interval ends means more than planned."),
        stat(L, "Longest estimated wait", [target(f"max ({per_qc('floorwatch_queue_estimated_wait_seconds')})",
                                                  "longest")], "dthms", WAIT, h=5,
             description="How long would a customer joining the worst of the selected queues wait now?"),
    ]


def now_bars(L):
    return [
        bargauge(L, "Short of agents now", [target(
            f"clamp_min({per_qc('floorwatch_queue_staffing_gap_agents')}, 0)", LEGEND)], "none", SHORT,
            description="Which queues and channels are short of people now, and by how many (0: enough)?"),
        bargauge(L, "Estimated wait now", [target(per_qc("floorwatch_queue_estimated_wait_seconds"), LEGEND)],
                 "dthms", WAIT, description="How long would a customer who joins each queue now wait?"),
    ]


def staffing_trends(L):
    return [
        timeseries(L, "Required vs staffed agents", [
            target(per_qc("floorwatch_queue_required_agents"), LEGEND + " required"),
            target(per_qc("floorwatch_queue_staffed_agents"), LEGEND + " staffed", "B")], "none",
            description="Did we have the people the demand of the last 15 minutes needed (Erlang C, the "
                        "queue's service-level goal and occupancy cap), over the day?"),
        timeseries(L, "Staffing gap (required - staffed)", [target(
            per_qc("floorwatch_queue_staffing_gap_agents"), LEGEND)], "none", min_zero=False,
            lines=steps(("transparent", None), ("red", 1)),
            description="When and where were we short of people (above the line) or had spare ones (below 0)?"),
        timeseries(L, "Estimated wait", [target(per_qc("floorwatch_queue_estimated_wait_seconds"), LEGEND)], "s",
                   description="How long would a customer joining the queue have waited, over the day?"),
        timeseries(L, "Projected vs actual service level", [
            target(per_qc("floorwatch_queue_projected_service_level"), LEGEND + " projected"),
            target(per_qc("floorwatch_queue_service_level_ratio", ', window="15m"'), LEGEND + " actual 15m", "B")],
            "percentunit",
            description="Where was the service level heading with the people on the floor (Erlang C at the "
                        "staffing then, docs/prediction.md) against where the last 15 minutes put it?"),
        timeseries(L, "Agent slots used / total", [
            target(per_qc("floorwatch_queue_agent_slots", ', state="used"'), LEGEND + " used"),
            target(per_qc("floorwatch_queue_agent_slots", ', state="total"'), LEGEND + " total", "B")], "none",
            description="How many contacts could the staffed agents take at once on the channel, and how many "
                        "were they working on?"),
    ]


def forecast_trends(L):
    return [
        timeseries(L, "Forecast vs offered per interval", [
            target(per_qc("floorwatch_queue_forecast_offered"), LEGEND + " forecast"),
            target(per_qc("floorwatch_queue_interval_offered"), LEGEND + " offered so far", "B")], "none",
            description="Did each interval bring the contacts the forecast expected? The offered line climbs "
                        "through the interval and restarts at the next: where it ends against the forecast's "
                        "step is the interval's forecast against actual."),
        timeseries(L, "Forecast required vs required vs scheduled vs staffed", [
            target(per_qc("floorwatch_queue_forecast_required_agents"), LEGEND + " forecast required"),
            target(per_qc("floorwatch_queue_required_agents"), LEGEND + " required", "B"),
            target(per_qc("floorwatch_queue_scheduled_agents"), LEGEND + " scheduled", "C"),
            target(per_qc("floorwatch_queue_staffed_agents"), LEGEND + " staffed", "D")], "none",
            description="Was the plan right (forecast required against required now), did the schedule cover "
                        "it, and did the people scheduled turn up (scheduled against staffed)?"),
        timeseries(L, "Schedule gap (scheduled - staffed)", [target(
            per_qc("floorwatch_queue_schedule_gap_agents"), LEGEND)], "none", min_zero=False,
            lines=steps(("transparent", None), ("red", 1)),
            description="Where were fewer people on the floor than the schedule planned (late starts, unplanned "
                        "breaks, absence)?"),
        timeseries(L, "Deviation from the forecast's pace", [target(
            per_qc("floorwatch_queue_forecast_deviation_ratio"), LEGEND)], "percentunit", min_zero=False, lines=PACE,
            description="Is demand running ahead of the forecast? Offered so far against the forecast's pace for "
                        "the elapsed part of the interval, minus 1; the dashed line is VolumeAboveForecast's 30 %."),
    ]


def staffing():
    L = Layout()
    variables = queue_vars() + [query_var(
        "channel", "Channel", 'label_values(floorwatch_queue_staffed_agents{queue=~"$queue"}, channel)')]
    panels = centre_stats(L) + now_bars(L) + staffing_trends(L) + forecast_trends(L)
    return dashboard("floorwatch-staffing", "floorwatch: staffing", panels, variables, "30s", ["staffing"])
