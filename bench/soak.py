#!/usr/bin/python3
"""Soak: floorwatchd fed by the simulator for a set time with every model on (the demo's
queues, outcomes, and a forecast the simulator writes for the run), scraped every second and
reloaded every --reload-every seconds, recording RSS, open fds, scrape and render time, the
event lag, events and gaps over time.

    bench/soak.py --duration 7200 --reload-every 600 --out bench/results/soak-2h  # 2 hours
    bench/soak.py --duration 1800 --out bench/results/soak      # the 30-minute run
    bench/soak.py --duration 120 --check                         # CI: fails if RSS or fds grow

Writes OUT/soak.csv, and OUT/soak.png when python3-matplotlib is installed. With --check, the
run fails if, after the first minute (warm-up: windows and the contact population fill), the
RSS grows by more than --max-rss-growth-mib or open fds by more than --max-fd-growth.
"""

import argparse
import csv
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from harness import ROOT, Daemon  # noqa: E402

# The demo's queues and settings, fed over a bound PULL, with durable state in the test
# directory (a snapshot every 10 s and at every reload: the journal and snapshot files
# come and go during the soak, so a leaked descriptor or buffer shows). The forecast is the
# one the simulator writes for the soak's own run ({forecast}), not the demo's day.
# What the daemon remembers reaches its horizon within the soak's first hour, as every
# window does: a repeat window of 1 h, not the demo's day, and closed contacts remembered
# 30 min, not a week. With the demo's horizons the remembered customers and closed contacts
# grow, by design, for a day and a week (to their limits), and so does the RSS: that is
# growth to a bound, not a leak, but it would hide one (until 2026-12-01 the soak ran so).
HORIZONS = {"repeat_window": "1h", "closed_contact_memory": "30m"}
DEMO = open(os.path.join(ROOT, "config", "demo.yaml")).read()
for key, value in HORIZONS.items():
    DEMO = re.sub(rf"(?m)^(  {key}: ).*$", rf"\g<1>{value}", DEMO)
CONFIG = re.sub(r"(?ms)^inputs:.*?^(?=windows:)",
                'inputs:\n  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}\n'
                'state: {dir: "{dir}/state", snapshot_interval: 10s}\n',
                re.sub(r"(?m)^forecast:\n(?:  .*\n)+", "forecast: {file: \"{forecast}\", interval: 15m}\n",
                       DEMO)).replace(
    'listen: "127.0.0.1:9464"', 'listen: "127.0.0.1:0"') + """
alerts:
  - {name: Backlog, measure: waiting_contacts, op: ">", threshold: 8, clear: 4, for: 5s,
     escalate: [{after: 30s, severity: critical}]}
  - {name: LowSL, measure: service_level_ratio, window: 15m, op: "<", threshold: 0.8, min_contacts: 10}
notify:
  webhooks: [{url: "http://127.0.0.1:9/unreachable"}]   # failing deliveries exercise retries and the bounded queue
"""


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=1800)
    # The demo's load on each agent (tools/demo.sh: 60 arrivals a minute at peak for the 53
    # agents of tools/floorsim_model.py, durations x 0.25), on a centre 40 times its size with
    # durations x 0.05: 12,000 arrivals a minute at peak for 2,120 agents. (Until 2026-12-01
    # the soak ran 40,000 a minute for 3x the agents, 44 times the demo's load on each agent:
    # the email queues' backlog grew without end, and the RSS with it.)
    p.add_argument("--rate", type=float, default=12000, help="simulator arrivals per minute at peak")
    p.add_argument("--agent-scale", type=float, default=40, help="simulator agents, x the demo's 53")
    p.add_argument("--out", default=os.path.join(ROOT, "build", "soak"))
    p.add_argument("--reload-every", type=float, default=60, help="seconds between SIGHUP reloads")
    p.add_argument("--check", action="store_true")
    p.add_argument("--max-rss-growth-mib", type=float, default=32)
    p.add_argument("--max-fd-growth", type=int, default=8)
    return p.parse_args()


def sample(daemon, start):
    t0 = time.time()
    m = daemon.metrics()
    return {
        "t": round(t0 - start, 1),
        "rss_mib": round(m.get("process_resident_memory_bytes") / 2**20, 2),
        "open_fds": int(m.get("process_open_fds")),
        "scrape_ms": round((time.time() - t0) * 1000, 2),
        "render_ms": round(m.get("floorwatch_metrics_render_seconds") * 1000, 2),
        "event_lag_ms": round(m.get("floorwatch_event_lag_seconds") * 1000, 1),
        # queue/channels with a forecast for now: the forecast model is on and reading
        "forecast_series": sum(1 for v in m.series("floorwatch_queue_forecast_offered").values() if v == v),
        "received": int(m.get("floorwatch_events_received_total")),
        "applied": int(m.get("floorwatch_events_applied_total")),
        "gaps": int(m.total("floorwatch_events_gap_total")),
        "rejected": int(m.total("floorwatch_events_rejected_total")),
        "contacts": int(m.total("floorwatch_contacts")),
        "reload_ok": int(m.get("floorwatch_config_last_reload_successful")),
    }


