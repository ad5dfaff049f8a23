#!/usr/bin/python3
"""How right the projected breaches are, over the simulator's day (docs/prediction.md "How
accurate it is"). For each seed: bench/floorsim_day.py writes the day's events (the demo's
pace and surge over a whole daily curve, on a virtual clock), then
floorwatch-prediction-accuracy replays them through an in-process core with config/demo.yaml's
queues and thresholds, evaluating the projection every 200 ms of event time, and reports
precision, recall and lead times per queue/channel, per channel and overall. Prints one JSON
document: the runs and, per channel and overall, the spread over the seeds.

    /usr/bin/python3 bench/prediction_accuracy.py --seeds 1 2 3 > result.json   # ~1 minute
    /usr/bin/python3 bench/prediction_accuracy.py --day-seconds 600 --check      # the CTest smoke

--check: exits 1 unless every run's figures are well-formed (counts add up, ratios in 0..1,
the bench's self-checks at 0); says nothing about how good they are."""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RATIOS = ("precision", "precision_without_abandons", "recall", "recall_10s")


def demo_queues_config(path):
    """config/demo.yaml without its input, durable state and forecast: its queues, thresholds,
    teams and windows are what the replay needs."""
    with open(os.path.join(ROOT, "config", "demo.yaml")) as f:
        text = f.read()
    text = re.sub(r"(?ms)^inputs:.*?^(?=state:)",
                  'inputs:\n  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}\n', text)
    text = re.sub(r"(?m)^state:\n(?:  .*\n)+", "", text)
    text = re.sub(r"(?m)^forecast:\n(?:  .*\n)+", "", text)
    with open(path, "w") as f:
        f.write(text)


def sim_options(args, seed):
    """The demo's simulator (tools/demo.sh) over a whole day: --time-scale 0.25 and a 6-hour
    daily curve, from midnight; its surge (sales-de x6 for 120 s) at 10:00 of the curve."""
    surge_at = args.day_seconds * 10 / 24
    return ["--seed", str(seed), "--rate", str(args.rate), "--time-scale", "0.25",
            "--day-seconds", str(args.day_seconds), "--start-hour", "0", "--duration", str(args.day_seconds),
            "--surge-at", f"{surge_at:g}", "--surge-seconds", "120", "--surge-factor", "6",
            "--surge-queues", "sales-de"]


def run_seed(args, seed, workdir, config):
    events = os.path.join(workdir, f"day-{seed}.jsonl")
    options = sim_options(args, seed)
    t0 = time.time()
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "floorsim_day.py"), "--out", events, "--"]
                   + options, check=True, stderr=subprocess.DEVNULL)
    t1 = time.time()
    out = subprocess.run([args.bench, config, events], check=True, capture_output=True, text=True).stdout
    t2 = time.time()
    os.unlink(events)
    result = json.loads(out)
    result.update(seed=seed, floorsim=options, simulate_s=round(t1 - t0, 2), replay_s=round(t2 - t1, 2))
    return result


def problems(result):
    """Why a run's figures are not well-formed (empty when they are)."""
    found = [f"{k} = {result[k]}" for k in ("unparsed", "figure_mismatches", "waiting_mismatches") if result[k]]
    if result["evaluations"] <= 0 or result["events"] <= 0:
        found.append("nothing replayed")
    tallies = dict(result["queue_channels"], **{f"channel {c}": t for c, t in result["channels"].items()})
    tallies["overall"] = result["overall"]
    for name, t in tallies.items():
        ints = {k: v for k, v in t.items() if k not in RATIOS and not k.startswith("lead_")}
        if any(not isinstance(v, int) or v < 0 for v in ints.values()):
            found.append(f"{name}: a count is not a non-negative integer: {ints}")
            continue
        ended = (t["projected_breached"] + t["projected_answered_in_time"] + t["projected_abandoned_in_time"]
                 + t["projected_transferred_in_time"])
        if not (ended <= t["projected"] <= t["waits"] and t["breached_projected_10s"] <= t["breached_projected"]
                <= t["breached"] <= t["waits"] and t["projected_breached"] == t["breached_projected"]):
            found.append(f"{name}: counts do not add up: {t}")
        fractions = {"precision": (t["projected_breached"], t["projected"]),
                     "precision_without_abandons": (t["projected_breached"],
                                                    t["projected"] - t["projected_abandoned_in_time"]),
                     "recall": (t["breached_projected"], t["breached"]),
                     "recall_10s": (t["breached_projected_10s"], t["breached"])}
        for k, (num, den) in fractions.items():
            if (t[k] is None) != (den == 0) or (den and abs(t[k] - num / den) > 1e-4):
                found.append(f"{name}: {k} = {t[k]}, not {num} / {den}")
        leads = (t["lead_p10_s"], t["lead_median_s"])
        if (leads[0] is None) != (t["breached_projected"] == 0) or (
                leads[0] is not None and not 0 <= leads[0] <= leads[1]):
            found.append(f"{name}: lead times {leads} with {t['breached_projected']} projected breaches")
    if sum(t["waits"] for t in result["channels"].values()) != result["overall"]["waits"]:
        found.append("the channels' waits do not add up to the overall")
    if result["overall"]["waits"] == 0:
        found.append("no wait at all")
    return found


def spread(runs):
    """Per channel and overall: each ratio's and lead's min and max over the runs."""
    out = {}
    for name in list(runs[0]["channels"]) + ["overall"]:
        tallies = [r["overall"] if name == "overall" else r["channels"].get(name) for r in runs]
        figures = {}
        for k in RATIOS + ("lead_median_s", "lead_p10_s"):
            values = [t[k] for t in tallies if t and t[k] is not None]
            figures[k] = [min(values), max(values)] if values else None
        out[name] = figures
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    p.add_argument("--rate", type=float, default=60.0, help="floorsim --rate (the demo's)")
    p.add_argument("--day-seconds", type=float, default=21600.0,
                   help="one daily curve in event time (the demo's 21600: 24 h at 4x)")
    p.add_argument("--bench", default=os.path.join(ROOT, "build", "bench", "floorwatch-prediction-accuracy"))
    p.add_argument("--check", action="store_true", help="exit 1 unless every run's figures are well-formed")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        config = os.path.join(workdir, "config.yaml")
        demo_queues_config(config)
        runs = [run_seed(args, seed, workdir, config) for seed in args.seeds]
    report = {"bench": "prediction_accuracy", "seeds": args.seeds, "spread": spread(runs), "runs": runs}
    json.dump(report, sys.stdout, indent=1)
    print()
    if args.check:
        bad = [f"seed {r['seed']}: {why}" for r in runs for why in problems(r)]
        for why in bad:
            print(why, file=sys.stderr)
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
