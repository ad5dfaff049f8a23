"""The in-process items of the whole table (bench/run.py): floorwatch-core-bench's modes, each
turned into table rows. Each item takes the build directory, its sizes (run.py's profile) and
the rows and raw results gathered so far (`got`, by item name), so a figure can name a peer
measured earlier in the same run; it returns (rows, raw outputs).
"""

import json
import os
import subprocess

from table import row

TICK_MS = 200  # the core thread's alert evaluation interval: what an evaluation's cost is a share of
SNAPSHOT_INTERVAL_S = 60  # state.snapshot_interval's default: what a snapshot's pause is a share of


def core_bench(build, *args):
    """floorwatch-core-bench MODE ARGS: its JSON lines (a failing run raises)."""
    cmd = [os.path.join(build, "bench", "floorwatch-core-bench"), *map(str, args)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {out.returncode}: {out.stderr.strip()[-300:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def _value(got, item, figure):
    for r in got.get(item, {}).get("rows", []):
        if r["figure"].startswith(figure):
            return r["value"]
    return None


def apply_rate(build, size, got):
    (a,) = core_bench(build, "apply", size["apply"])
    daemon = _value(got, "throughput", "floorwatchd ingest")
    return [row(f"in-process apply, `core-bench apply {size['apply']}` (no sockets)", a["events_per_second"],
                "events/s", "floorwatchd end to end (throughput row)", daemon, "events/s",
                source="core-bench apply")], a


def render(build, size, got):
    q, c, a = size["render"]
    (r,) = core_bench(build, "render", q, c, a)
    scraped = (got.get("scrape", {}).get("raw") or {}).get("scrape", {})
    daemon = scraped.get("core_render_median_ms")
    return [row(f"/metrics render in-process, {q} x {c} queue/channels, {a} agents ({r['metrics_lines']} lines)",
                r["metrics_median_ms"], "ms", "the daemon's core render per scrape (scrape rows; another state)",
                daemon, "ms", source="core-bench render"),
            row("/api/v1/queues render in-process, same state", r["json_median_ms"], "ms",
                "/metrics render in-process, same state", r["metrics_median_ms"], "ms",
                source="core-bench render")], r


def memory(build, size, got):
    (m,) = core_bench(build, "memory", size["memory"])
    (cu,) = core_bench(build, "customers", size["customers"])
    (cl,) = core_bench(build, "closed", size["closed"])
    return [row(f"RSS per waiting contact, core alone, {m['waiting_contacts']:.0f} waiting", m["bytes_per_waiting_contact"],
                "B", "target", 160, "B", "<= 160 B (issue 15)", lambda v, _: v <= 160, "core-bench memory"),
            row(f"RSS per remembered customer, {cu['remembered']} remembered", cu["bytes_per_customer"], "B",
                "target", 48, "B", "<= 48 B (issue 10)", lambda v, _: v <= 48, "core-bench customers"),
            row(f"RSS per remembered closed contact, {cl['remembered']} remembered",
                cl["bytes_per_closed_contact"], "B", "target", 96, "B", "<= 96 B (issue 10)",
                lambda v, _: v <= 96, "core-bench closed")], {"memory": m, "customers": cu, "closed": cl}


def alerts(build, size, got):
    q, rules = size["alerts"]
    (a,) = core_bench(build, "alerts", q, rules)
    return [row(f"alert evaluation, {rules} rules over {a['queue_channels']} queue/channels", a["evaluate_median_ms"],
                "ms", "the evaluation interval", TICK_MS, "ms", source="core-bench alerts")], a


def durable_state(build, size, got):
    (r,) = core_bench(build, "restore", size["restore"])
    (s,) = core_bench(build, "snapshot", size["snapshot"])
    apply = _value(got, "apply", "in-process apply")
    return [row(f"journal restore, {r['events']} events ({r['journal_bytes'] / r['events']:.0f} B an event)",
                r["records_per_second"], "records/s", "in-process apply (same run)", apply, "events/s",
                source="core-bench restore"),
            row(f"snapshot write, bench stream state ({r['snapshot_bytes'] / 1e6:.1f} MB)", r["snapshot_write_seconds"],
                "s", "snapshot_interval (default)", SNAPSHOT_INTERVAL_S, "s", source="core-bench restore"),
            row(f"snapshot write, {s['waiting_contacts']} waiting contacts ({s['snapshot_bytes'] / 1e6:.1f} MB)",
                s["write_seconds"], "s", "snapshot_interval (default)", SNAPSHOT_INTERVAL_S, "s",
                source="core-bench snapshot"),
            row("snapshot load, same snapshot", s["load_seconds"], "s", "its write", s["write_seconds"], "s",
                source="core-bench snapshot")], {"restore": r, "snapshot": s}


def staffing(build, size, got):
    q, c, a = size["render"]
    whole = _value(got, "render", "/metrics render in-process")
    rows, raw = [], []
    for per_window in size["staffing_demand"]:
        lines = core_bench(build, "staffing", q, c, a, per_window)
        st = next(x for x in lines if x["bench"] == "staffing")
        raw += lines
        rows += [row(f"staffing figures after an event everywhere, {per_window} contacts per queue/channel "
                     f"({st['load_erlangs_mean']} Erlangs mean)", st["changed_median_ms"], "ms",
                     "the evaluation interval", TICK_MS, "ms", "< 5 ms", lambda v, _: v < 5, "core-bench staffing"),
                 row(f"staffing families of /metrics ({st['render_lines']} lines), {per_window} per queue/channel",
                     st["render_median_ms"], "ms", "whole /metrics render in-process (render row)", whole, "ms",
                     source="core-bench staffing")]
    fc = next(x for x in raw if x["bench"] == "forecast")
    rows += [row(f"forecast families of /metrics ({fc['render_lines']} lines)", fc["render_median_ms"], "ms",
                 "whole /metrics render in-process (render row)", whole, "ms", source="core-bench staffing"),
             row(f"all 7 forecast measures of {fc['queue_channels']} queue/channels", fc["all_measures_median_ms"],
                 "ms", "the evaluation interval", TICK_MS, "ms", source="core-bench staffing")]
    return rows, raw


def prediction(build, size, got):
    q, a, w = size["prediction"]
    (p,) = core_bench(build, "prediction", q, a, w)
    rows = [row(f"prediction figures, every line changed, {p['queue_channels']} queue/channels, {p['waiting']} waiting",
                p["changed_median_ms"], "ms", "the evaluation interval", TICK_MS, "ms", "< 10 ms",
                lambda v, _: v < 10, "core-bench prediction"),
            row("prediction figures after one event", p["one_event_median_ms"], "ms", "every line changed",
                p["changed_median_ms"], "ms", source="core-bench prediction"),
            row("prediction alert evaluation after a Tick", p["evaluate_median_ms"], "ms", "the evaluation interval",
                TICK_MS, "ms", "< 10 ms", lambda v, _: v < 10, "core-bench prediction"),
            row(f"prediction families of /metrics ({p['render_lines']} lines)", p["render_median_ms"], "ms",
                "whole /metrics render in-process (render row)", _value(got, "render", "/metrics render in-process"),
                "ms", source="core-bench prediction")]
    return rows, p