def run(args):
    """The daemon fed by the simulator, sampled every second, reloaded every minute."""
    sim_args = [sys.executable, os.path.join(ROOT, "tools", "floorsim.py"), "--socket", "push",
                "--rate", str(args.rate), "--agent-scale", str(args.agent_scale), "--time-scale", "0.05",
                "--day-seconds", "600", "--start-hour", "9", "--duration", str(args.duration + 5)]
    forecast = os.path.join(tempfile.mkdtemp(prefix="soak-forecast-"), "forecast.csv")
    subprocess.run(sim_args + ["--write-forecast", forecast, "--forecast-interval", "15m", "--forecast-only"],
                   check=True, stderr=subprocess.DEVNULL)
    daemon = Daemon(CONFIG.replace("{forecast}", forecast))
    sim = subprocess.Popen(sim_args + ["--endpoint", daemon.inputs[0]], stderr=subprocess.DEVNULL)
    rows = []
    start = time.time()
    next_reload = start + args.reload_every
    try:
        while time.time() - start < args.duration:
            t0 = time.time()
            rows.append(sample(daemon, start))
            if time.time() >= next_reload:
                daemon.signal(signal.SIGHUP)
                next_reload += args.reload_every
            time.sleep(max(0.0, 1.0 - (time.time() - t0)))
    finally:
        sim.terminate()
        sim.wait()
        code = daemon.stop()
    return rows, code


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def summarize(args, rows, code):
    warm = [r for r in rows if r["t"] >= 60] or rows
    first, last = warm[: max(1, len(warm) // 10)], warm[-max(1, len(warm) // 10):]
    duration = rows[-1]["t"] - rows[0]["t"]
    return {
        "seconds": round(duration), "samples": len(rows), "events": rows[-1]["received"],
        "events_per_second": round(rows[-1]["received"] / max(1, duration)),
        "rss_mib_min_max": [min(r["rss_mib"] for r in rows), max(r["rss_mib"] for r in rows)],
        "rss_growth_after_warmup_mib": round(max(r["rss_mib"] for r in last) - max(r["rss_mib"] for r in first), 2),
        "open_fds_min_max": [min(r["open_fds"] for r in rows), max(r["open_fds"] for r in rows)],
        "fd_growth_after_warmup": max(r["open_fds"] for r in last) - max(r["open_fds"] for r in first),
        "scrape_ms_median_max": [median(r["scrape_ms"] for r in rows), max(r["scrape_ms"] for r in rows)],
        # flat after warm-up: the medians of the first and the last tenth after it
        "scrape_ms_median_first_last": [median(r["scrape_ms"] for r in first), median(r["scrape_ms"] for r in last)],
        "render_ms_median_first_last": [median(r["render_ms"] for r in first), median(r["render_ms"] for r in last)],
        "event_lag_ms_median_first_last": [median(r["event_lag_ms"] for r in first),
                                           median(r["event_lag_ms"] for r in last)],
        "event_lag_ms_max": max(r["event_lag_ms"] for r in warm),
        "forecast_series_min": min(r["forecast_series"] for r in warm),
        "gaps": rows[-1]["gaps"], "rejected": rows[-1]["rejected"],
        "reloads": int(duration // args.reload_every), "all_reloads_ok": all(r["reload_ok"] for r in rows),
        "daemon_exit_code": code,
    }


def plot(args, rows, summary, out):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("python3-matplotlib not installed: no plot")
        return
    ts = [r["t"] / 60 for r in rows]
    fig, ax = plt.subplots(5, 1, figsize=(10, 12), sharex=True)
    ax[0].plot(ts, [r["rss_mib"] for r in rows]); ax[0].set_ylabel("RSS (MiB)")
    ax[1].plot(ts, [r["open_fds"] for r in rows]); ax[1].set_ylabel("open fds")
    ax[2].plot(ts, [r["scrape_ms"] for r in rows], label="scrape"); ax[2].plot(ts, [r["render_ms"] for r in rows], label="render")
    ax[2].set_ylabel("ms"); ax[2].legend()
    rates = [0] + [(b["received"] - a["received"]) / max(0.001, b["t"] - a["t"]) for a, b in zip(rows, rows[1:])]
    ax[3].plot(ts, rates); ax[3].set_ylabel("events/s")
    ax[4].plot(ts, [r["event_lag_ms"] for r in rows]); ax[4].set_ylabel("event lag (ms)"); ax[4].set_xlabel("minutes")
    every = args.reload_every / 60
    for a in ax:
        for i in range(1, int(ts[-1] / every) + 1):
            a.axvline(i * every, color="grey", alpha=0.15, linewidth=0.8)  # reloads
    fig.suptitle(f"floorwatchd soak: {summary['seconds']} s, {summary['events']:,} events, "
                 f"a scrape every second, a reload every {args.reload_every:g} s")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "soak.png"), dpi=90)


def failures(args, summary):
    found = []
    if summary["daemon_exit_code"] != 0:
        found.append(f"daemon exit code {summary['daemon_exit_code']}")
    if args.check and summary["rss_growth_after_warmup_mib"] > args.max_rss_growth_mib:
        found.append(f"RSS grew {summary['rss_growth_after_warmup_mib']:.1f} MiB after warm-up "
                     f"(bound {args.max_rss_growth_mib})")
    if args.check and summary["fd_growth_after_warmup"] > args.max_fd_growth:
        found.append(f"open fds grew by {summary['fd_growth_after_warmup']} (bound {args.max_fd_growth})")
    if args.check and summary["forecast_series_min"] == 0:
        found.append("no queue/channel had a forecast: the forecast model was not on")
    if args.check and not summary["all_reloads_ok"]:
        found.append("a reload failed")
    return found


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows, code = run(args)
    with open(os.path.join(args.out, "soak.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    summary = summarize(args, rows, code)
    print(summary)
    plot(args, rows, summary, args.out)
    found = failures(args, summary)
    if found:
        print("SOAK FAILED: " + "; ".join(found))
        return 1
    print("soak ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
