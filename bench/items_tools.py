"""The items of the whole table (bench/run.py) that are separate bench scripts: alert latency
through a real Alertmanager, the projection's accuracy over a simulated day, and the bridge.
Each script runs as its own process with /usr/bin/python3 and prints JSON, which becomes rows;
same shape as items_core.py: (build, size, got) -> (rows, raw).
"""

import json
import os
import subprocess
import sys

from items_core import TICK_MS
from table import row

HERE = os.path.dirname(os.path.abspath(__file__))


def script(name, *args, timeout=900):
    cmd = [sys.executable, os.path.join(HERE, name), *map(str, args)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"{name} exited {out.returncode}: {out.stderr.strip()[-400:]}")
    return json.loads(out.stdout)


def alert_latency(build, size, got):
    n = size["alert_rounds"]
    plain = script("alert_latency.py", "--build", build, "-n", n)
    page = script("alert_latency.py", "--build", build, "-n", n, "--rule", "breach", "--page")
    held = script("alert_latency.py", "--build", build, "-n", n, "--rule", "breach", "--page", "--for", "1s")
    src = "alert_latency.py"
    rows = [row(f"event -> alert listed in Alertmanager, `for: 0s`, median of {n}", plain["fire_median_ms"], "ms",
                "the evaluation interval", TICK_MS, "ms", source=src),
            row(f"event -> alert resolved in Alertmanager, `for: 0s`, median of {n}", plain["resolve_median_ms"],
                "ms", "the evaluation interval", TICK_MS, "ms", source=src),
            row(f"event -> BreachAhead paged (receiver's webhook), `for: 0s`, worst of {n}", page["page_max_ms"],
                "ms", "the evaluation interval", TICK_MS, "ms", "<= 1 s after the event",
                lambda v, _: v <= 1000, src + " --rule breach --page"),
            row(f"event -> BreachAhead listed in Alertmanager, `for: 1s`, worst of {n}", held["fire_max_ms"], "ms",
                "its `for`", 1000, "ms", "<= 1 s after `for`", lambda v, _: v <= 2000,
                src + " --rule breach --page --for 1s"),
            row(f"event -> BreachAhead paged, `for: 1s`, worst of {n}", held["page_max_ms"], "ms", "its `for`", 1000,
                "ms", "<= 1 s after `for`", lambda v, _: v <= 2000, src + " --rule breach --page --for 1s")]
    return rows, {"waiting": plain, "breach_page": page, "breach_page_for_1s": held}


def accuracy(build, size, got):
    day, seeds = size["accuracy"]
    bench = os.path.join(build, "bench", "floorwatch-prediction-accuracy")
    a = script("prediction_accuracy.py", "--day-seconds", day, "--seeds", *seeds, "--check", "--bench", bench)
    o = a["spread"]["overall"]
    what = f"over a {day} s simulated day, seeds {' '.join(map(str, seeds))} (the seeds' min; max"
    none = "none: a ratio of counts (projected breaches that breached)"
    rows = [row(f"projection precision {what} {o['precision'][1]})", o["precision"][0], "", none, None, "",
                source="prediction_accuracy.py"),
            row(f"projection recall {what} {o['recall'][1]})", o["recall"][0], "", "none: a ratio of counts (breaches projected)",
                None, "", source="prediction_accuracy.py"),
            row(f"projection lead time, median {what} {o['lead_median_s'][1]} s)", o["lead_median_s"][0], "s",
                "none: seconds between projection and breach", None, "", source="prediction_accuracy.py")]
    return rows, a


def bridge(build, size, got):
    copies, runs = size["bridge"]
    b = script("bridge_run.py", "--build", build, "--copies", copies, "--runs", runs)
    s = b["summary"]
    src = "bridge_run.py"
    rows = [row(f"floorwatch-bridge asterisk --push into floorwatchd ({b['events']} events, median of {runs})",
                s["daemon"]["events_per_s"], "events/s", "the bridge --push into a bare ZeroMQ sink",
                s["push"]["events_per_s"], "events/s", source=src),
            row("floorwatch-bridge --push with --state-dir (journaled)", s["push+state"]["events_per_s"], "events/s",
                "the bridge --push without state", s["push"]["events_per_s"], "events/s", source=src),
            row("floorwatch-bridge --publish, no subscriber (the bridge alone)", s["pub"]["events_per_s"],
                "events/s", "the bridge --push into a bare sink", s["push"]["events_per_s"], "events/s", source=src)]
    return rows, b
